"""SCIM Groups. A group never writes a Django group: its members get the roles that
GroupRoleMapping names for it, through beredskab.grants, under the authority rules."""

from __future__ import annotations

from beredskab.authority import is_privileged
from beredskab.grants import grant_by_provisioning, remove_by_provisioning
from beredskab.models import GroupRoleMapping, Person, RoleGrant, ScimGroup
from beredskab.models.grants import GrantStatus
from beredskab.roles import Role
from beredskab.scim.errors import ScimError, invalid_value
from beredskab.scim.schemas import GROUP_URN


def location(base: str, group: ScimGroup) -> str:
    return f"{base}/Groups/{group.pk}"


def to_scim(group: ScimGroup, base: str) -> dict:
    body = {
        "schemas": [GROUP_URN],
        "id": str(group.pk),
        "displayName": group.display_name,
        "meta": {"resourceType": "Group", "location": location(base, group)},
    }
    if group.external_id:
        body["externalId"] = group.external_id
    members = [
        {"value": str(pk), "$ref": f"{base}/Users/{pk}", "type": "User"}
        for pk in group.members.order_by("pk").values_list("pk", flat=True)
    ]
    if members:
        body["members"] = members
    return body


def to_state(group: ScimGroup) -> dict:
    return {
        "displayName": group.display_name,
        "externalId": group.external_id,
        "members": [{"value": str(pk)} for pk in group.members.values_list("pk", flat=True)],
    }


def effective(mapping: GroupRoleMapping) -> bool:
    """A mapping to a privileged role counts only once an admin approved it; a mapping
    to admin the same (admin is privileged). Ordinary roles need no approval."""
    if not is_privileged(mapping.role):
        return True
    approver = mapping.approved_by
    return bool(
        approver
        and approver.is_active
        and (approver.is_superuser or approver.groups.filter(name=Role.ADMIN).exists())
    )


def write(group: ScimGroup, state: dict) -> list[Person]:
    """Copy `state` onto `group` (saved); returns the people whose membership changed."""
    name = state.get("displayName")
    if not name:
        raise invalid_value("displayName is required.")
    others = ScimGroup.objects.filter(display_name__iexact=name)
    if group.pk:
        others = others.exclude(pk=group.pk)
    if others.exists():
        raise ScimError(409, "Another group has this displayName.", "uniqueness")
    ids = []
    for member in state.get("members") or []:
        if not member["value"].isdigit():
            raise invalid_value(f"No user has the id {member['value']!r}.")
        ids.append(int(member["value"]))
    # Only provisioned people: a group cannot reach a hand-made person SCIM never sent.
    people = list(Person.objects.filter(pk__in=ids, scim_user_name__isnull=False))
    if len(people) != len(set(ids)):
        raise invalid_value("A member is not a provisioned user.")
    group.display_name = name[:200]
    group.external_id = (state.get("externalId") or None) and state["externalId"][:200]
    group.save()
    before = set(group.members.values_list("pk", flat=True))
    group.members.set(people)
    changed = before ^ set(ids)
    return list(Person.objects.filter(pk__in=changed))


def sync_roles(people, *, client: str) -> None:
    """Each person gets the roles their groups map to, and loses the roles that
    provisioning gave them and no group maps to any more. Grants made by people stay."""
    for person in people:
        wanted = set()
        names = list(person.scim_groups.values_list("display_name", flat=True))
        for mapping in GroupRoleMapping.objects.filter(group_name__in=names).select_related(
            "approved_by"
        ):
            if effective(mapping):
                wanted.add(mapping.role)
        if person.is_active:
            for role in sorted(wanted):
                grant_by_provisioning(person, role, client=client)
        provisioned = RoleGrant.objects.filter(person=person, status=GrantStatus.ACTIVE).exclude(
            provisioned_by=""
        )
        for item in provisioned:
            if item.role not in wanted:
                remove_by_provisioning(item, client=client)
