"""What the incidents app adds to the core: menu items, home and infosec panels, the
72-hour clock's job and the hændelseslog's permissions (beredskab.extensions)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from beredskab import extensions
from beredskab.extensions import MenuItem, Panel, Permission
from beredskab.roles import Role

MENU = (
    MenuItem(
        "incidents:report",
        _("Report an incident"),
        "incidents:report",
        _("Report a security incident or a data breach."),
        order=extensions.MENU_INFOSEC + 10,
        shortcut=False,  # the home page's first entry point already says it
    ),
    MenuItem(
        "incidents:log",
        _("Hændelseslog"),
        "incidents:log",
        _("Every security incident, its 72-hour clock and the Datatilsynet draft."),
        order=extensions.MENU_MESSAGES + 20,
        permission="view_incident_log",
    ),
)

PANELS = (
    Panel(extensions.HOME_ENTRY_POINTS, "incidents/_home_entry_point.html", order=10),
    Panel(extensions.HOME_OPEN_NOW, "incidents/_home_panel.html", order=10),
    Panel(extensions.INFOSEC_ENTRY_POINTS, "incidents/_infosec_entry_point.html", order=10),
)

PERMISSIONS = (
    Permission(
        "view_incident_log",
        "Can read the hændelseslog",
        roles=(Role.LEDER, Role.SYSTEMKOORDINATOR, Role.EKSTERN_DPO, Role.IT),
    ),
    Permission(
        "manage_incident_log",
        "Can assess and edit incidents in the hændelseslog",
        roles=(Role.SYSTEMKOORDINATOR,),
        oversees_runs=True,  # incidents are the systemkoordinator's
    ),
    Permission(
        "record_datatilsynet_notification",
        "Can record a notification to Datatilsynet",
        roles=(Role.SYSTEMKOORDINATOR,),
    ),
)

BEAT = {
    # The GDPR 72-hour reminders (24/48/66 h); idempotent per incident and threshold.
    "incidents-clock-reminders": {
        "task": "incidents.clock_reminders",
        "schedule": 60.0,
        "options": {"queue": "escalation", "expires": 55},
    },
    # Incidents closed INCIDENT_RETENTION_YEARS ago: personal data purged, statistics kept.
    "incidents-purge-retention": {
        "task": "incidents.purge_retention",
        "schedule": 24 * 60 * 60.0,
        "options": {"expires": 23 * 60 * 60},
    },
}


def contribute() -> None:
    extensions.contribute(menu=MENU, panels=PANELS, permissions=PERMISSIONS, beat=BEAT)
