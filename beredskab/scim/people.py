"""People and provisioning: the one lookup by Entra's oid, the match of a hand-made
person on first create, and deactivation with the mass-deactivation hold."""

from __future__ import annotations

import math
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from beredskab import leavers, timeline
from beredskab.models import EscalationStep, Person, ScimDeactivation, ScimMatch
from beredskab.pending import PendingItem
from beredskab.roles import Role

State = ScimDeactivation.State


def person_for_external_id(oid: str | None) -> Person | None:
    """The directory person whose Entra ID object id (`oid`) this is. Sign-in (OIDC)
    and provisioning (SCIM) both find people through this one function."""
    if not oid:
        return None
    return Person.objects.filter(external_id=oid).select_related("user").first()


def match_hand_made(state: dict) -> tuple[Person | None, str]:
    """A person made by hand (never provisioned) with the same employee number or
    e-mail (exact, case-insensitive); (None, '') when there is none or it is ambiguous."""
    unprovisioned = Person.objects.filter(scim_user_name__isnull=True, external_id__isnull=True)
    number = state.get("employeeNumber")
    if number:
        found = list(unprovisioned.filter(employee_number__iexact=number)[:2])
        if len(found) == 1:
            return found[0], ScimMatch.By.EMPLOYEE_NUMBER
    email = state["emails"][0]["value"] if state.get("emails") else ""
    if email:
        found = list(unprovisioned.filter(email__iexact=email)[:2])
        if len(found) == 1:
            return found[0], ScimMatch.By.EMAIL
    return None, ""


def hold_limit(window) -> int:
    """How many deactivations one batch may make before the whole batch waits for an
    admin: a share of the people who were active when the batch began (those active now
    and those the batch has already deactivated), with a floor."""
    active = (
        Person.objects.active().count()
        + ScimDeactivation.objects.filter(requested_at__gte=window, state=State.APPLIED).count()
    )
    share = math.floor(active * settings.SCIM_DEACTIVATION_HOLD_SHARE)
    return max(share, settings.SCIM_DEACTIVATION_HOLD_MIN)


def request_deactivation(person: Person, *, client, delete: bool = False) -> str:
    """Deactivate `person` for a provisioning client, unless the batch has passed the
    limit: then the WHOLE batch is held until an admin confirms. Returns the state.

    Requests arrive one at a time, so a batch is known to be too large only when it
    crosses the limit. A leaver alone (or a few) is deactivated at once; the request
    that crosses the limit holds itself and takes back the deactivations the batch
    already made (see _hold_batch), so a misconfigured scope cannot empty the chains.
    """
    now = timezone.now()
    window = now - timedelta(minutes=settings.SCIM_BATCH_WINDOW_MINUTES)
    _lock_batches()
    Person.objects.select_for_update().filter(pk=person.pk).first()
    if ScimDeactivation.objects.filter(person=person, state=State.HELD).exists():
        return State.HELD
    in_batch = ScimDeactivation.objects.filter(
        requested_at__gte=window, state__in=[State.APPLIED, State.HELD, State.CONFIRMED]
    )
    held_open = ScimDeactivation.objects.filter(state=State.HELD).exists()
    crossing = not held_open and in_batch.count() + 1 > hold_limit(window)
    state = State.HELD if held_open or crossing else State.APPLIED
    ScimDeactivation.objects.create(
        person=person, requested_at=now, client=client.name, delete=delete, state=state
    )
    if state == State.HELD:
        timeline.record(person, "person.deactivation_held", actor=client.actor, data={})
        if crossing:
            _hold_batch(in_batch.filter(state=State.APPLIED), actor=client.actor)
    else:
        _deactivate(person, actor=client.actor)
    return state


def forget_scim_ids(person: Person, *, actor) -> None:
    """A DELETE that took effect: the person is gone for SCIM (a GET answers 404) and
    stays in the directory, inactive, as people are never deleted. The ids are kept on
    the timeline, where a held batch's undo finds them again."""
    timeline.record(
        person,
        "person.scim_deleted",
        actor=actor,
        data={"userName": person.scim_user_name, "externalId": person.external_id},
    )
    Person.objects.filter(pk=person.pk).update(scim_user_name=None, external_id=None)


def _recall_scim_ids(person: Person) -> None:
    """Undo forget_scim_ids for a DELETE the batch hold takes back, unless the ids have
    been given to someone else since."""
    event = timeline.events_for(person).filter(kind="person.scim_deleted").order_by("-seq").first()
    data = (event.data or {}) if event else {}
    user_name, oid = data.get("userName"), data.get("externalId")
    same = Q(pk__in=[])
    if user_name:
        same |= Q(scim_user_name=user_name)
    if oid:
        same |= Q(external_id=oid)
    if (user_name or oid) and not Person.objects.exclude(pk=person.pk).filter(same).exists():
        Person.objects.filter(pk=person.pk).update(scim_user_name=user_name, external_id=oid)


def _lock_batches() -> None:
    """Serialise deactivation requests, so two that cross the limit together cannot both
    miss it: a transaction-scoped advisory lock on PostgreSQL (SQLite serialises writes)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_BATCH_LOCK])


# A fixed key for the advisory lock above ("scim-batch" as a number).
_BATCH_LOCK = int.from_bytes(b"scimbtch", "big", signed=True)


def _hold_batch(applied, *, actor) -> None:
    """The batch has crossed the limit: the deactivations it already made are taken
    back and held with the rest, so nothing changes until an admin decides.

    The person is active in the directory again and back in the chain steps they left,
    so escalations reach them as before. Their login stays closed: a login that opens
    again is a grant of access and takes an operator (manage.py reactivate_login), and a
    flood of deactivations must not reopen a real leaver's login. The held page says so.
    """
    for row in applied.select_for_update().select_related("person"):
        row.state = State.HELD
        row.save(update_fields=["state"])
        steps = _restore(row.person, actor=actor)
        if row.delete:
            _recall_scim_ids(row.person)
        timeline.record(
            row.person,
            "person.deactivation_held",
            actor=actor,
            data={"undone": True, "steps_back": steps},
        )


def _deactivate(person: Person, *, actor) -> None:
    if not person.is_active:
        return
    person.is_active = False
    person.save(update_fields=["is_active"])
    leavers.deactivate(person, actor=actor)


def held():
    return ScimDeactivation.objects.filter(state=State.HELD).select_related(
        "person", "person__user"
    )


@transaction.atomic
def decide_held(*, by, confirm: bool) -> int:
    """An admin confirms (deactivate them all now) or refuses the held batch."""
    rows = list(held().select_for_update(of=("self",)))
    now = timezone.now()
    for row in rows:
        row.state = State.CONFIRMED if confirm else State.REFUSED
        row.decided_by, row.decided_at = by, now
        row.save(update_fields=["state", "decided_by", "decided_at"])
        if confirm:
            _deactivate(row.person, actor=by)
            if row.delete:
                forget_scim_ids(row.person, actor=by)
        else:
            timeline.record(row.person, "person.deactivation_refused", actor=by, data={})
    return len(rows)


@transaction.atomic
def reverse_deactivation(person: Person, *, by) -> list[int]:
    """An admin undoes a deactivation: the person is active again and back in the chain
    steps they left. Their login stays disabled: `manage.py reactivate_login` opens it."""
    restored = _restore(person, actor=by)
    timeline.record(person, "person.reactivated", actor=by, data={"steps_back": restored})
    return restored


def _restore(person: Person, *, actor) -> list[int]:
    """Make `person` active in the directory again and put them back in the chain steps
    their last deactivation took them out of; returns those steps' ids."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    event = timeline.events_for(person).filter(kind="person.deactivated").order_by("-seq").first()
    steps = (event.data or {}).get("steps_left", []) if event else []
    person.is_active = True
    person.save(update_fields=["is_active"])
    restored = []
    for step in EscalationStep.objects.filter(pk__in=steps).select_related("chain"):
        step.notify_people.add(person)
        timeline.record(step.chain, "chain.updated", actor=actor, data={"changed": ["steps"]})
        restored.append(step.pk)
    return restored


def may_decide(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active) and (
        user.is_superuser or user.groups.filter(name=Role.ADMIN).exists()
    )


KIND = gettext_lazy("Held deactivations")


MAPPING_KIND = gettext_lazy("Group role mapping")


def pending_provider(user):
    if not may_decide(user):
        return
    from beredskab.authority import is_privileged
    from beredskab.models import GroupRoleMapping

    for row in GroupRoleMapping.objects.filter(approved_by__isnull=True).select_related(
        "created_by"
    ):
        if is_privileged(row.role):
            yield PendingItem(
                kind=str(MAPPING_KIND),
                title=_("%(group)s gives %(role)s")
                % {"group": row.group_name, "role": row.get_role_display()},
                url=reverse("provisioning"),
                requested_by=row.created_by.get_username() if row.created_by else "",
                requested_at=None,
            )
    rows = held().order_by("requested_at")
    first = rows.first()
    if first is None:
        return
    yield PendingItem(
        kind=str(KIND),
        title=_("%(count)s people to deactivate, from provisioning") % {"count": rows.count()},
        url=reverse("scim_held"),
        requested_by=first.client,
        requested_at=first.requested_at,
    )


def flagged_people():
    """For the systemkoordinator: provisioned mobiles that are not Danish mobiles."""
    return Person.objects.filter(~Q(mobile_as_given=""), Q(mobile="") | Q(mobile__isnull=True))
