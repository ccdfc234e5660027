"""The SCIM User is the directory Person: reading one out, writing one in.

Only the provisioned fields are written (name, e-mail, mobile, employee number,
department, manager, external id, user name, active). What the portal owns (absences,
deputies, chain memberships, training, roles) is not touched here; deactivation goes
through beredskab.scim.people, which hands it to beredskab.leavers.
"""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q

from beredskab import timeline
from beredskab.models import DepartmentMapping, Person
from beredskab.scim.errors import ScimError, invalid_value
from beredskab.scim.schemas import ENTERPRISE_URN, USER_URN

FIELDS = (
    "name",
    "title",
    "email",
    "mobile",
    "mobile_as_given",
    "employee_number",
    "scim_department",
    "department_id",
    "manager_id",
    "manager_ref",
    "external_id",
    "scim_user_name",
)


def location(base: str, person: Person) -> str:
    return f"{base}/Users/{person.pk}"


def to_scim(person: Person, base: str) -> dict:
    body = {
        "schemas": [USER_URN],
        "id": str(person.pk),
        "userName": person.scim_user_name or "",
        "active": person.is_active,
        "meta": {"resourceType": "User", "location": location(base, person)},
    }
    if person.external_id:
        body["externalId"] = person.external_id
    if person.name:
        body["displayName"] = person.name
    if person.title:
        body["title"] = person.title
    if person.email:
        body["emails"] = [{"value": person.email, "type": "work"}]
    mobile = _published_mobile(person)
    if mobile:
        body["phoneNumbers"] = [{"value": mobile, "type": "mobile"}]
    enterprise = {}
    if person.employee_number:
        enterprise["employeeNumber"] = person.employee_number
    if person.scim_department:
        enterprise["department"] = person.scim_department
    if person.manager_ref:
        enterprise["manager"] = {"value": person.manager_ref}
    if enterprise:
        body["schemas"].append(ENTERPRISE_URN)
        body[ENTERPRISE_URN] = enterprise
    return body


def _published_mobile(person: Person) -> str:
    """The number as Entra ID sent it while it is the one in use (or flagged); a number
    fixed by hand in the portal since then wins, so a later PATCH keeps the fix."""
    used = str(person.mobile) if person.mobile else ""
    given = person.mobile_as_given
    if not used or (given and danish_mobile(given) == used):
        return given or used
    return used


def to_state(person: Person) -> dict:
    """The stored values in the shape patch.apply_patch works on."""
    body = to_scim(person, "")
    enterprise = body.get(ENTERPRISE_URN, {})
    return {
        "userName": body["userName"] or None,
        "externalId": body.get("externalId"),
        "displayName": body.get("displayName"),
        "title": body.get("title"),
        "active": body["active"],
        "emails": body.get("emails", []),
        "phoneNumbers": body.get("phoneNumbers", []),
        "employeeNumber": enterprise.get("employeeNumber"),
        "department": enterprise.get("department"),
        "manager": enterprise.get("manager"),
    }


def danish_mobile(value: str) -> str:
    """E.164 of a valid Danish mobile, or '' (then it is kept as given and flagged)."""
    try:
        number = phonenumbers.parse(value, "DK")
    except phonenumbers.NumberParseException:
        return ""
    if (
        not phonenumbers.is_valid_number(number)
        or phonenumbers.region_code_for_number(number) != "DK"
    ):
        return ""
    kind = phonenumbers.number_type(number)
    if kind not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def is_mobile_flagged(person: Person) -> bool:
    return bool(person.mobile_as_given) and not person.mobile


def _check_unique(person: Person, field: str, value, label: str) -> None:
    if not value:
        return
    others = Person.objects.filter(**{f"{field}__iexact": value})
    if person.pk:
        others = others.exclude(pk=person.pk)
    if others.exists():
        raise ScimError(409, f"Another user has this {label}.", "uniqueness")


def resolve_manager(ref: str | None, person: Person) -> Person | None:
    """The person a manager reference names: by SCIM id, external id or user name."""
    if not ref:
        return None
    query = Q(external_id=ref) | Q(scim_user_name=ref)
    if ref.isdigit():
        query |= Q(pk=int(ref))
    found = Person.objects.filter(query).exclude(pk=person.pk).first()
    return found


LIMITS = {
    "userName": 254,
    "externalId": 100,
    "displayName": 150,
    "employeeNumber": 64,
    "department": 200,
}


def _check_lengths(state: dict) -> None:
    values = {key: state.get(key) for key in LIMITS}
    values["manager"] = (state.get("manager") or {}).get("value")
    for key, limit in {**LIMITS, "manager": 100}.items():
        if values[key] and len(values[key]) > limit:
            raise invalid_value(f"{key} is longer than {limit} characters.")
    for key, limit in (("emails", 254), ("phoneNumbers", 60)):
        if state.get(key) and len(state[key][0]["value"]) > limit:
            raise invalid_value(f"{key} is longer than {limit} characters.")


def write(person: Person, state: dict) -> list[str]:
    """Copy `state` onto `person` (unsaved); returns the changed field names."""
    if not state.get("userName"):
        raise invalid_value("userName is required.")
    _check_lengths(state)
    for field, key, label in (
        ("scim_user_name", "userName", "userName"),
        ("external_id", "externalId", "externalId"),
        ("employee_number", "employeeNumber", "employeeNumber"),
    ):
        _check_unique(person, field, state.get(key), label)
    before = {field: getattr(person, field) for field in FIELDS}
    person.scim_user_name = state["userName"]
    person.external_id = (state.get("externalId") or None) and state["externalId"]
    person.name = state.get("displayName") or ""
    person.title = state.get("title") or ""
    email = state["emails"][0]["value"] if state.get("emails") else ""
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise invalid_value(f"{email!r} is not an e-mail address.") from exc
    person.email = email
    mobile = state["phoneNumbers"][0]["value"] if state.get("phoneNumbers") else ""
    person.mobile_as_given = mobile
    # Never refused: a bad number is kept as given and not used until someone fixes it.
    person.mobile = danish_mobile(mobile) if mobile else ""
    person.employee_number = state.get("employeeNumber") or ""
    department = state.get("department") or ""
    person.scim_department = department
    if department:
        mapping, _created = DepartmentMapping.objects.get_or_create(value=department)
        if mapping.department_id:
            person.department_id = mapping.department_id
    manager = (state.get("manager") or {}).get("value") or ""
    person.manager_ref = manager
    found = resolve_manager(manager, person)
    person.manager = found
    return [f.removesuffix("_id") for f in FIELDS if getattr(person, f) != before[f]]


def after_created(person: Person, actor: str) -> None:
    """People waiting for this person as their manager get them now."""
    keys = [str(person.pk)] + [k for k in (person.external_id, person.scim_user_name) if k]
    waiting = Person.objects.filter(manager_ref__in=keys, manager__isnull=True).exclude(
        pk=person.pk
    )
    for report in waiting:
        report.manager = person
        report.save(update_fields=["manager"])
        timeline.record(report, "person.provisioned", actor=actor, data={"changed": ["manager"]})
