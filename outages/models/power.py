"""A power outage: declared, running its playbook as a live checklist, power restored,
closed. Declaring snapshots the playbook into run items, so editing the playbook later
never changes a run that happened."""

from __future__ import annotations

from datetime import datetime

from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beredskab import timeline
from beredskab.actors import actor_text
from beredskab.cpr import mask_cpr
from beredskab.escalation import subjects
from beredskab.models import EscalationRun
from beredskab.roles import Role
from outages.models.system_outage import OutageError, ending_reason


class PowerStatus(models.TextChoices):
    DECLARED = "declared", _("Declared")
    RUNNING = "running", _("Running")
    POWER_RESTORED = "power_restored", _("Power restored")
    CLOSED = "closed", _("Closed")


P = PowerStatus
POWER_TRANSITIONS: dict[str, tuple[str, ...]] = {
    P.DECLARED: (P.RUNNING, P.POWER_RESTORED),
    P.RUNNING: (P.POWER_RESTORED,),
    P.POWER_RESTORED: (P.CLOSED,),
    P.CLOSED: (),
}


class PowerOutageQuerySet(models.QuerySet):
    def open(self):
        """Not yet closed (PowerOutage.is_open)."""
        return self.exclude(status=P.CLOSED)


class PowerOutage(models.Model):
    status = models.CharField(
        _("status"), max_length=20, choices=PowerStatus, default=P.DECLARED, db_index=True
    )
    title = models.CharField(_("where and what"), max_length=150)
    meeting_point = models.CharField(_("meeting point"), max_length=150)
    instructions = models.CharField(_("first instructions"), max_length=200, blank=True)
    declared_at = models.DateTimeField(_("declared"))
    declared_by_text = models.CharField(_("declared by"), max_length=200, blank=True)
    restored_at = models.DateTimeField(_("power restored"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    close_reason = models.TextField(_("why items were left open"), blank=True)
    playbook_name = models.CharField(_("playbook"), max_length=150, blank=True)
    run = models.ForeignKey(
        EscalationRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    nonce = models.CharField(max_length=64, unique=True, null=True, blank=True)

    objects = PowerOutageQuerySet.as_manager()

    class Meta:
        ordering = ["-declared_at"]
        verbose_name = _("power outage")
        verbose_name_plural = _("power outages")

    def __str__(self) -> str:
        return _("Power outage %(pk)s: %(title)s") % {"pk": self.pk, "title": self.title}

    def get_absolute_url(self) -> str:
        return reverse("outages:power", args=[self.pk])

    def allowed_transitions(self) -> tuple[str, ...]:
        return POWER_TRANSITIONS.get(self.status, ())

    @property
    def is_open(self) -> bool:
        return self.status != P.CLOSED

    def open_items(self):
        return self.items.filter(state=ItemState.OPEN)

    def _move(self, to: str, actor, now: datetime, data: dict, **fields) -> None:
        with transaction.atomic():
            locked = PowerOutage.objects.select_for_update().get(pk=self.pk)
            if to not in locked.allowed_transitions():
                raise OutageError(f"cannot move from {locked.status} to {to}")
            before = locked.status
            fields["status"] = to
            for name, value in fields.items():
                setattr(self, name, value)
            self.save(update_fields=list(fields))
            timeline.record(
                self,
                "power.status_changed",
                actor=actor,
                at=now,
                data={"from": str(P(before).label), "to": str(P(to).label), **data},
            )
            if to in (P.POWER_RESTORED, P.CLOSED):
                # The subject owns its run: once power is back nothing more is sent.
                subjects.end_for(self, actor=actor, reason=ending_reason(self, to), now=now)

    def start_running(self, *, actor, now=None) -> None:
        self._move(P.RUNNING, actor, now or timezone.now(), {})

    def power_restored(self, *, actor, now=None) -> None:
        now = now or timezone.now()
        self._move(P.POWER_RESTORED, actor, now, {}, restored_at=now)

    def close(self, *, reason: str, actor, now=None) -> None:
        """Close; with items neither done nor not applicable only when a reason is given."""
        reason = mask_cpr(reason.strip())
        open_count = self.open_items().count()
        if open_count and not reason:
            raise OutageError("open items need a reason to close")
        now = now or timezone.now()
        self._move(
            P.CLOSED,
            actor,
            now,
            {"reason": reason, "open_items": open_count},
            closed_at=now,
            close_reason=reason,
        )


class ItemState(models.TextChoices):
    OPEN = "open", _("To do")
    DONE = "done", _("Done")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class RunItem(models.Model):
    """One playbook item in one power outage, ticked by someone of its owner role."""

    outage = models.ForeignKey(PowerOutage, on_delete=models.CASCADE, related_name="items")
    section = models.CharField(_("section"), max_length=150)
    position = models.PositiveSmallIntegerField()
    text = models.CharField(_("what to do"), max_length=300)
    owner_role = models.CharField(_("owner role"), max_length=30, choices=Role)
    state = models.CharField(_("state"), max_length=20, choices=ItemState, default=ItemState.OPEN)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by_text = models.CharField(max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["outage", "position"]
        constraints = [
            models.UniqueConstraint(fields=["outage", "position"], name="run_item_position_once")
        ]

    def __str__(self) -> str:
        return self.text

    def settle(self, state: str, *, actor, note: str = "", now=None) -> bool:
        """Tick (done) or mark not applicable. Returns False when someone else settled it
        first: two people ticking at once are recorded once."""
        if state not in (ItemState.DONE, ItemState.NOT_APPLICABLE):
            raise ValueError(state)
        note = mask_cpr(note.strip())[:300]
        if state == ItemState.NOT_APPLICABLE and not note:
            raise OutageError("not applicable needs a reason")
        now = now or timezone.now()
        with transaction.atomic():
            changed = RunItem.objects.filter(pk=self.pk, state=ItemState.OPEN).update(
                state=state, done_at=now, done_by_text=actor_text(actor), note=note
            )
            if not changed:
                return False
            self.refresh_from_db()
            timeline.record(
                self.outage,
                "power.item_done" if state == ItemState.DONE else "power.item_not_applicable",
                actor=actor,
                at=now,
                data={"item": self.text, "note": note},
            )
        return True
