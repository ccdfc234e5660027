"""The login lock-out's key (axes): username AND client address together, so five wrong
passwords lock only that pair and nobody can lock a colleague out from elsewhere. The
address is beredskab.client_ip.client_ip; the username is resolved here."""

from __future__ import annotations


def axes_username(request, credentials: dict | None = None) -> str | None:
    """The username half of the lock-out key. allauth's login form names the field
    "login"; authenticate() (the login through allauth, and beredskab.reauth) passes
    "username". Both name the same login, so both count toward the same lock-out."""
    if credentials:
        found = credentials.get("username") or credentials.get("login")
        if found:
            return found
    data = getattr(request, "POST", None) or {}
    return data.get("login") or data.get("username")
