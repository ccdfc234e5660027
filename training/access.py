"""Who sees and changes which training data. Every training view goes through here.

- everyone sees their own training ("My training");
- view_compliance: a leader sees the departments they lead and every unit under
  them; the systemkoordinator and the admin (manage_training) see all;
- a completion is recorded by manage_training, or by a leader for a person in scope;
- the import from the e-learning platform: manage_training.

Not logged in → 302 (middleware); a role without the feature → 403; an assignment
outside the user's scope → 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from beredskab.access import can, person_of
from beredskab.models import Department
from beredskab.roles import Role, has_role
from training.models import Assignment


def sees_all(user) -> bool:
    return can(user, "manage_training")


def led_department_ids(user) -> set[int]:
    person = person_of(user)
    if person is None or not has_role(user, Role.LEDER):
        return set()
    led = set(person.leads.values_list("pk", flat=True))
    return Department.subtree_ids(led) if led else set()


def compliance_scope(user) -> set[int] | None:
    """The departments whose compliance `user` may see; None = all. 403 without the
    feature."""
    if not can(user, "view_compliance"):
        raise PermissionDenied("view_compliance")
    if sees_all(user):
        return None
    return led_department_ids(user)


def may_record(user) -> bool:
    return sees_all(user) or (can(user, "view_compliance") and has_role(user, Role.LEDER))


def get_assignment_for(user, pk: int, write: bool = False) -> Assignment:
    if not may_record(user):
        raise PermissionDenied
    assignment = (
        Assignment.objects.current().select_related("person", "course").filter(pk=pk).first()
    )
    if assignment is None:
        raise Http404
    if not sees_all(user) and assignment.person.department_id not in led_department_ids(user):
        raise Http404
    return assignment


def require_import(user) -> None:
    if not can(user, "manage_training"):
        raise PermissionDenied("manage_training")
