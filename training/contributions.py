"""What the training app adds to the core: its menu item, the assignment and reminder
jobs and the compliance permissions (beredskab.extensions)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from beredskab import extensions
from beredskab.extensions import MenuItem, Permission
from beredskab.roles import Role

MENU = (
    MenuItem(
        "training:index",
        _("Training"),
        "training",
        _("Your mandatory e-learning courses."),
        order=extensions.MENU_INFOSEC + 40,
    ),
)

PERMISSIONS = (
    Permission(
        "view_compliance",
        "Can see training compliance",
        roles=(Role.LEDER, Role.SYSTEMKOORDINATOR),
    ),
    Permission(
        "manage_training",
        "Can manage courses and record completions",
        roles=(Role.SYSTEMKOORDINATOR,),
    ),
)

BEAT = {
    # Assignments follow the people (admin edits too); the weekly reminders fire from
    # Monday 08:00 local, once per person per ISO week.
    "training-sync-assignments": {
        "task": "training.sync_assignments",
        "schedule": 60 * 60.0,
        "options": {"expires": 50 * 60},
    },
    "training-weekly-reminders": {
        "task": "training.weekly_reminders",
        "schedule": 15 * 60.0,
        "options": {"expires": 14 * 60},
    },
}


def contribute() -> None:
    extensions.contribute(menu=MENU, permissions=PERMISSIONS, beat=BEAT)
