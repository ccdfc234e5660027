"""The incident: one row in the hændelseslog, from a phishing mail to a notified breach."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incidents.models.choices import (
    OPEN_STATUSES,
    TRANSITIONS,
    Answer,
    ClockState,
    Decision,
    IncidentKind,
    IncidentStatus,
    NoRiskReason,
    PeopleAffected,
    Severity,
)

# GDPR art. 33(1): "without undue delay and, where feasible, not later than 72 hours".
NOTIFY_WITHIN = timedelta(hours=72)
REMINDER_HOURS = (24, 48, 66)
# After the 66-hour reminder the escalation reaches the chain's management step: at
# the deadline, and again once it is well past (services.deadline).
DEADLINE_ESCALATION_HOURS = (72, 78)
# What the log's rows and the clock read: a page loads nothing more (the department's
# name comes as an annotation, the systems' names from system_names()).
LOG_COLUMNS = (
    "reference",
    "kind",
    "description",
    "status",
    "severity",
    "department_id",
    "reported_at",
    "aware_at",
    "clock_stopped_at",
    "notified_at",
    "personal_data",
)


class IncidentQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def clock_running(self):
        """Incidents whose 72-hour clock runs: personal data (or "ved ikke"), not stopped."""
        return self.filter(
            personal_data__in=[Answer.YES, Answer.UNKNOWN], clock_stopped_at__isnull=True
        )

    def for_log(self):
        """What one page of the log shows, in a fixed number of queries (and columns).

        Plain columns and the department's name (an annotation, not a joined model);
        the systems come from system_names() for the page's rows. prefetch_related
        would build a related manager per row, which cost more than the rest of the
        page's queries together (tests/bench/bench_incident_log.py)."""
        return self.only(*LOG_COLUMNS).annotate(department_name=models.F("department__name"))


def system_names(incident_ids) -> dict[int, list[str]]:
    """The names of each incident's systems, sorted, in one query."""
    ids = list(incident_ids)
    names: dict[int, list[str]] = {pk: [] for pk in ids}
    if not ids:
        return names
    links = (
        Incident.systems.through.objects.filter(incident_id__in=ids)
        .order_by("system__name", "system_id")
        .values_list("incident_id", "system__name")
    )
    for incident_id, name in links:
        names[incident_id].append(name)
    return names


class Incident(models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    kind = models.CharField(
        _("kind"), max_length=30, choices=IncidentKind, default=IncidentKind.OTHER
    )
    description = models.TextField(_("what happened"))
    occurred_at = models.DateTimeField(_("when it happened"), null=True, blank=True)
    discovered_at = models.DateTimeField(_("when it was discovered"), null=True, blank=True)
    systems = models.ManyToManyField(
        "beredskab.System", verbose_name=_("systems involved"), blank=True, related_name="+"
    )
    personal_data = models.CharField(
        _("personal data may be involved"), max_length=10, choices=Answer, default=Answer.UNKNOWN
    )
    people_affected = models.CharField(
        _("roughly how many people"),
        max_length=10,
        choices=PeopleAffected,
        default=PeopleAffected.UNKNOWN,
    )
    ongoing = models.CharField(
        _("still going on"), max_length=10, choices=Answer, default=Answer.UNKNOWN
    )

    reporter = models.ForeignKey(
        "beredskab.Person",
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reporter_text = models.CharField(_("reported by"), max_length=200, blank=True)
    # The reporter's department when they reported: the leader's scope and the log filter.
    department = models.ForeignKey(
        "beredskab.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("reported"))
    # A hidden value of the form: a double-clicked submit finds the first report.
    nonce = models.CharField(max_length=40, blank=True, editable=False)

    status = models.CharField(
        _("status"), max_length=20, choices=IncidentStatus, default=IncidentStatus.REPORTED
    )
    run = models.ForeignKey(
        "beredskab.EscalationRun",
        verbose_name=_("escalation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # The latest ENISA assessment, kept here so the log needs no query per row.
    severity = models.PositiveSmallIntegerField(
        _("severity"), choices=Severity, null=True, blank=True
    )

    # The 72-hour clock (GDPR art. 33).
    aware_at = models.DateTimeField(_("became aware"))
    clock_stopped_at = models.DateTimeField(_("clock stopped"), null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0, editable=False)
    deadline_escalations_sent = models.PositiveSmallIntegerField(default=0, editable=False)

    decision = models.CharField(
        _("decision"), max_length=20, choices=Decision, default=Decision.PENDING
    )
    decision_rationale = models.TextField(_("rationale"), blank=True)
    # Art. 33(1): "document only" stands on a recorded reason why risk is unlikely.
    no_risk_reason = models.CharField(
        _("why risk is unlikely"), max_length=20, choices=NoRiskReason, blank=True
    )
    inform_subjects = models.CharField(
        _("inform the people affected (art. 34)"),
        max_length=10,
        choices=Answer,
        default=Answer.UNKNOWN,
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by_text = models.CharField(_("decided by"), max_length=200, blank=True)
    notified_at = models.DateTimeField(_("first notified"), null=True, blank=True)

    taskforce = models.CharField(
        _("taskforce"), max_length=10, choices=Answer, default=Answer.UNKNOWN
    )
    taskforce_members = models.TextField(_("taskforce members"), blank=True)
    taskforce_reason = models.TextField(_("reasons"), blank=True)

    # Facts the Datatilsynet notification asks for (filled in by the systemkoordinator).
    data_categories = models.TextField(_("categories of personal data"), blank=True)
    subject_categories = models.TextField(_("categories of people affected"), blank=True)
    records_affected = models.CharField(
        _("approximate number of records"), max_length=100, blank=True
    )
    consequences = models.TextField(_("likely consequences"), blank=True)
    measures = models.TextField(_("measures taken or proposed"), blank=True)
    delay_reason = models.TextField(_("reason for any delay"), blank=True)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_at", "-pk"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        constraints = [
            # One incident per submitted form, whatever the double clicks.
            models.UniqueConstraint(
                fields=["nonce"], condition=~Q(nonce=""), name="incident_nonce_unique"
            ),
        ]
        indexes = [
            # The log's first page, newest first.
            models.Index(fields=["-reported_at", "-id"], name="incident_log_order"),
            # The log's filters on status and kind, newest first.
            models.Index(fields=["status", "-reported_at"], name="incident_status_reported"),
            models.Index(fields=["kind", "-reported_at"], name="incident_kind_reported"),
            # The reminder job: running clocks only.
            models.Index(
                fields=["aware_at"],
                name="incident_clock_running",
                condition=Q(clock_stopped_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("incidents:detail", args=[self.pk])

    @staticmethod
    def make_reference(pk: int, at: datetime) -> str:
        return f"H-{timezone.localtime(at).year}-{pk:05d}"

    @property
    def short_description(self) -> str:
        text = " ".join(self.description.split())
        return text if len(text) <= 90 else text[:89] + "…"

    # --- the state machine ---------------------------------------------------------

    def allowed_transitions(self) -> tuple[str, ...]:
        return TRANSITIONS.get(self.status, ())

    def can_move_to(self, status: str) -> bool:
        return status in self.allowed_transitions()

    @property
    def is_open(self) -> bool:
        return self.status != IncidentStatus.CLOSED

    # --- the 72-hour clock ----------------------------------------------------------

    @property
    def clock_applies(self) -> bool:
        return self.personal_data in (Answer.YES, Answer.UNKNOWN)

    @property
    def deadline(self) -> datetime:
        # Elapsed time, not wall-clock time: adding 72 hours to a Copenhagen-local
        # datetime across the October change would give 73 real hours.
        return self.aware_at.astimezone(UTC) + NOTIFY_WITHIN

    def elapsed(self, now: datetime | None = None) -> timedelta:
        end = self.clock_stopped_at or now or timezone.now()
        return end.astimezone(UTC) - self.aware_at.astimezone(UTC)

    def remaining(self, now: datetime | None = None) -> timedelta:
        return NOTIFY_WITHIN - self.elapsed(now)

    def clock_state(self, now: datetime | None = None) -> str:
        if not self.clock_applies and self.clock_stopped_at is None:
            return ClockState.NOT_APPLICABLE
        late = self.elapsed(now) > NOTIFY_WITHIN
        if self.clock_stopped_at is not None:
            return ClockState.STOPPED_LATE if late else ClockState.STOPPED
        return ClockState.OVERDUE if late else ClockState.RUNNING

    def clock_view(self, now: datetime | None = None) -> dict:
        """The clock as the templates show it: state, hours and minutes, deadline."""
        now = now or timezone.now()
        state = self.clock_state(now)
        elapsed = self.elapsed(now)
        remaining = self.remaining(now)
        left = abs(remaining)
        return {
            "state": state,
            "label": ClockState(state).label,
            "applies": state != ClockState.NOT_APPLICABLE,
            "running": state in (ClockState.RUNNING, ClockState.OVERDUE),
            "overdue": state in (ClockState.OVERDUE, ClockState.STOPPED_LATE),
            "elapsed_hours": int(elapsed.total_seconds() // 3600),
            "elapsed_minutes": int(elapsed.total_seconds() % 3600 // 60),
            "left_hours": int(left.total_seconds() // 3600),
            "left_minutes": int(left.total_seconds() % 3600 // 60),
            "deadline": self.deadline,
        }

    def offers_new_escalation(self) -> bool:
        """Reopened after its run ended: the page offers a new run, never the old steps."""
        return (
            self.status != IncidentStatus.CLOSED and self.run_id is not None and self.run.has_ended
        )

    def due_reminders(self, now: datetime) -> list[int]:
        """Reminder thresholds (hours) passed and not yet sent, while the clock runs."""
        if self.clock_state(now) not in (ClockState.RUNNING, ClockState.OVERDUE):
            return []
        hours = self.elapsed(now).total_seconds() / 3600
        return [h for i, h in enumerate(REMINDER_HOURS) if i >= self.reminders_sent and hours >= h]


def attachment_path(instance: Attachment, filename: str) -> str:
    # The stored name never carries the uploaded one (it may hold personal data).
    return f"incidents/{instance.incident_id}/{instance.token}"


class Attachment(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="attachments")
    token = models.CharField(max_length=40, unique=True, editable=False)
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(_("uploaded"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["incident", "uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name
