"""What the outages app adds to the core: menu items, home panels, the binder's and the
campaigns' jobs and the outage and mass-SMS permissions (beredskab.extensions)."""

from __future__ import annotations

from django.urls import ResolverMatch
from django.utils.translation import gettext_lazy as _

from beredskab import extensions
from beredskab.extensions import MenuItem, Panel, Permission
from beredskab.roles import Role


def _is_campaign_page(match: ResolverMatch) -> bool:
    return "outages" in match.namespaces and (match.url_name or "").startswith("campaign")


# Booking cancellations have their own menu item, apart from the outages'.
MENU = (
    MenuItem(
        "outages:index",
        _("Outages"),
        "outages",
        _("System and power outages, and what to do."),
        order=extensions.MENU_INFOSEC + 20,
        current_when=lambda match: "outages" in match.namespaces and not _is_campaign_page(match),
    ),
    MenuItem(
        "outages:campaigns",
        _("Cancel bookings"),
        "outages:campaigns",
        _("Cancel citizens' bookings by SMS and watch the delivery."),
        order=extensions.MENU_MESSAGES + 10,
        permission="send_mass_sms",
        current_when=_is_campaign_page,
    ),
)

PANELS = (
    Panel(extensions.HOME_ENTRY_POINTS, "outages/_home_entry_point.html", order=20),
    Panel(extensions.HOME_OPEN_NOW, "outages/_home_panel.html", order=20),
)

PERMISSIONS = (
    Permission(
        "manage_outages",
        "Can declare and run outages",
        roles=(Role.SYSTEMKOORDINATOR, Role.IT),
        oversees_runs=True,  # outages are IT's
    ),
    Permission(
        "manage_playbooks",
        "Can edit playbooks and Appendix 1",
        roles=(Role.SYSTEMKOORDINATOR,),
    ),
    Permission(
        "send_mass_sms",
        "Can send booking-cancellation mass SMS",
        roles=(Role.LEDER, Role.FRONTDESK),
        outside=True,
    ),
    # The issue: a second person from frontdesk or a leader approves a campaign.
    Permission(
        "approve_mass_sms",
        "Can approve a booking-cancellation campaign",
        roles=(Role.LEDER, Role.FRONTDESK),
        outside=True,
        decides_pending=True,
    ),
)

BEAT = {
    # The emergency binder PDF, made again only when its contents changed.
    "outages-refresh-binder": {
        "task": "outages.refresh_binder",
        "schedule": 15 * 60.0,
        "options": {"expires": 14 * 60},
    },
    # Booking-cancellation campaigns: citizens' data purged N days after the end.
    "outages-purge-campaigns": {
        "task": "outages.purge_campaigns",
        "schedule": 24 * 60 * 60.0,
        "options": {"expires": 23 * 60 * 60},
    },
}


def contribute() -> None:
    extensions.contribute(menu=MENU, panels=PANELS, permissions=PERMISSIONS, beat=BEAT)
