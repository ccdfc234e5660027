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
from outages.models import OutageStatus, SystemOutage

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
        raise PermissionDenied
    return get_object_or_404(outages_visible_to(user), pk=pk)
