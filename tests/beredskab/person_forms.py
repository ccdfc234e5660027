"""Helpers for tests that post the directory's person form."""

from __future__ import annotations

from beredskab.models import Person


def with_valid_mobile(person: Person, number: str = "+4521990077") -> Person:
    # conftest's numbers lie outside the Danish numbering plan; the form refuses them.
    Person.objects.filter(pk=person.pk).update(mobile=number)
    person.refresh_from_db()
    return person


def person_post(person: Person, **changes) -> dict:
    """The person's form as it stands, with `changes`."""
    data = {
        "name": person.name,
        "title": person.title,
        "department": person.department_id or "",
        "mobile": str(person.mobile or ""),
        "email": person.email,
        "employee_number": person.employee_number,
        "external_organisation": person.external_organisation,
        "deputy": person.deputy_id or "",
        "alternative_mobile": str(person.alternative_mobile or ""),
    }
    for flag in ("has_it_access", "reachable_during_outage", "is_active"):
        if getattr(person, flag):
            data[flag] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}
