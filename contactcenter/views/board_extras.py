"""What the board shows beside the channels: the live crisis message, the centre's
location, and links to the tools the user may use."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from beredskab.access import can
from contactcenter import access
from contactcenter.models import CentreLocation, CrisisMessage, Reachability
from contactcenter.plan import BROADCAST_TEMPLATE_KEY, PRESS_TEMPLATE_KEY


def tool_links(user) -> list[tuple[str, str]]:
    links = []
    if access.may_declare_reachable(user):
        links.append((reverse("contactcenter:reachable_me"), _("Am I reachable?")))
    if access.can_see_reachable(user):
        links.append((reverse("contactcenter:reachable_list"), _("Who is reachable")))
    if access.can_edit_channels(user):
        links.append((reverse("contactcenter:location"), _("Change where the centre works")))
    if access.can_write_message(user):
        links.append((reverse("contactcenter:messages"), _("The phone robot's crisis message")))
    if access.can_manage_integrations(user):
        links.append((reverse("contactcenter:integrations"), _("Integrations and tokens")))
    if can(user, "send_broadcast"):
        links.append(
            (
                f"{reverse('broadcast:new')}?template={BROADCAST_TEMPLATE_KEY}",
                _("Tell the departments"),
            )
        )
        links.append(
            (
                f"{reverse('broadcast:press_new')}?template={PRESS_TEMPLATE_KEY}",
                _("Write a press text"),
            )
        )
    return links


def board_extras(request: HttpRequest) -> dict:
    live = CrisisMessage.objects.live().first()
    return {
        # False, not None: the board says "no crisis message" rather than nothing.
        "live_message": live or False,
        "location": CentreLocation.current(),
        "reachable_count": Reachability.objects.current().count(),
        "sections": tool_links(request.user),
    }
