"""Who sees and changes which outage. Every outages view goes through here.

- everyone logged in reads the status page and every declared outage (what they can
  and cannot do, the supplier, the expected restoration);
- a report that is not yet declared (or was dismissed) is seen by IT, the
  systemkoordinator and the person who made it;
- only holders of manage_outages (IT, the systemkoordinator) declare, dismiss and move
  an outage on.

Not logged in → 302 (middleware); a role without the feature → 403; an outage outside
the user's scope → 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from beredskab.access import can, person_of
from beredskab.roles import Role, has_role
from outages.models import Campaign, OutageStatus, Playbook, PowerOutage, RunItem, SystemOutage

UNCONFIRMED = (OutageStatus.REPORTED, OutageStatus.DISMISSED)


def may_manage(user) -> bool:
    return can(user, "manage_outages")


def outages_visible_to(user):
    if may_manage(user):
        return SystemOutage.objects.all()
    scope = ~Q(status__in=UNCONFIRMED)
    person = person_of(user)
    if person is not None:
        scope |= Q(reporter=person)
    return SystemOutage.objects.filter(scope)


def get_outage_for(user, pk: int, write: bool = False) -> SystemOutage:
    if write and not may_manage(user):
        raise PermissionDenied("manage_outages")
    return get_object_or_404(outages_visible_to(user), pk=pk)


# --- power outages, playbooks, Appendix 1 ---

# The plan: a leader, IT, the systemkoordinator or the beredskabsgruppe declares it.
POWER_DECLARERS = (Role.LEDER, Role.IT, Role.SYSTEMKOORDINATOR, Role.BEREDSKABSGRUPPE, Role.ADMIN)


def may_declare_power(user) -> bool:
    return has_role(user, *POWER_DECLARERS)


def may_edit_playbooks(user) -> bool:
    return can(user, "manage_playbooks")


def may_settle(user, item: RunItem) -> bool:
    """An item is ticked by someone of its owner role (or an administrator)."""
    return has_role(user, item.owner_role, Role.ADMIN)


def get_power_for(user, pk: int, write: bool = False) -> PowerOutage:
    """Everyone logged in follows a power outage; its declarers move it on."""
    if write and not may_declare_power(user):
        raise PermissionDenied
    return get_object_or_404(PowerOutage, pk=pk)


def get_run_item_for(user, pk: int, item_pk: int) -> RunItem:
    item = get_object_or_404(RunItem.objects.select_related("outage"), pk=item_pk, outage_id=pk)
    if not may_settle(user, item):
        raise PermissionDenied
    return item


def get_playbook_for(user, pk: int, write: bool = False) -> Playbook:
    if write and not may_edit_playbooks(user):
        raise PermissionDenied("manage_playbooks")
    return get_object_or_404(Playbook, pk=pk)


def may_download_binder(user) -> bool:
    """Leaders, IT, the systemkoordinator and the beredskabsgruppe (and the admin)."""
    return has_role(user, *POWER_DECLARERS)


# --- booking-cancellation campaigns (citizens' numbers: only their senders see them) ---


def may_send_campaigns(user) -> bool:
    """Frontdesk, leaders and the admin start, confirm and watch campaigns."""
    return can(user, "send_mass_sms")


def may_approve_campaigns(user) -> bool:
    """Frontdesk, leaders and the admin approve one (never the person who confirmed)."""
    return can(user, "approve_mass_sms")


def require_campaigns(user) -> None:
    if not may_send_campaigns(user):
        raise PermissionDenied("send_mass_sms")


def get_campaign_for(user, pk: int, write: bool = False, approve: bool = False) -> Campaign:
    """403 without send_mass_sms (or approve_mass_sms to approve); 404 for no campaign."""
    if not may_send_campaigns(user) or (approve and not may_approve_campaigns(user)):
        raise PermissionDenied
    return get_object_or_404(Campaign, pk=pk)


def may_see_citizens(user, campaign: Campaign) -> bool:
    """Citizens' names and numbers: only the campaign's sender (who started it or
    confirmed one of its messages), its approver and the admins. Everyone else with
    the campaign rights sees the counts. The one place to add the door guard's list
    (names and the delivery mark, no numbers, while a power outage runs) later."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or has_role(user, Role.ADMIN):
        return True
    if campaign.created_by_id == user.pk:
        return True
    return campaign.messages.filter(Q(confirmed_by_id=user.pk) | Q(approved_by_id=user.pk)).exists()
