"""What the feature apps add to the core: menu items, page panels, periodic jobs and
permissions.

Each feature app hands its parts to `contribute()` from its AppConfig.ready(); the core
iterates what it was given and never imports, or names, a feature app (DESIGN.md
"Extension, not knowledge"). The plan and demo loaders and the directory's
`people_changed` reach the apps the same way, through AppConfig hooks
(beredskab.plan.load_app_hooks, beredskab.services.directory.people_changed).

A permission an app contributes after its first release reaches the role groups
through a data migration that calls beredskab.roles.sync_roles (all portal
permissions share the content type beredskab.capability, so codenames never move).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from django.urls import ResolverMatch
from django.utils.functional import Promise

# Where in the menu an item sits. The core's own items use these; a feature app picks
# a number between them (items open to everyone before "Escalations", items behind a
# permission between "Messages" and "Directory"). Equal numbers keep the order of
# INSTALLED_APPS.
MENU_HOME = 0
MENU_INFOSEC = 10
MENU_ESCALATIONS = 100
MENU_MESSAGES = 200
MENU_DIRECTORY = 300
MENU_PENDING = 400
MENU_EMERGENCY = 500
MENU_ADMIN = 600

# The places a panel can go. Each is an {% include %} of the panel's template, with
# the page's context.
HOME_ENTRY_POINTS = "home.entry_points"  # the big buttons at the top of the home page
HOME_OPEN_NOW = "home.open_now"  # "Open right now", before "Waiting for you"
INFOSEC_ENTRY_POINTS = "infosec.entry_points"  # the buttons on the infosec page
SLOTS = frozenset({HOME_ENTRY_POINTS, HOME_OPEN_NOW, INFOSEC_ENTRY_POINTS})


@dataclass(frozen=True)
class MenuItem:
    url_name: str  # reversed without arguments
    label: str | Promise
    # What the page's resolver match must contain for this item to be the current
    # page: a URL namespace ("directory") or a view name ("app:report").
    section: str
    description: str | Promise = ""
    order: int = MENU_ESCALATIONS
    # None: every logged-in person sees the item; else the portal permission needed.
    permission: str | None = None
    # Also a card under "Your tools" on the home page (an entry point there is not).
    shortcut: bool = True
    # Decides "current page" instead of `section` when the namespace is shared.
    current_when: Callable[[ResolverMatch], bool] | None = None


@dataclass(frozen=True)
class Panel:
    slot: str
    template: str
    order: int = 0


@dataclass(frozen=True)
class Permission:
    codename: str
    description: str
    roles: tuple[str, ...] = ()  # the roles that hold it (an admin holds every permission)
    # Reaches outside the portal (SMS, e-mail, calls, tokens): makes its roles
    # privileged (beredskab.authority).
    outside: bool = False
    # Its holders oversee every escalation run (beredskab.escalation.access).
    oversees_runs: bool = False
    # Its holders decide on items of the "Awaiting approval" page (the menu shows it).
    decides_pending: bool = False


@dataclass
class _Registry:
    menu: list[MenuItem] = field(default_factory=list)
    panels: list[Panel] = field(default_factory=list)
    permissions: dict[str, Permission] = field(default_factory=dict)
    beat: dict[str, dict] = field(default_factory=dict)


_registry = _Registry()


def contribute(
    *,
    menu: Iterable[MenuItem] = (),
    panels: Iterable[Panel] = (),
    permissions: Iterable[Permission] = (),
    beat: Mapping[str, dict] | None = None,
) -> None:
    """Add an app's parts. Idempotent: contributing the same part twice adds it once.

    `beat` is Celery beat entries by name, as in CELERY's beat_schedule; they join the
    core's schedule on the Celery app at once (beat reads it after django.setup())."""
    for item in menu:
        if item not in _registry.menu:
            _registry.menu.append(item)
    for panel in panels:
        if panel.slot not in SLOTS:
            raise ValueError(f"unknown panel slot {panel.slot!r}")
        if panel not in _registry.panels:
            _registry.panels.append(panel)
    for permission in permissions:
        known = _registry.permissions.get(permission.codename)
        if known is not None and known != permission:
            raise ValueError(f"permission {permission.codename!r} contributed twice")
        _registry.permissions[permission.codename] = permission
    if beat:
        from beredskab.celery import app as celery_app

        _registry.beat.update(beat)
        celery_app.conf.beat_schedule.update(beat)


def menu_items() -> list[MenuItem]:
    return list(_registry.menu)


def panels(slot: str) -> list[str]:
    """The templates to include in `slot`, in their order."""
    chosen = [p for p in _registry.panels if p.slot == slot]
    return [p.template for p in sorted(chosen, key=lambda p: p.order)]


def permissions() -> list[Permission]:
    return list(_registry.permissions.values())


def has_permission(codename: str) -> bool:
    return codename in _registry.permissions


def beat_entries() -> dict[str, dict]:
    return dict(_registry.beat)
