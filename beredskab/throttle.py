"""How many escalations one reporter may start: the report-rate hold.

A report is always saved. Its escalation starts at once while the reporter has started
fewer than REPORT_ESCALATIONS_PER_REPORTER within REPORT_ESCALATION_WINDOW_MINUTES,
counted across every kind of report; beyond that the report is held: it starts
nothing until the systemkoordinator releases it. The systemkoordinator is told once
per burst (when the first report of a reporter's burst is held), not once per report,
so a stuck button or a hostile account cannot turn ten reports into thirty SMS.

    admitted = throttle.admit(user, incident, now=now)   # in the caller's transaction
    if admitted: start the escalation
    ...
    if throttle.release(incident, actor=user, now=now):  # in the caller's transaction
        start the escalation

The feature app starts its own escalation: the core never imports a feature app.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from beredskab import pending, timeline
from beredskab.actors import actor_text
from beredskab.models import Person
from beredskab.models.outbox import Priority
from beredskab.models.throttle import GateState, ReportGate
from beredskab.notify import outbox
from beredskab.notify.people import to_person
from beredskab.roles import Role, has_role

timeline.register_kind(
    "report.held",
    gettext_lazy(
        "Held: the reporter has started %(limit)s escalations within %(minutes)s minutes. "
        "No escalation starts until the systemkoordinator releases the report"
    ),
)
timeline.register_kind(
    "report.released", gettext_lazy("Released by the systemkoordinator: the escalation starts")
)


def limit() -> int:
    return settings.REPORT_ESCALATIONS_PER_REPORTER


def window() -> timedelta:
    return timedelta(minutes=settings.REPORT_ESCALATION_WINDOW_MINUTES)


def _subject(subject: models.Model) -> tuple[str, int]:
    label, pk = timeline.subject_key(subject)
    return label, int(pk)


def _text(value: object) -> str:
    return str(value)[:200]


def admit(user, subject: models.Model, *, now: datetime) -> bool:
    """Record `subject` (a saved report by `user`) against the reporter's budget.

    True: start its escalation now. False: it is held (and on its timeline). Call it
    inside the transaction that saves the report, so the gate commits with it."""
    label, pk = _subject(subject)
    # Two reports by one person racing each other would both count two; queue them on
    # the reporter's row (SQLite's BEGIN IMMEDIATE already serialises all writers).
    list(get_user_model()._base_manager.select_for_update().filter(pk=user.pk).values("pk"))
    started = ReportGate.objects.filter(
        reporter=user, state=GateState.ADMITTED, at__gt=now - window()
    ).count()
    held = started >= limit()
    burst_already_held = (
        held and ReportGate.objects.filter(reporter=user, state=GateState.HELD).exists()
    )
    gate = ReportGate.objects.create(
        reporter=user,
        reporter_text=_text(actor_text(user)),
        subject_type=label,
        subject_id=pk,
        subject_text=_text(subject),
        url=subject.get_absolute_url()[:300],
        state=GateState.HELD if held else GateState.ADMITTED,
        at=now,
    )
    if not held:
        return True
    timeline.record(
        subject,
        "report.held",
        actor=user,
        at=now,
        data={"limit": limit(), "minutes": settings.REPORT_ESCALATION_WINDOW_MINUTES},
    )
    if not burst_already_held:
        _tell_coordinators(gate)
    return False


def release(subject: models.Model, *, actor, now: datetime) -> bool:
    """Release a held report. True when this call released it (the caller then starts
    its escalation in the same transaction); False when it was not held (any more)."""
    label, pk = _subject(subject)
    with transaction.atomic():
        gate = (
            ReportGate.objects.select_for_update()
            .filter(subject_type=label, subject_id=pk, state=GateState.HELD)
            .first()
        )
        if gate is None:
            return False
        gate.state = GateState.RELEASED
        gate.released_at = now
        gate.released_by = actor
        gate.save(update_fields=["state", "released_at", "released_by"])
        timeline.record(subject, "report.released", actor=actor, at=now)
    return True


def is_held(subject: models.Model) -> bool:
    label, pk = _subject(subject)
    return ReportGate.objects.filter(
        subject_type=label, subject_id=pk, state=GateState.HELD
    ).exists()


def held_ids(model: type[models.Model]):
    """The pks of `model`'s held reports, as a subquery for .exclude(pk__in=...)."""
    return ReportGate.objects.filter(
        subject_type=model._meta.concrete_model._meta.label_lower, state=GateState.HELD
    ).values("subject_id")


def may_release(user) -> bool:
    return bool(
        getattr(user, "is_superuser", False) or has_role(user, Role.SYSTEMKOORDINATOR, Role.ADMIN)
    )


def coordinators():
    """Who is told about a held burst: the systemkoordinators, else the admins."""
    people = Person.objects.active().filter(roles__name=Role.SYSTEMKOORDINATOR).distinct()
    if people.exists():
        return people
    return Person.objects.active().filter(roles__name=Role.ADMIN).distinct()


def _tell_coordinators(gate: ReportGate) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        text = _(
            "Beredskabsportalen: %(name)s has started %(limit)s escalations within "
            "%(minutes)s minutes. Their further reports are held and start no escalation "
            "until you release them: %(link)s"
        ) % {
            "name": gate.reporter_text,
            "limit": limit(),
            "minutes": settings.REPORT_ESCALATION_WINDOW_MINUTES,
            "link": settings.BASE_URL + gate.url,
        }
        subject = _("Reports held")
    batch = []
    for person in coordinators():
        batch += to_person(
            person,
            key=f"report-hold:{gate.pk}:person:{person.pk}",
            sms=text,
            subject=subject,
            email=text,
            priority=Priority.ESCALATION,
        )
    outbox.enqueue(batch)


def pending_items(user):
    """The held reports, for the "Afventer godkendelse" page of those who may release."""
    if not may_release(user):
        return []
    kind = _("Held report")
    return [
        pending.PendingItem(
            kind=kind,
            title=gate.subject_text,
            url=gate.url,
            requested_by=gate.reporter_text,
            requested_at=gate.at,
        )
        for gate in ReportGate.objects.filter(state=GateState.HELD).order_by("at")[:200]
    ]


pending.register(pending_items)
