"""Role grants (issue 24, item 2): the one way a person gets or loses a role.

Rules (the table of who may grant what is beredskab.authority.GRANTS):
- nobody grants, approves or removes a role on their own person;
- only someone who may grant a role grants, approves or removes it;
- a privileged role (authority.is_privileged) waits for a second person who may grant
  it (not the granter, not the grantee). While nobody else could ever approve it (a
  fresh install: the only holder of that power), it takes effect at once, and it is
  recorded as such and told like every other grant;
- every grant, approval, refusal and removal goes on the person's timeline and is told
  by e-mail to the person and to the admins (through the outbox).

The transition methods below are the only writers of Person.roles and the login's
groups (grant_directly is the set-up path for fixtures and the demo, see there).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from beredskab import timeline
from beredskab.actors import actor_text
from beredskab.authority import GRANTS, grantable_by, is_privileged
from beredskab.grant_notices import tell
from beredskab.models import Person
from beredskab.models.grants import GrantStatus, RoleGrant
from beredskab.pending import PendingItem
from beredskab.roles import Role, user_roles
from beredskab.services.directory import people_changed


class GrantError(Exception):
    """A grant that the rules refuse; the message is for the person who tried."""


ALL_ROLES = frozenset(str(r) for r in Role)


def powers_of(user) -> frozenset[str]:
    """The roles `user` may grant, approve and remove. A superuser (the first admin,
    from createsuperuser) may grant every role; an inactive login none."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return ALL_ROLES
    return grantable_by(user_roles(user))


def is_own(user, person: Person) -> bool:
    return person.user_id is not None and person.user_id == user.pk


def may_decide(user, grant: RoleGrant) -> bool:
    """Whether `user` is a second person for this pending grant."""
    return (
        grant.status == GrantStatus.PENDING
        and grant.role in powers_of(user)
        and grant.granted_by_id != user.pk
        and not is_own(user, grant.person)
    )


def may_remove(user, grant: RoleGrant) -> bool:
    return (
        grant.status == GrantStatus.ACTIVE
        and grant.role in powers_of(user)
        and not is_own(user, grant.person)
    )


def approvers(role: str, *, excluding=()):
    """Active logins that may grant `role`, apart from the ids in `excluding`."""
    granting_roles = [str(r) for r, roles in GRANTS.items() if str(role) in roles]
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name__in=granting_roles))
    )
    return users.exclude(pk__in=[pk for pk in excluding if pk is not None]).distinct()


def _apply(person: Person, role: str, *, add: bool) -> None:
    """Copy a role onto the person and their login. Only transitions call this."""
    group = Group.objects.get(name=role)
    if add:
        person.roles.add(group)
    else:
        person.roles.remove(group)
    if person.user_id:
        if add:
            person.user.groups.add(group)
        else:
            person.user.groups.remove(group)


def _locked(grant: RoleGrant) -> RoleGrant:
    return (
        RoleGrant.objects.select_for_update(of=("self",))
        .select_related("person__user")
        .get(pk=grant.pk)
    )


def _check_granter(user, person: Person, role: str) -> None:
    if is_own(user, person):
        raise GrantError(_("Nobody can change their own roles."))
    if role not in powers_of(user):
        raise GrantError(_("You may not grant or remove this role."))


def _record(grant: RoleGrant, what: str, actor) -> None:
    if what in {"granted", "approved", "removed"}:
        # Whatever follows roles catches up (the apps' people_changed hooks).
        people_changed()
    timeline.record(
        grant.person,
        f"person.role_{what}",
        actor=actor,
        data={
            "role": grant.role,
            "grant": grant.pk,
            "without_second_person": grant.without_second_person,
        },
    )
    tell(grant, what, actor)


@transaction.atomic
def grant(person: Person, role: str, *, by, reason: str = "") -> RoleGrant:
    """Grant `role` to `person`. Active at once, or pending a second person."""
    role = str(role)
    if role not in ALL_ROLES:
        raise GrantError(_("There is no such role."))
    person = Person.objects.select_for_update(of=("self",)).select_related("user").get(pk=person.pk)
    _check_granter(by, person, role)
    if not person.is_active:
        raise GrantError(_("An inactive person cannot be given a role."))
    if person.role_grants.open().filter(role=role).exists():
        raise GrantError(_("The person already has this role or it awaits approval."))
    now = timezone.now()
    item = RoleGrant(person=person, role=role, granted_by=by, granted_at=now, reason=reason)
    if not is_privileged(role):
        item.status = GrantStatus.ACTIVE
    elif not approvers(role, excluding=(by.pk, person.user_id)).exists():
        # Bootstrap: nobody else could approve it, so waiting would wait forever.
        item.status = GrantStatus.ACTIVE
        item.without_second_person = True
    else:
        item.status = GrantStatus.PENDING
    item.save()
    if item.status == GrantStatus.ACTIVE:
        _apply(person, role, add=True)
        _record(item, "granted", by)
    else:
        _record(item, "requested", by)
    return item


def _decide(item: RoleGrant, status: str, by, *fields: str) -> None:
    """The second person's decision on a pending grant (the caller checked the move)."""
    item.status = status
    item.decided_by, item.decided_at = by, timezone.now()
    item.save(update_fields=["status", "decided_by", "decided_at", *fields])


@transaction.atomic
def approve(grant_: RoleGrant, *, by) -> RoleGrant:
    item = _locked(grant_)
    if not item.may_move_to(GrantStatus.ACTIVE):
        raise GrantError(_("This grant no longer awaits approval."))
    if not may_decide(by, item):
        raise GrantError(
            _(
                "A second person who may grant the role approves it: "
                "not the granter, not the person."
            )
        )
    if not item.person.is_active:
        raise GrantError(_("An inactive person cannot be given a role."))
    _decide(item, GrantStatus.ACTIVE, by)
    _apply(item.person, item.role, add=True)
    _record(item, "approved", by)
    return item


@transaction.atomic
def refuse(grant_: RoleGrant, *, by, reason: str = "") -> RoleGrant:
    item = _locked(grant_)
    if not item.may_move_to(GrantStatus.REFUSED):
        raise GrantError(_("This grant no longer awaits approval."))
    # The granter may withdraw their own request; the grantee decides nothing.
    if is_own(by, item.person) or item.role not in powers_of(by):
        raise GrantError(_("You may not decide on this grant."))
    if reason:
        item.reason = reason[:300]
    _decide(item, GrantStatus.REFUSED, by, "reason")
    _record(item, "refused", by)
    return item


@transaction.atomic
def remove(grant_: RoleGrant, *, by) -> RoleGrant:
    item = _locked(grant_)
    if not item.may_move_to(GrantStatus.REMOVED):
        raise GrantError(_("Only an active role can be removed."))
    _check_granter(by, item.person, item.role)
    item.status = GrantStatus.REMOVED
    item.removed_by, item.removed_at = by, timezone.now()
    item.save(update_fields=["status", "removed_by", "removed_at"])
    _apply(item.person, item.role, add=False)
    _record(item, "removed", by)
    return item


def grant_directly(person: Person, *roles: str, reason: str = "set-up") -> list[RoleGrant]:
    """Give roles without a granter, an approval, a notice or a timeline event.

    NOT a path any user reaches: only test fixtures, `load_demo` and `load_plan` call
    it. The rows are marked is_direct so the history shows how the role came.
    """
    made = []
    with transaction.atomic():
        for role in roles:
            role = str(role)
            if person.role_grants.open().filter(role=role).exists():
                continue
            item = RoleGrant.objects.create(
                person=person,
                role=role,
                status=GrantStatus.ACTIVE,
                granted_at=timezone.now(),
                is_direct=True,
                reason=reason,
            )
            _apply(person, role, add=True)
            made.append(item)
    return made


# Grants that come from a provisioning source (the Entra ID token's app roles) carry
# this reason; only they are added and removed by sync_from_provisioning.
PROVISIONED_REASON = "provisioned: Entra ID app roles"


@transaction.atomic
def sync_from_provisioning(person: Person, roles, *, source: str = "Entra ID") -> dict:
    """Make the person's provisioned grants exactly `roles` (the source's truth).

    The source (the tenant's app-role assignment, under its own admins and controls)
    is the approval: privileged roles too take effect without a second person here,
    and are recorded and told like every grant. The portal's own grants are never
    touched; a role the person already holds through one is not added twice.
    """
    wanted = {str(r) for r in roles} & ALL_ROLES
    Person.objects.select_for_update().filter(pk=person.pk).first()
    open_grants = list(person.role_grants.open())
    held = {g.role for g in open_grants}
    provisioned = {g.role: g for g in open_grants if g.is_direct and g.reason == PROVISIONED_REASON}
    added, removed = [], []
    for role in sorted(wanted - held):
        item = RoleGrant.objects.create(
            person=person,
            role=role,
            status=GrantStatus.ACTIVE,
            granted_at=timezone.now(),
            is_direct=True,
            without_second_person=is_privileged(role),
            reason=PROVISIONED_REASON,
        )
        _apply(person, role, add=True)
        added.append(item)
    for role in sorted(set(provisioned) - wanted):
        item = provisioned[role]
        item.status = GrantStatus.REMOVED
        item.removed_at = timezone.now()
        item.save(update_fields=["status", "removed_at"])
        _apply(person, role, add=False)
        removed.append(item)
    if added or removed:
        people_changed()
    for what, items in (("granted", added), ("removed", removed)):
        for item in items:
            timeline.record(
                person,
                f"person.role_{what}",
                actor=source,
                data={"role": item.role, "grant": item.pk, "source": source},
            )
            tell(item, what, None)
    return {"added": [g.role for g in added], "removed": [g.role for g in removed]}


def login_linked(person: Person, *, previous_user=None, actor=None) -> None:
    """A login was linked to `person` (by a superuser in Django admin, or the demo):
    it gets exactly the roles the person was granted, and a login unlinked from the
    person loses them. The link itself is on the person's timeline."""
    roles = set(person.role_grants.filter(status=GrantStatus.ACTIVE).values_list("role", flat=True))
    groups = list(Group.objects.filter(name__in=roles))
    if previous_user is not None and previous_user.pk != person.user_id:
        previous_user.groups.remove(*Group.objects.filter(name__in=ALL_ROLES))
    if person.user_id:
        person.user.groups.set(groups)
    if actor is not None:
        timeline.record(person, "person.login_linked", actor=actor, data={"changed": ["user"]})


# --- "Afventer godkendelse" ---

KIND = gettext_lazy("Role grant")


def pending_grants_for(user):
    """Pending grants `user` may decide on, oldest first."""
    powers = powers_of(user)
    if not powers:
        return RoleGrant.objects.none()
    return (
        RoleGrant.objects.pending()
        .filter(role__in=powers)
        .exclude(granted_by=user)
        .exclude(person__user=user)
        .select_related("person", "granted_by__person")
        .order_by("granted_at", "pk")
    )


def pending_provider(user):
    for item in pending_grants_for(user):
        yield PendingItem(
            kind=str(KIND),
            title=_("%(role)s for %(person)s") % {"role": item.role_label, "person": item.person},
            url=reverse("role_grant_decide", args=[item.pk]),
            requested_by=actor_text(item.granted_by),
            requested_at=item.granted_at,
        )


# --- Provisioning (SCIM, issue 22) ---
# A provisioning client is not a person: it has no login and no powers of its own. It
# applies GroupRoleMapping rows, which people made (a privileged role's row only counts
# once an admin approved it, beredskab.scim.groups). Its grants are recorded as made by
# the client (RoleGrant.provisioned_by) and it removes only grants it made itself.


@transaction.atomic
def grant_by_provisioning(person: Person, role: str, *, client: str) -> RoleGrant | None:
    role = str(role)
    if role not in ALL_ROLES:
        raise GrantError(_("There is no such role."))
    person = Person.objects.select_for_update(of=("self",)).select_related("user").get(pk=person.pk)
    if not person.is_active or person.role_grants.open().filter(role=role).exists():
        return None
    item = RoleGrant.objects.create(
        person=person,
        role=role,
        status=GrantStatus.ACTIVE,
        granted_at=timezone.now(),
        provisioned_by=client[:100],
        reason=f"{client} (group mapping)"[:300],
    )
    _apply(person, role, add=True)
    _record(item, "granted", client)
    return item


@transaction.atomic
def remove_by_provisioning(grant_: RoleGrant, *, client: str) -> RoleGrant:
    item = _locked(grant_)
    if not item.provisioned_by or not item.may_move_to(GrantStatus.REMOVED):
        raise GrantError(_("Provisioning removes only the roles it granted."))
    item.status = GrantStatus.REMOVED
    item.removed_at = timezone.now()
    item.save(update_fields=["status", "removed_at"])
    _apply(item.person, item.role, add=False)
    _record(item, "removed", client)
    return item
