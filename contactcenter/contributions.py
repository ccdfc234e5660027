"""What the contact centre adds to the core: its menu item, the channel probes' job and
its permissions (beredskab.extensions)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from beredskab import extensions
from beredskab.extensions import MenuItem, Permission
from beredskab.roles import Role

MENU = (
    MenuItem(
        "contactcenter:index",
        _("Contact centre"),
        "contactcenter",
        _("Channel status and the phone robot's message."),
        order=extensions.MENU_INFOSEC + 30,
    ),
)

PERMISSIONS = (
    Permission(
        "edit_channel_status",
        "Can change the contact centre's channel status",
        roles=(Role.LEDER, Role.IT, Role.KONTAKTCENTER, Role.KONTAKTCENTERLEDER),
    ),
    Permission(
        "publish_robot_message",
        "Can publish the phone robot's crisis message",
        roles=(Role.LEDER, Role.KONTAKTCENTERLEDER),
        outside=True,  # the robot's message, its tokens and voice forwarding
    ),
)

BEAT = {
    "contactcenter-probes": {
        "task": "contactcenter.tasks.probe_channels",
        "schedule": 60.0,
        "options": {"expires": 50},
    },
}


def contribute() -> None:
    extensions.contribute(menu=MENU, permissions=PERMISSIONS, beat=BEAT)
