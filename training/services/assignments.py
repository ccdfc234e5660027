"""Make the assignments match the people: one idempotent function, run hourly by beat
(so edits made in Django admin are caught too) and after changes in the portal."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from beredskab import timeline
from beredskab.models import Department, Person
from training.models import Assignment, Course, Module


@dataclass
class SyncResult:
    created: int = 0
    withdrawn: int = 0
    restored: int = 0
    changed_people: set[int] = field(default_factory=set)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.withdrawn or self.restored)


def eligible_people():
    """Who gets training at all: active, inside the municipality, with IT access."""
    return Person.objects.active().internal().filter(has_it_access=True)


def wanted_pairs() -> set[tuple[int, int]]:
    """(person id, course id) for every course each eligible person must take."""
    people = list(eligible_people().prefetch_related("roles"))
    roles_of = {p.pk: {g.pk for g in p.roles.all()} for p in people}
    wanted: set[tuple[int, int]] = set()
    for module in Module.objects.prefetch_related("roles", "departments"):
        course_ids = list(
            Course.objects.filter(module=module, is_active=True).values_list("pk", flat=True)
        )
        if not course_ids:
            continue
        role_ids = {g.pk for g in module.roles.all()}
        departments = Department.subtree_ids({d.pk for d in module.departments.all()})
        for person in people:
            if (
                module.for_everyone
                or roles_of[person.pk] & role_ids
                or person.department_id in departments
            ):
                wanted.update((person.pk, course_id) for course_id in course_ids)
    return wanted


def sync_assignments(now: datetime | None = None) -> SyncResult:
    """Create missing assignments, withdraw those nobody should have any more (unless
    done: a completed course stays on the record), restore withdrawn ones that apply
    again. Running it twice changes nothing the second time."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    result = SyncResult()
    with transaction.atomic():
        wanted = wanted_pairs()
        existing = {
            (a.person_id, a.course_id): a
            for a in Assignment.objects.select_for_update().only(
                "pk", "person_id", "course_id", "withdrawn_at", "completed_on"
            )
        }
        missing = wanted - existing.keys()
        if missing:
            people = Person.objects.in_bulk({p for p, _c in missing})
            courses = Course.objects.in_bulk({c for _p, c in missing})
            Assignment.objects.bulk_create(
                [
                    Assignment(
                        person_id=p,
                        course_id=c,
                        assigned_at=now,
                        due_on=courses[c].due_on(people[p], today),
                    )
                    for p, c in sorted(missing)
                ],
                ignore_conflicts=True,  # a sync running at the same moment made it
            )
            result.created = len(missing)
            result.changed_people.update(p for p, _c in missing)
        withdraw = [
            a.pk
            for key, a in existing.items()
            if key not in wanted and a.withdrawn_at is None and a.completed_on is None
        ]
        restore = [
            a.pk for key, a in existing.items() if key in wanted and a.withdrawn_at is not None
        ]
        if withdraw:
            result.withdrawn = Assignment.objects.filter(pk__in=withdraw).update(withdrawn_at=now)
        if restore:
            result.restored = Assignment.objects.filter(pk__in=restore).update(withdrawn_at=None)
        for key, a in existing.items():
            if a.pk in withdraw or a.pk in restore:
                result.changed_people.add(key[0])
        if result.changed:
            _record(result, now)
    return result


def _record(result: SyncResult, now: datetime) -> None:
    """One timeline event per person whose training changed, with the course titles."""
    assignments = Assignment.objects.filter(person_id__in=result.changed_people).select_related(
        "course"
    )
    by_person: dict[int, list[str]] = {}
    for a in assignments:
        if a.withdrawn_at is None:
            by_person.setdefault(a.person_id, []).append(a.course.key)
    for person in Person.objects.filter(pk__in=result.changed_people):
        timeline.record(
            person,
            "training.assignments_synced",
            at=now,
            data={"courses": sorted(by_person.get(person.pk, []))},
        )
