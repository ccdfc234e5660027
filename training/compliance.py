"""Compliance figures: per department and per course, with who is overdue.

Counted over current assignments (not withdrawn): percent = done / assigned. Built
from one query of assignments, so a page costs the same few queries however many.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from beredskab.models import Department
from training.models import Assignment


@dataclass
class Figure:
    name: str
    pk: int | None = None
    total: int = 0
    done: int = 0
    overdue: list[str] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100


def _assignments(department_ids: Iterable[int] | None):
    """Current assignments of active people; None means every department."""
    rows = Assignment.objects.current().filter(person__is_active=True)
    if department_ids is not None:
        rows = rows.filter(person__department_id__in=list(department_ids))
    return rows


def department_rows(department_ids: Iterable[int] | None, today: date) -> list[Figure]:
    rows = _assignments(department_ids).values_list(
        "person__department_id", "person__name", "completed_on", "due_on"
    )
    names = dict(Department.objects.values_list("pk", "name"))
    figures: dict[int | None, Figure] = {}
    for department_id, person_name, completed_on, due_on in rows:
        figure = figures.get(department_id)
        if figure is None:
            figure = figures[department_id] = Figure(
                names.get(department_id, _("No department")), department_id
            )
        figure.total += 1
        if completed_on is not None:
            figure.done += 1
        elif due_on < today and person_name not in figure.overdue:
            figure.overdue.append(person_name)
    for figure in figures.values():
        figure.overdue.sort()
    return sorted(figures.values(), key=lambda f: f.name)


def course_rows(department_ids: Iterable[int] | None, today: date) -> list[Figure]:
    rows = _assignments(department_ids).values_list(
        "course_id",
        "course__title",
        "course__module__position",
        "course__position",
        "person__name",
        "completed_on",
        "due_on",
    )
    figures: dict[int, Figure] = {}
    order: dict[int, tuple] = {}
    for course_id, title, module_pos, pos, person_name, completed_on, due_on in rows:
        figure = figures.setdefault(course_id, Figure(title, course_id))
        order[course_id] = (module_pos, pos, title)
        figure.total += 1
        if completed_on is not None:
            figure.done += 1
        elif due_on < today:
            figure.overdue.append(person_name)
    for figure in figures.values():
        figure.overdue.sort()
    return [figures[pk] for pk in sorted(figures, key=lambda pk: order[pk])]


def outstanding_assignments(department_ids: Iterable[int] | None):
    """Every course not yet done, earliest deadline first (who is overdue comes first)."""
    return (
        _assignments(department_ids)
        .filter(completed_on__isnull=True)
        .select_related("person__department", "course")
        .order_by("due_on", "person__name", "course__position")
    )


def totals(figures: list[Figure]) -> Figure:
    out = Figure(_("All"))
    for figure in figures:
        out.total += figure.total
        out.done += figure.done
    return out
