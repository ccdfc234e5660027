"""Booking cancellation by mass SMS: a campaign, its recipients and its messages.

A campaign (frontdesk cancels the day's bookings) holds the citizens it texts, one
`CampaignRecipient` per unique mobile with all their booked times, and one or more
`CampaignMessage`s (the cancellation, then any follow-up). Citizens' names and numbers
live only in the recipient rows, the pending upload and the outbox rows of the group
`campaign:<id>`; the retention job purges all three and keeps the counts.

The state machine is explicit: CAMPAIGN_TRANSITIONS says which move is allowed from
where; each move goes through `Campaign.move()`, which locks the row, checks the move
and writes the timeline event. The services in `outages.services.campaigns` call it.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from beredskab import timeline
from outages.models.power import PowerOutage
from outages.models.system_outage import SystemOutage


class CampaignError(Exception):
    """A campaign step that is not allowed now (the message says why, in English)."""


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
    SENDING = "sending", _("Sent")
    CANCELLED = "cancelled", _("Cancelled")
    CLOSED = "closed", _("Closed")
    PURGED = "purged", _("Purged")


C = CampaignStatus
CAMPAIGN_TRANSITIONS: dict[str, tuple[str, ...]] = {
    # Confirmed: straight to sending, or to a second person first.
    C.DRAFT: (C.AWAITING_APPROVAL, C.SENDING, C.CANCELLED, C.PURGED),
    C.AWAITING_APPROVAL: (C.SENDING, C.CANCELLED, C.PURGED),
    # A follow-up message goes through approval again when the setting asks for it.
    C.SENDING: (C.AWAITING_APPROVAL, C.CANCELLED, C.CLOSED, C.PURGED),
    C.CANCELLED: (C.PURGED,),
    C.CLOSED: (C.PURGED,),
    C.PURGED: (),
}
# Bookings may be loaded and messages written only while nothing has gone out.
EDITABLE = (C.DRAFT,)


class CampaignQuerySet(models.QuerySet):
    def real(self):
        return self.filter(is_exercise=False)

    def exercises(self):
        return self.filter(is_exercise=True)


class Campaign(models.Model):
    status = models.CharField(
        _("status"), max_length=20, choices=CampaignStatus, default=C.DRAFT, db_index=True
    )
    period_start = models.DateTimeField(_("bookings from"))
    period_end = models.DateTimeField(_("bookings until"))
    place = models.CharField(
        _("location or service"),
        max_length=150,
        help_text=_("Shown to citizens as {sted} when the bookings have no location column."),
    )
    reason = models.CharField(_("why"), max_length=300)
    rebook = models.CharField(
        _("how to book again"),
        max_length=200,
        blank=True,
        help_text=_("Shown to citizens as {genbook}, e.g. a phone number."),
    )
    power_outage = models.ForeignKey(
        PowerOutage,
        verbose_name=_("power outage"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="campaigns",
    )
    system_outage = models.ForeignKey(
        SystemOutage,
        verbose_name=_("system outage"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="campaigns",
    )
    is_exercise = models.BooleanField(
        _("exercise"),
        default=False,
        help_text=_("Sends only to the numbers on the test list; the rest are only counted."),
    )
    created_at = models.DateTimeField(_("started"))
    created_by_id = models.IntegerField(null=True, blank=True)
    created_by_text = models.CharField(_("started by"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("last change"))
    # Counts of the last import (no personal data: numbers, row numbers and reasons).
    import_summary = models.JSONField(default=dict, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancelled_by_text = models.CharField(_("cancelled by"), max_length=200, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    purged_at = models.DateTimeField(_("citizens' data purged"), null=True, blank=True)
    nonce = models.CharField(max_length=64, unique=True, null=True, blank=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("booking cancellation")
        verbose_name_plural = _("booking cancellations")
        indexes = [
            # The list: real campaigns (or exercises) newest first.
            models.Index(fields=["is_exercise", "-created_at"], name="campaign_list"),
        ]

    def __str__(self) -> str:
        return _("Booking cancellation %(pk)s: %(place)s") % {"pk": self.pk, "place": self.place}

    def get_absolute_url(self) -> str:
        return reverse("outages:campaign", args=[self.pk])

    @property
    def group_key(self) -> str:
        """The outbox group of every SMS of this campaign: counts and purge go by it."""
        return f"campaign:{self.pk}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def is_purged(self) -> bool:
        return self.status == C.PURGED

    def allowed_transitions(self) -> tuple[str, ...]:
        return CAMPAIGN_TRANSITIONS.get(self.status, ())

    def move(self, to: str, *, actor, now: datetime, kind: str, data: dict | None = None, **fields):
        """The one way the status changes. Call inside the caller's transaction with
        the row already locked (select_for_update); raises CampaignError."""
        if to != self.status and to not in self.allowed_transitions():
            raise CampaignError(f"cannot move from {self.status} to {to}")
        before = self.status
        fields.update(status=to, updated_at=now)
        for name, value in fields.items():
            setattr(self, name, value)
        self.save(update_fields=list(fields))
        timeline.record(
            self,
            kind,
            actor=actor,
            at=now,
            data={"from": before, "to": to, **(data or {})},
        )

    def current_message(self) -> CampaignMessage | None:
        return self.messages.order_by("-position").first()

    def draft_message(self) -> CampaignMessage | None:
        return self.messages.filter(confirmed_at__isnull=True).order_by("-position").first()


class CampaignRecipient(models.Model):
    """One citizen's mobile in one campaign, with every booking of theirs in the period."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="recipients")
    mobile = models.CharField(_("mobile"), max_length=20)
    name = models.CharField(_("name"), max_length=150, blank=True)
    # Each booking: {"time": ISO datetime or the file's text, "service": ..., "location": ...}
    bookings = models.JSONField(default=list)
    rows = models.JSONField(default=list)  # the file's row numbers

    class Meta:
        ordering = ["campaign", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "mobile"], name="campaign_mobile_once")
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"


class CampaignMessage(models.Model):
    """One text sent to every recipient: the cancellation (1), then follow-ups (2, ...)."""

    class Kind(models.TextChoices):
        CANCELLATION = "cancellation", _("Cancellation")
        FOLLOW_UP = "follow_up", _("Follow-up")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="messages")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.CANCELLATION)
    template = models.TextField(_("message"))
    composed_at = models.DateTimeField(_("written"))
    composed_by_text = models.CharField(_("written by"), max_length=200, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_by_id = models.IntegerField(null=True, blank=True)
    confirmed_by_text = models.CharField(_("confirmed by"), max_length=200, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    # The approver may see the citizens' names and numbers (outages.access).
    approved_by_id = models.IntegerField(null=True, blank=True)
    approved_by_text = models.CharField(_("approved by"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("handed to the outbox"), null=True, blank=True)
    # SMS written to the outbox; in an exercise, the rest are only counted.
    planned_count = models.PositiveIntegerField(_("SMS sent"), default=0)
    would_send_count = models.PositiveIntegerField(_("would have been sent"), default=0)
    retry_rounds = models.PositiveSmallIntegerField(default=0)
    # Failed rows replaced by a retry: still failed in the outbox, not counted twice.
    retried_count = models.PositiveIntegerField(default=0)
    # Counts taken just before the citizens' data is purged; the report reads them.
    final_counts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["campaign", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "position"], name="campaign_message_position_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.position}"

    @property
    def key_prefix(self) -> str:
        """Every outbox key of this message starts with this (then r<recipient id>)."""
        return f"{self.campaign.group_key}:m{self.pk}:"

    def outbox_key(self, recipient_id: int, round_: int = 0) -> str:
        suffix = f":retry{round_}" if round_ else ""
        return f"{self.key_prefix}r{recipient_id}{suffix}"

    @property
    def stage(self) -> str:
        """draft (being written), awaiting_approval (confirmed) or sent."""
        if self.sent_at:
            return "sent"
        return "awaiting_approval" if self.confirmed_at else "draft"


class CampaignFlag(models.Model):
    """An imported value (a row's time, service or location) that would put a web
    address, a phone number or an over-long text into a citizen's SMS. Sending waits
    until the sender confirms the value or excludes the row (issue 24, item 4)."""

    class Decision(models.TextChoices):
        OPEN = "", _("Not decided")
        CONFIRMED = "confirmed", _("Confirmed: send it as it is")
        EXCLUDED = "excluded", _("Row excluded: not sent")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="flags")
    # Null once the row is excluded and the citizen has no other booking left.
    recipient = models.ForeignKey(
        CampaignRecipient, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    row = models.PositiveIntegerField(_("row"))
    field = models.CharField(_("field"), max_length=20)
    value = models.CharField(_("value"), max_length=200)
    reasons = models.JSONField(default=list)
    decision = models.CharField(
        _("decision"), max_length=20, choices=Decision, default=Decision.OPEN, blank=True
    )
    decided_by_text = models.CharField(max_length=200, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["campaign", "row", "field"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "row", "field"], name="campaign_flag_once_per_field"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"


class CampaignUpload(models.Model):
    """The uploaded export, kept while its columns are mapped (never after sending)."""

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="upload")
    data = models.BinaryField()
    header = models.JSONField(default=list)
    uploaded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"#{self.pk}"


class ColumnMapping(models.Model):
    """Which column holds what, remembered per export layout (the normalised header)."""

    fingerprint = models.CharField(max_length=64, unique=True)
    header = models.JSONField(default=list)
    mapping = models.JSONField(default=dict)  # field -> the column's title
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return ", ".join(self.header)


class ExerciseNumber(models.Model):
    """A phone on the exercise test list: an exercise campaign sends only to these."""

    label = models.CharField(_("whose phone"), max_length=100)
    number = models.CharField(
        _("mobile"), max_length=20, unique=True, help_text=_("E.164, e.g. +4520123456.")
    )

    class Meta:
        ordering = ["label"]
        verbose_name = _("exercise test number")
        verbose_name_plural = _("exercise test numbers")

    def __str__(self) -> str:
        return f"{self.label} ({self.number})"

    def clean(self) -> None:
        from beredskab.forms.fields import normalise_phone

        if self.number:
            try:
                self.number = normalise_phone(self.number)
            except ValidationError as exc:
                raise ValidationError({"number": exc.messages}) from exc
