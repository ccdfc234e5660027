"""Completions: imported from the e-learning platform's CSV export, or recorded by a
leader with a note. The import is all-or-nothing and idempotent."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from beredskab import timeline
from beredskab.cpr import mask_cpr
from beredskab.importer import RowError, read_table
from beredskab.models import Person
from training.models import Assignment, CompletionSource, Course

# The platform's export, in Danish or English. A row names the person by e-mail or
# employee number, and the course by its title or key.
COLUMNS = {
    "email": ["E-mail", "Email", "Mail", "E-mailadresse"],
    "employee_number": ["Medarbejdernummer", "Medarbejdernr", "Employee number", "Employee ID"],
    "course": ["Kursus", "Kursustitel", "Course", "Course title"],
    "completed": ["Gennemført", "Gennemført dato", "Completed", "Completion date", "Dato"],
}
REQUIRED = ["course", "completed"]

_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})|^(\d{1,2})[./-](\d{1,2})[./-](\d{4})")


class ImportRejected(Exception):
    """Rows that stop the import; nothing was stored."""

    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} rows rejected")
        self.errors = errors


@dataclass
class ImportResult:
    rows: int = 0
    recorded: int = 0
    already_known: int = 0
    people: set[int] = field(default_factory=set)


def parse_date(value: str) -> date | None:
    """2026-03-01, 01-03-2026, 1.3.2026 or 01/03/2026, with or without a time after it."""
    match = _DATE.match(value.strip())
    if not match:
        return None
    if match.group(1):
        year, month, day = match.group(1, 2, 3)
    else:
        day, month, year = match.group(4, 5, 6)
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _people_index() -> tuple[dict[str, Person], dict[str, Person]]:
    people = Person.objects.exclude(email="", employee_number="")
    by_email: dict[str, Person] = {}
    for person in people.annotate(lower_email=Lower("email")):
        if person.email:
            by_email.setdefault(person.lower_email, person)
    by_number = {p.employee_number: p for p in people if p.employee_number}
    return by_email, by_number


def import_completions(data: bytes, *, actor, now: datetime | None = None) -> ImportResult:
    """Read the export and record every completion, or raise ImportRejected (listing
    every bad row) / ImportFailed (the file as a whole) and store nothing."""
    now = now or timezone.now()
    table = read_table(data, columns=COLUMNS, required=REQUIRED)
    if "email" not in table.mapped and "employee_number" not in table.mapped:
        table.errors.insert(0, RowError(1, _("the file needs an e-mail or an employee number")))
        raise ImportRejected(table.errors)
    errors = list(table.errors)
    by_email, by_number = _people_index()
    courses: dict[str, Course] = {}
    for course in Course.objects.all():
        courses.setdefault(course.title.casefold(), course)
        courses.setdefault(course.key.casefold(), course)
    today = timezone.localdate(now)
    seen: dict[tuple[int, int], int] = {}
    wanted: list[tuple[int, Person, Course, date]] = []
    for row in table.rows:
        problems = []
        person = None
        if row["email"]:
            person = by_email.get(row["email"].casefold())
        if person is None and row["employee_number"]:
            person = by_number.get(row["employee_number"])
        if person is None:
            who = row["email"] or row["employee_number"]
            problems.append(
                _("unknown person %(who)s") % {"who": mask_cpr(who)[:80]}
                if who
                else _("no e-mail or employee number")
            )
        course = courses.get(row["course"].casefold()) if row["course"] else None
        if course is None:
            problems.append(_("unknown course “%(course)s”") % {"course": row["course"][:120]})
        completed = parse_date(row["completed"])
        if completed is None:
            problems.append(_("no valid completion date"))
        elif completed > today:
            problems.append(_("the completion date is in the future"))
        if person is not None and course is not None:
            first = seen.setdefault((person.pk, course.pk), row.number)
            if first != row.number:
                problems.append(
                    _("duplicate of row %(first)s (same person and course)") % {"first": first}
                )
        if problems:
            errors.append(RowError(row.number, "; ".join(problems)))
        else:
            wanted.append((row.number, person, course, completed))
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: e.number))
    return _apply(wanted, actor=actor, now=now, rows=len(table.rows))


def _apply(wanted, *, actor, now: datetime, rows: int) -> ImportResult:
    result = ImportResult(rows=rows)
    today = timezone.localdate(now)
    with transaction.atomic():
        existing = {
            (a.person_id, a.course_id): a
            for a in Assignment.objects.select_for_update().filter(
                person_id__in={p.pk for _n, p, _c, _d in wanted}
            )
        }
        recorded: dict[int, list[str]] = {}
        for _number, person, course, completed in wanted:
            assignment = existing.get((person.pk, course.pk))
            if assignment is not None and assignment.completed_on is not None:
                result.already_known += 1
                continue
            if assignment is None:
                # Done on the platform before the portal assigned it (or outside the
                # person's audience): kept on the record all the same.
                assignment = Assignment(
                    person=person,
                    course=course,
                    assigned_at=now,
                    due_on=course.due_on(person, today),
                )
            assignment.completed_on = completed
            assignment.completion_source = CompletionSource.IMPORT
            assignment.completion_recorded_at = now
            assignment.completion_recorded_by = str(getattr(actor, "person", None) or actor)
            assignment.save()
            result.recorded += 1
            result.people.add(person.pk)
            recorded.setdefault(person.pk, []).append(course.key)
        for person in Person.objects.filter(pk__in=recorded):
            timeline.record(
                person,
                "training.completed",
                actor=actor,
                at=now,
                data={"courses": sorted(recorded[person.pk]), "source": "import"},
            )
    return result


def record_completion(
    assignment: Assignment, *, completed_on: date, note: str, actor, now: datetime | None = None
) -> Assignment:
    """A leader ticks a course as done, with a note saying how they know."""
    now = now or timezone.now()
    with transaction.atomic():
        assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
        assignment.completed_on = completed_on
        assignment.completion_source = CompletionSource.LEADER
        assignment.completion_note = mask_cpr(note)
        assignment.completion_recorded_at = now
        assignment.completion_recorded_by = str(getattr(actor, "person", None) or actor)
        assignment.save()
        timeline.record(
            assignment.person,
            "training.completed",
            actor=actor,
            at=now,
            data={
                "courses": [assignment.course.key],
                "source": "leader",
                "completed_on": completed_on.isoformat(),
                "note": assignment.completion_note,
            },
        )
    return assignment
