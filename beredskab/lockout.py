"""The login lock-out's key (axes): username AND client address together, so five wrong
passwords lock only that pair and nobody can lock a colleague out from elsewhere. The
address is beredskab.client_ip.client_ip; the username is resolved here."""

from __future__ import annotations

# axes stores the username in a 255-character column; no login is longer than 150
# (Django's username), so a longer value is clipped before it reaches the table (a
# longer one would end the login request in a database error, a 500).
USERNAME_MAX = 150


def axes_username(request, credentials: dict | None = None) -> str | None:
    """The username half of the lock-out key. allauth's login form names the field
    "login"; authenticate() (the login through allauth, and beredskab.reauth) passes
    "username". Both name the same login, so both count toward the same lock-out."""
    found = None
    if credentials:
        found = credentials.get("username") or credentials.get("login")
    if not found:
        data = getattr(request, "POST", None) or {}
        found = data.get("login") or data.get("username")
    return str(found)[:USERNAME_MAX] if found else found
