"""Escalation runs: a chain's steps snapshotted at start, driven by acknowledgements
and by the periodic tick (beredskab.escalation.engine)."""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from beredskab import timeline
from beredskab.models.chains import EventKind
from beredskab.models.directory import Person
from beredskab.models.escalation_states import (
    ENDED_RUN_STATUSES,
    LIVE_STEP_STATUSES,
    OPEN_RUN_STATUSES,
    RUN_TRANSITIONS,
    STEP_TRANSITIONS,
    Completion,
    EscalationError,
    RunStatus,
    StepStatus,
)

# LOCK ORDER. Every path that changes an escalation (the acknowledgement link and
# button, the tick, closing, the subject's end) takes its row locks in this order and
# only through lock() below: the run, then the step, then the recipient (and its
# token). Two paths that both follow it can wait for each other but never deadlock;
# the link and the tick used to lock in opposite orders (issue 14). The transition
# methods refuse to run on a row that was not locked this way.


class RunQuerySet(models.QuerySet):
    def lock(self, pk: int) -> EscalationRun:
        """The run, locked: always the first lock an escalation change takes."""
        run = self.select_for_update(of=("self",)).get(pk=pk)
        run._locked = True
        return run

    def for_subject(self, subject_type: str, subject_id) -> models.QuerySet:
        return self.filter(subject_type=subject_type, subject_id=str(subject_id))

    def real(self):
        return self.filter(is_exercise=False)

    def exercises(self):
        return self.filter(is_exercise=True)

    def open(self):
        return self.filter(status__in=OPEN_RUN_STATUSES)


class EscalationRun(models.Model):
    chain = models.ForeignKey(
        "beredskab.EscalationChain",
        verbose_name=_("chain"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="runs",
    )
    chain_name = models.CharField(_("chain"), max_length=150)
    event_kind = models.CharField(_("event kind"), max_length=20, choices=EventKind)
    title = models.CharField(_("title"), max_length=150)
    # Shown on the acknowledgement page without login: no personal data.
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    reporter = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RunStatus, default=RunStatus.ACTIVE
    )
    is_exercise = models.BooleanField(_("exercise"), default=False)
    include_external = models.BooleanField(_("include external steps"), default=True)
    is_test = models.BooleanField(_("test of the chain"), default=False)
    started_at = models.DateTimeField(_("started"))
    started_by_text = models.CharField(max_length=200, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    close_reason = models.TextField(_("reason"), blank=True)
    closed_by_text = models.CharField(_("closed by"), max_length=200, blank=True)
    # The subject that owns the run (an incident, an outage), as the timeline names
    # subjects: the core knows it only by type and id (beredskab.escalation.subjects).
    subject_type = models.CharField(max_length=60, blank=True)
    subject_id = models.CharField(max_length=40, blank=True)

    objects = RunQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("escalation run")
        verbose_name_plural = _("escalation runs")
        indexes = [
            models.Index(fields=["status", "-started_at"], name="run_status_started"),
            # A subject's runs: ending them when it closes, its page.
            models.Index(fields=["subject_type", "subject_id"], name="run_subject"),
        ]

    def __str__(self) -> str:
        prefix = "ØVELSE: " if self.is_exercise else ""
        return f"{prefix}{self.title}"

    @property
    def group_key(self) -> str:
        return f"run:{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_RUN_STATUSES

    @property
    def has_ended(self) -> bool:
        return self.status in ENDED_RUN_STATUSES

    # --- transitions (the caller holds the lock: EscalationRun.objects.lock) ---

    def can_move_to(self, status: str) -> bool:
        return status in RUN_TRANSITIONS.get(self.status, ())

    def move(
        self, to: str, *, kind: str, now: datetime, actor=None, why: str = "", data=None, **fields
    ) -> None:
        """Check, save, record: the one path every run transition takes."""
        if not getattr(self, "_locked", False):
            raise EscalationError("lock the run first (EscalationRun.objects.lock)")
        if not self.can_move_to(to):
            raise EscalationError(f"the run cannot move from {self.status} to {to}")
        before = self.status
        fields["status"] = to
        for name, value in fields.items():
            setattr(self, name, value)
        self.save(update_fields=list(fields))
        timeline.record(
            self,
            kind,
            actor=actor,
            at=now,
            data={"from": before, "to": to, "why": why, **(data or {})},
        )


class RunStepQuerySet(models.QuerySet):
    def lock(self, pk: int, run: EscalationRun) -> RunStep:
        """The step, locked after its run (the lock order above)."""
        if not getattr(run, "_locked", False):
            raise EscalationError("lock the step's run first")
        step = self.select_for_update(of=("self",)).get(pk=pk, run=run)
        step._locked = True
        step.run = run
        return step


class RunStep(models.Model):
    run = models.ForeignKey(EscalationRun, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=150)
    # The snapshot of the chain's step at the run's start.
    role_names = models.JSONField(default=list)
    person_ids = models.JSONField(default=list)
    notify_nearest_leader = models.BooleanField(default=False)
    by_sms = models.BooleanField(default=True)
    by_email = models.BooleanField(default=True)
    is_external = models.BooleanField(default=False)
    ack_timeout_minutes = models.PositiveIntegerField()
    checklist = models.JSONField(default=list)
    completion = models.CharField(max_length=20, choices=Completion, default=Completion.ANYONE)
    # "each position": the position keys (escalation_states) that must be acknowledged.
    positions = models.JSONField(default=list)

    status = models.CharField(
        _("status"), max_length=20, choices=StepStatus, default=StepStatus.WAITING
    )
    started_at = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = RunStepQuerySet.as_manager()

    class Meta:
        ordering = ["run", "position"]
        constraints = [
            models.UniqueConstraint(fields=["run", "position"], name="runstep_position_unique")
        ]
        # The tick: live steps whose deadline has passed.
        indexes = [
            models.Index(
                fields=["deadline"],
                name="runstep_live_deadline",
                condition=Q(status__in=["notified", "reminded"]),
            )
        ]

    def __str__(self) -> str:
        return f"{self.run} · {self.position}. {self.name}"

    def channels(self) -> list[str]:
        return [c for c, on in (("sms", self.by_sms), ("email", self.by_email)) if on]

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STEP_STATUSES

    # --- transitions (the caller holds the run's lock, then the step's) ---

    def can_move_to(self, status: str) -> bool:
        return status in STEP_TRANSITIONS.get(self.status, ())

    def move(
        self,
        to: str,
        run: EscalationRun,
        *,
        kind: str,
        now: datetime,
        actor=None,
        why: str = "",
        data=None,
        **fields,
    ) -> None:
        """Check, save, record on the run's timeline: the one path every step
        transition takes. `run` is this step's run, locked before the step."""
        if not getattr(run, "_locked", False) or run.pk != self.run_id:
            raise EscalationError("lock the step's run first")
        if not getattr(self, "_locked", False):
            raise EscalationError("lock the step first (RunStep.objects.lock)")
        if not self.can_move_to(to):
            raise EscalationError(f"the step cannot move from {self.status} to {to}")
        before = self.status
        fields["status"] = to
        for name, value in fields.items():
            setattr(self, name, value)
        self.save(update_fields=list(fields))
        timeline.record(
            run,
            kind,
            actor=actor,
            at=now,
            data={"step": self.name, "from": before, "to": to, "why": why, **(data or {})},
        )


class RunRecipient(models.Model):
    step = models.ForeignKey(RunStep, on_delete=models.CASCADE, related_name="recipients")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    as_deputy_for = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notified_at = models.DateTimeField()
    # The positions this person fills on the step (escalation_states keys), and when
    # they acknowledged: one row per person, so the run page can show who has not.
    positions = models.JSONField(default=list)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_via = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["step", "notified_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["step", "person"], name="runrecipient_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.step}"


class AckToken(models.Model):
    """A single-purpose acknowledgement link. Only the SHA-256 of the token is stored."""

    recipient = models.ForeignKey(RunRecipient, on_delete=models.CASCADE, related_name="tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"token for {self.recipient}"

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ChecklistTick(models.Model):
    step = models.ForeignKey(RunStep, on_delete=models.CASCADE, related_name="ticks")
    item_index = models.PositiveSmallIntegerField()
    item_text = models.CharField(max_length=300)
    ticked_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    ticked_by_text = models.CharField(max_length=200, blank=True)
    ticked_at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["step", "item_index"]
        constraints = [
            models.UniqueConstraint(fields=["step", "item_index"], name="checklisttick_unique")
        ]

    def __str__(self) -> str:
        return self.item_text
