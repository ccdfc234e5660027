"""Template context every page needs: the navigation for the user's roles."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from beredskab import extensions
from beredskab.access import can
from beredskab.extensions import MenuItem
from beredskab.grants import powers_of
from beredskab.roles import Role, has_role


@dataclass(frozen=True)
class NavItem:
    url: str
    label: str | Promise
    # The part of the portal this item leads to: a URL namespace ("directory") or a
    # URL name ("home"); the page's resolver match decides which item is current.
    section: str
    description: str | Promise = ""
    current: bool = False
    shortcut: bool = True  # also a card under "Your tools" on the home page


def _section_of(request) -> set[str]:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return set()
    sections = {match.view_name, match.url_name or ""}
    sections.update(match.namespaces)
    # The information-security editor's pages (infosec_add, ...) belong to its page.
    if (match.url_name or "").startswith("infosec"):
        sections.add("infosec")
    return sections


_urls: dict[tuple, str] = {}


def _url(name: str) -> str:
    """reverse(name), kept per process: every page builds the menu, a dozen reverse()
    calls. The key holds what reverse() depends on besides the name."""
    key = (name, get_script_prefix(), get_urlconf())
    url = _urls.get(key)
    if url is None:
        url = _urls[key] = reverse(name)
    return url


# The core's own items; the feature apps add theirs (beredskab.extensions).
_HOME = MenuItem("home", _("Overview"), "home", order=extensions.MENU_HOME, shortcut=False)
_INFOSEC = MenuItem(
    "infosec",
    _("Information security"),
    "infosec",
    _("Guidance, policies and where to report a security incident."),
    order=extensions.MENU_INFOSEC,
)
_ESCALATIONS = MenuItem(
    "escalation:run_list",
    _("Escalations"),
    "escalation",
    _("Escalations you are part of, with their checklists."),
    order=extensions.MENU_ESCALATIONS,
)
_MESSAGES = MenuItem(
    "broadcast:list",
    _("Messages"),
    "broadcast",
    _("Messages to departments and press texts."),
    order=extensions.MENU_MESSAGES,
    permission="send_broadcast",
)
_DIRECTORY = MenuItem(
    "directory:index",
    _("Directory"),
    "directory",
    _("Departments, people, suppliers and systems."),
    order=extensions.MENU_DIRECTORY,
    permission="manage_directory",
)
_PENDING = MenuItem(
    "pending",
    _("Awaiting approval"),
    "pending",
    _("Role grants and campaigns that wait for a second person."),
    order=extensions.MENU_PENDING,
)
_EMERGENCY = MenuItem(
    "emergency_mode",
    _("Emergency mode"),
    "emergency_mode",
    _("Sign-in by SMS code while Entra ID is down."),
    order=extensions.MENU_EMERGENCY,
)
_ADMIN = MenuItem(
    "admin:index",
    _("Django admin"),
    "admin",
    _("The technical administration of all data."),
    order=extensions.MENU_ADMIN,
)


def _decides_pending(user) -> bool:
    """May decide on something on the "Awaiting approval" page: grant roles, or hold a
    permission an app marks for it (approving a campaign, ...)."""
    if powers_of(user):
        return True
    return any(can(user, p.codename) for p in extensions.permissions() if p.decides_pending)


def _menu_for(user) -> list[MenuItem]:
    """Deny by default: each item states its rule (a permission, or the code below)."""
    items = [_HOME, _INFOSEC, _ESCALATIONS, _MESSAGES, _DIRECTORY, *extensions.menu_items()]
    shown = [item for item in items if item.permission is None or can(user, item.permission)]
    if _decides_pending(user):
        shown.append(_PENDING)
    if user.is_superuser or has_role(user, Role.ADMIN):
        shown.append(_EMERGENCY)
    if user.is_superuser:  # Django admin is for superusers only (beredskab.admin_site)
        shown.append(_ADMIN)
    return sorted(shown, key=lambda item: item.order)


def navigation(user, request=None) -> list[NavItem]:
    """The main menu for this user."""
    if not user.is_authenticated:
        return []
    match = getattr(request, "resolver_match", None)
    sections = _section_of(request) if request is not None else set()

    def is_current(item: MenuItem) -> bool:
        if item.current_when is not None:
            return match is not None and item.current_when(match)
        return item.section in sections

    return [
        NavItem(
            url=_url(item.url_name),
            label=item.label,
            section=item.section,
            description=item.description,
            current=is_current(item),
            shortcut=item.shortcut,
        )
        for item in _menu_for(user)
    ]


# Who must know at once when notifications are not going out.
MACHINERY_WATCHERS = {Role.LEDER, Role.SYSTEMKOORDINATOR, Role.IT, Role.ADMIN}


# The heartbeat query ran on every page a watcher opened. Its answer is kept per
# process for a few seconds (the banner must still show within 30 s of an outage:
# machinery.WORKER_SILENCE + this). Tests see every change at once.
MACHINERY_CHECK_SECONDS = 0.0 if settings.TESTING else 5.0
_machinery_checked = {"at": float("-inf"), "silent": False}


def machinery_silent() -> bool:
    """Is any part of the machinery silent? Asked at most every MACHINERY_CHECK_SECONDS."""
    from beredskab import machinery

    now = time.monotonic()
    if now - _machinery_checked["at"] >= MACHINERY_CHECK_SECONDS:
        _machinery_checked["silent"] = bool(machinery.silent_parts())
        _machinery_checked["at"] = now
    return _machinery_checked["silent"]


def machinery_banner(user) -> str:
    """The warning for leaders, the systemkoordinator and IT while workers/beat are silent."""
    if not has_role(user, *MACHINERY_WATCHERS):
        return ""
    from beredskab import machinery

    return str(machinery.BANNER_TEXT) if machinery_silent() else ""


def provider_banner(user) -> str:
    """For the same watchers: an SMS provider failed (and which one carries the SMS now),
    or none is answering."""
    if not has_role(user, *MACHINERY_WATCHERS):
        return ""
    from beredskab.notify import providers
    from beredskab.notify.providers import health

    names = [name for name in (providers.primary(), providers.secondary()) if name]
    return health.banner_text(names)


def emergency_banner() -> dict:
    """The emergency mode is shown to everyone, on every page (the login page too)."""
    from beredskab import emergency

    until = emergency.banner_until()
    return {"emergency_until": until}


def portal(request) -> dict:
    user = getattr(request, "user", None)
    if user is None:
        return {
            "nav_items": [],
            "machinery_banner": "",
            "provider_banner": "",
            **emergency_banner(),
        }
    return {
        "nav_items": navigation(user, request),
        "machinery_banner": machinery_banner(user),
        "provider_banner": provider_banner(user),
        **emergency_banner(),
    }
