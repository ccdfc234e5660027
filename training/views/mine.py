"""My training: every employee sees what is done, what is due and when, with links."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from beredskab.access import can, person_of
from training.access import may_record
from training.models import Assignment


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    person = person_of(request.user)
    assignments = (
        list(
            Assignment.objects.current()
            .filter(person=person)
            .select_related("course__module")
            .order_by("completed_on", "due_on", "course__module__position", "course__position")
        )
        if person is not None
        else []
    )
    today = timezone.localdate()
    outstanding = [a for a in assignments if not a.is_done]
    done = sorted((a for a in assignments if a.is_done), key=lambda a: a.completed_on, reverse=True)
    return render(
        request,
        "training/index.html",
        {
            "outstanding": [(a, a.is_overdue(today)) for a in outstanding],
            "done": done,
            "can_see_compliance": can(request.user, "view_compliance"),
            "can_import": can(request.user, "manage_training"),
            "may_record": may_record(request.user),
        },
    )
