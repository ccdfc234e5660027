"""Who sees and changes which incident. Every incidents view goes through here.

- the systemkoordinator, the external DPO and IT see every incident;
- a leader sees the incidents of the departments they lead, and of the units under them;
- everyone sees their own reports (through the receipt);
- only holders of manage_incident_log change an incident; a leader in scope may also
  record the taskforce decision (the plan gives that decision to the nearest leader);
- while a systemkoordinator is away, the deputy the directory named for them before the
  absence began reads every incident and records the assessment and the decision
  (incidents.standin); nothing else of theirs;
- the external DPO may always record a recommendation (advice).

Not logged in → 302 (middleware); a role without the feature → 403; an incident
outside the user's scope → 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from beredskab.access import can, person_of
from beredskab.models import Department
from beredskab.roles import Role, has_role
from incidents.models import Attachment, Incident
from incidents.standin import acting_for


def sees_all(user) -> bool:
    return can(user, "manage_incident_log") or (
        can(user, "view_incident_log") and has_role(user, Role.EKSTERN_DPO, Role.IT)
    )


def led_department_ids(user) -> set[int]:
    """The departments this user leads (or is the deputy of), and every unit under them."""
    person = person_of(user)
    if person is None or not has_role(user, Role.LEDER):
        return set()
    # A department's deputy stands in for its leaders (Person.nearest_leader does too).
    led = set(person.leads.values_list("pk", flat=True))
    led |= set(person.deputy_for_departments.values_list("pk", flat=True))
    if not led:
        return set()
    return Department.subtree_ids(led)


def incidents_visible_to(user):
    if sees_all(user) or acting_for(user) is not None:
        return Incident.objects.all()
    person = person_of(user)
    if person is None:
        return Incident.objects.none()
    scope = Q(reporter=person)
    departments = led_department_ids(user) if can(user, "view_incident_log") else set()
    if departments:
        scope |= Q(department_id__in=departments)
    return Incident.objects.filter(scope)


def log_for(user):
    """The hændelseslog as this user may read it (403 without the feature)."""
    if not can(user, "view_incident_log") and acting_for(user) is None:
        raise PermissionDenied("view_incident_log")
    return incidents_visible_to(user)


def _get(queryset, pk: int) -> Incident:
    incident = queryset.filter(pk=pk).first()
    if incident is None:
        raise Http404
    return incident


def get_receipt_for(user, pk: int) -> Incident:
    """The reporter's receipt: their own report, or any incident they may read."""
    return _get(incidents_visible_to(user), pk)


def get_incident_for(user, pk: int, write: bool = False) -> Incident:
    """Read: the log's feature (403) and the user's scope (404). Write: manage_incident_log."""
    if write and not can(user, "manage_incident_log"):
        raise PermissionDenied
    return _get(log_for(user), pk)


def may_assess(user) -> bool:
    return can(user, "manage_incident_log") or acting_for(user) is not None


def get_incident_for_assessment(user, pk: int):
    """The assessment and the decision: (incident, the absent systemkoordinator this user
    stands in for, or None when they act in their own right)."""
    if can(user, "manage_incident_log"):
        return get_incident_for(user, pk, write=True), None
    absent = acting_for(user)
    if absent is None:
        raise PermissionDenied
    return _get(Incident.objects.all(), pk), absent


def may_advise(user) -> bool:
    return has_role(user, Role.EKSTERN_DPO)


def get_incident_for_advice(user, pk: int) -> Incident:
    if not may_advise(user):
        raise PermissionDenied
    return _get(log_for(user), pk)


def may_decide_taskforce(user, incident: Incident) -> bool:
    if can(user, "manage_incident_log"):
        return True
    return incident.department_id is not None and incident.department_id in led_department_ids(user)


def get_incident_for_taskforce(user, pk: int) -> Incident:
    if not (can(user, "manage_incident_log") or has_role(user, Role.LEDER)):
        raise PermissionDenied
    incident = _get(log_for(user), pk)
    if not may_decide_taskforce(user, incident):
        raise Http404
    return incident


def get_notification_target_for(user, pk: int) -> Incident:
    if not can(user, "record_datatilsynet_notification"):
        raise PermissionDenied("record_datatilsynet_notification")
    return _get(log_for(user), pk)


def may_see_view_log(user) -> bool:
    return can(user, "manage_incident_log") or (
        can(user, "view_incident_log") and has_role(user, Role.EKSTERN_DPO)
    )


def get_view_log_for(user, pk: int) -> Incident:
    """Who looked at an incident: the systemkoordinator and the DPO only (403 otherwise)."""
    if not may_see_view_log(user):
        raise PermissionDenied
    return _get(log_for(user), pk)


def get_attachment_for(user, pk: int, attachment_pk: int) -> Attachment:
    incident = get_receipt_for(user, pk)
    attachment = incident.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    return attachment
