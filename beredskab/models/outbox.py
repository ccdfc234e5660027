"""The notification outbox: one row per message, written in the same transaction as
the change that causes it. Workers claim rows with a lease; statuses never move back.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from beredskab.models.chains import Channel


class Priority(models.TextChoices):
    ESCALATION = "escalation", _("Escalation")
    BULK = "bulk", _("Bulk")


class Status(models.TextChoices):
    PENDING = "pending", _("Pending")
    QUEUED = "queued", _("Queued")
    CLAIMED = "claimed", _("Being sent")
    ACCEPTED = "accepted", _("Accepted by the provider")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    UNDELIVERED = "undelivered", _("Not delivered")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")
    UNKNOWN = "unknown", _("Unknown (being checked)")


# Statuses a message can still leave by being (re)sent or cancelled.
OPEN_STATUSES = {Status.PENDING, Status.QUEUED, Status.CLAIMED, Status.UNKNOWN}
FINAL_STATUSES = {Status.DELIVERED, Status.UNDELIVERED, Status.FAILED, Status.CANCELLED}

# Provider progress only moves forward: a callback that would lower the rank is ignored.
PROGRESS_RANK = {
    Status.ACCEPTED: 1,
    Status.SENT: 2,
    Status.DELIVERED: 3,
    Status.UNDELIVERED: 3,
    Status.FAILED: 3,
}


class OutboxQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def for_group(self, group_key: str):
        return self.filter(group_key=group_key)

    def counts_by_status(self) -> dict[str, int]:
        rows = self.order_by().values("status").annotate(n=models.Count("id"))
        return {row["status"]: row["n"] for row in rows}

    def counts_by_label(self) -> list[tuple[str, int]]:
        """(the status in words, how many), in the order of Status: for pages."""
        counts = self.counts_by_status()
        return [(str(status.label), counts[status]) for status in Status if status in counts]


class OutboxMessage(models.Model):
    channel = models.CharField(_("channel"), max_length=10, choices=Channel)
    priority = models.CharField(
        _("priority"), max_length=12, choices=Priority, default=Priority.ESCALATION
    )
    recipient = models.CharField(_("recipient"), max_length=254)
    recipient_name = models.CharField(_("recipient name"), max_length=150, blank=True)
    person = models.ForeignKey(
        "beredskab.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    # What the message belongs to, e.g. "run:12", "campaign:7": purge and counts go by it,
    # so the core never needs to know the feature that sent it.
    group_key = models.CharField(_("group"), max_length=60, blank=True, db_index=True)
    run_step = models.ForeignKey(
        "beredskab.RunStep",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages",
    )
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.PENDING)
    provider_id = models.CharField(_("provider id"), max_length=64, blank=True)
    # The SMS provider that was handed the message last (beredskab/notify/providers):
    # an unknown send is looked up there, and delivery reports name it.
    provider = models.CharField(_("provider"), max_length=20, blank=True)
    # Sent through a second provider while the first one's outcome was still unknown:
    # the recipient may get it twice (a missed alarm is worse than a double one).
    maybe_duplicate = models.BooleanField(_("may be a duplicate"), default=False)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error_code = models.CharField(_("error code"), max_length=20, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    not_before = models.DateTimeField(_("not before"), null=True, blank=True)
    lease_token = models.CharField(max_length=32, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    # Set just before the provider is called: a lease that expires after this is a
    # send that may or may not have happened (status unknown, reconciled first).
    send_started_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    purged = models.BooleanField(default=False)

    objects = OutboxQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [
            # The sweeper: open rows by age, per priority.
            models.Index(fields=["status", "priority", "created_at"], name="outbox_open_by_age"),
            # Status callbacks look messages up by the provider's id.
            models.Index(
                fields=["provider_id"], name="outbox_provider_id", condition=~Q(provider_id="")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} #{self.pk} {self.status}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES
