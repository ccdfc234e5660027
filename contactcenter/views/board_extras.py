"""What the board shows beside the channels: the live crisis message, the centre's
location, and links to the tools the user may use."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from contactcenter import access
from contactcenter.models import CrisisMessage


def tool_links(user) -> list[tuple[str, str]]:
    links = []
    if access.can_write_message(user):
        links.append((reverse("contactcenter:messages"), _("The phone robot's crisis message")))
    if access.can_manage_integrations(user):
        links.append((reverse("contactcenter:integrations"), _("Integrations and tokens")))
    return links


def board_extras(request: HttpRequest) -> dict:
    live = CrisisMessage.objects.live().first()
    return {
        # False, not None: the board says "no crisis message" rather than nothing.
        "live_message": live or False,
        "sections": tool_links(request.user),
    }
