"""Who stands in for an absent systemkoordinator on the GDPR assessment and decision.

The 72-hour clock never waits for one person's holiday: while the systemkoordinator is
away (the directory's absences), the deputy the directory named for them may record the
assessment and the decision. Only a deputy named BEFORE the absence began counts: a
deputy set during the absence (by anyone, perhaps by the deputy-to-be) does not, so an
account cannot make itself a stand-in for a colleague who is already away. When the
deputy was named is read from the person's timeline, which records every edit of the
directory (the portal's forms and Django admin alike).
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from beredskab import timeline
from beredskab.access import person_of
from beredskab.models import Person
from beredskab.roles import Role

_CACHE = "_incidents_acting_for"


def deputy_named_at(person: Person) -> datetime | None:
    """When the person's current deputy was last set, or None if no edit shows it."""
    events = timeline.events_for(person).filter(kind__startswith="person.").order_by("-seq")
    for at, data in events.values_list("at", "data"):
        if isinstance(data, dict) and "deputy" in (data.get("changed") or []):
            return at
    return None


def absent_koordinator_for(deputy: Person, at: datetime) -> Person | None:
    """The systemkoordinator away at `at` whose deputy, named before the absence began,
    is `deputy`; None when there is none."""
    koordinatorer = (
        Person.objects.active()
        .with_role(Role.SYSTEMKOORDINATOR)
        .filter(deputy=deputy)
        .exclude(pk=deputy.pk)
        .order_by("name", "pk")
    )
    for koordinator in koordinatorer:
        absence = (
            koordinator.absences.filter(starts_at__lte=at, ends_at__gt=at)
            .order_by("starts_at")
            .first()
        )
        if absence is None:
            continue
        named = deputy_named_at(koordinator)
        if named is not None and named <= absence.starts_at:
            return koordinator
    return None


def acting_for(user, at: datetime | None = None) -> Person | None:
    """The absent systemkoordinator this login stands in for now (cached per request)."""
    if at is None and hasattr(user, _CACHE):
        return getattr(user, _CACHE)
    person = person_of(user)
    found = None
    if person is not None and person.is_active and user.is_active:
        found = absent_koordinator_for(person, at or timezone.now())
    if at is None and user.is_authenticated:
        setattr(user, _CACHE, found)
    return found
