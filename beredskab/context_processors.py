"""Template context every page needs: the navigation for the user's roles."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from beredskab.access import can
from beredskab.grants import powers_of
from beredskab.roles import Role, has_role


@dataclass(frozen=True)
class NavItem:
    url: str
    label: str | Promise
    # The part of the portal this item leads to: a URL namespace ("incidents") or a
    # URL name ("home"); the page's resolver match decides which item is current.
    section: str
    description: str | Promise = ""
    current: bool = False


def _section_of(request) -> set[str]:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return set()
    sections = {match.view_name, match.url_name or ""}
    sections.update(match.namespaces)
    # The information-security editor's pages (infosec_add, ...) belong to its page.
    if (match.url_name or "").startswith("infosec"):
        sections.add("infosec")
    # Booking cancellations have their own menu item, apart from the outages'.
    if "outages" in match.namespaces and (match.url_name or "").startswith("campaign"):
        sections.discard("outages")
        sections.add("outages:campaigns")
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


def navigation(user, request=None) -> list[NavItem]:
    """The main menu for this user: deny by default, so each item states its rule."""
    if not user.is_authenticated:
        return []
    items = [
        (_url("home"), _("Overview"), "home", ""),
        (
            _url("infosec"),
            _("Information security"),
            "infosec",
            _("Guidance, policies and where to report a security incident."),
        ),
        (
            _url("incidents:report"),
            _("Report an incident"),
            "incidents:report",
            _("Report a security incident or a data breach."),
        ),
        (
            _url("outages:index"),
            _("Outages"),
            "outages",
            _("System and power outages, and what to do."),
        ),
        (
            _url("contactcenter:index"),
            _("Contact centre"),
            "contactcenter",
            _("Channel status and the phone robot's message."),
        ),
        (
            _url("training:index"),
            _("Training"),
            "training",
            _("Your mandatory e-learning courses."),
        ),
    ]
    items.append(
        (
            _url("escalation:run_list"),
            _("Escalations"),
            "escalation",
            _("Escalations you are part of, with their checklists."),
        )
    )
    if can(user, "send_broadcast"):
        items.append(
            (
                _url("broadcast:list"),
                _("Messages"),
                "broadcast",
                _("Messages to departments and press texts."),
            )
        )
    if can(user, "send_mass_sms"):
        items.append(
            (
                _url("outages:campaigns"),
                _("Cancel bookings"),
                "outages:campaigns",
                _("Cancel citizens' bookings by SMS and watch the delivery."),
            )
        )
    if can(user, "view_incident_log"):
        items.append(
            (
                _url("incidents:log"),
                _("Hændelseslog"),
                "incidents:log",
                _("Every security incident, its 72-hour clock and the Datatilsynet draft."),
            )
        )
    if can(user, "manage_directory"):
        items.append(
            (
                _url("directory:index"),
                _("Directory"),
                "directory",
                _("Departments, people, suppliers and systems."),
            )
        )
    if powers_of(user) or can(user, "approve_mass_sms"):
        items.append(
            (
                _url("pending"),
                _("Awaiting approval"),
                "pending",
                _("Role grants and campaigns that wait for a second person."),
            )
        )
    if user.is_superuser or has_role(user, Role.ADMIN):
        items.append(
            (
                _url("emergency_mode"),
                _("Emergency mode"),
                "emergency_mode",
                _("Sign-in by SMS code while Entra ID is down."),
            )
        )
    if user.is_superuser:  # Django admin is for superusers only (beredskab.admin_site)
        items.append(
            (
                _url("admin:index"),
                _("Django admin"),
                "admin",
                _("The technical administration of all data."),
            )
        )
    sections = _section_of(request) if request is not None else set()
    return [
        NavItem(
            url=url, label=label, section=section, description=desc, current=section in sections
        )
        for url, label, section, desc in items
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


def emergency_banner() -> dict:
    """The emergency mode is shown to everyone, on every page (the login page too)."""
    from beredskab import emergency

    until = emergency.banner_until()
    return {"emergency_until": until}


def portal(request) -> dict:
    user = getattr(request, "user", None)
    if user is None:
        return {"nav_items": [], "machinery_banner": "", **emergency_banner()}
    return {
        "nav_items": navigation(user, request),
        "machinery_banner": machinery_banner(user),
        **emergency_banner(),
    }
