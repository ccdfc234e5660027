"""A system outage: reported by anyone, declared against systems from the register by
IT or the systemkoordinator, followed through the supplier's ETA to restored and closed.

The state machine is explicit: TRANSITIONS says which move is allowed from where, and
each transition is one method that locks the row, checks the move, saves and writes
its timeline event in one transaction. No status is set by hand.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from beredskab import timeline
from beredskab.actors import actor_text
from beredskab.cpr import mask_cpr
from beredskab.escalation import subjects
from beredskab.models import EscalationRun, Person, Supplier, System


def local_text(at: datetime | None) -> str:
    """A time as people in Denmark read it, for timeline texts."""
    if at is None:
        return ""
    return timezone.localtime(at, COPENHAGEN).strftime("%d.%m.%Y %H:%M")


COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def ending_reason(subject, status: str) -> str:
    """Why a subject's run ended, in the portal's language (it is stored)."""
    with translation.override(settings.LANGUAGE_CODE):
        label = dict(subject._meta.get_field("status").choices)[status]
        return f"{str(subject._meta.verbose_name).capitalize()}: {str(label).lower()}"


class OutageError(Exception):
    """A transition that is not allowed from the outage's current state."""


class OutageStatus(models.TextChoices):
    REPORTED = "reported", _("Reported")
    DECLARED = "declared", _("Declared")
    SUPPLIER_CONTACTED = "supplier_contacted", _("Supplier contacted")
    RESTORING = "restoring", _("Restoring")
    RESTORED = "restored", _("Restored")
    CLOSED = "closed", _("Closed")
    DISMISSED = "dismissed", _("Dismissed")


S = OutageStatus
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.REPORTED: (S.DECLARED, S.DISMISSED),
    S.DECLARED: (S.SUPPLIER_CONTACTED, S.RESTORING, S.RESTORED),
    S.SUPPLIER_CONTACTED: (S.RESTORING, S.RESTORED),
    S.RESTORING: (S.RESTORED,),
    S.RESTORED: (S.CLOSED,),
    S.CLOSED: (),
    S.DISMISSED: (),
}
# Systems are down or degraded now while the outage is in one of these states.
LIVE = (S.DECLARED, S.SUPPLIER_CONTACTED, S.RESTORING)
# Moving here ends the outage's escalation run.
RUN_ENDS = (S.RESTORED, S.CLOSED, S.DISMISSED)
# A new ETA may be recorded while the supplier is working on it.
ETA_STATES = (S.DECLARED, S.SUPPLIER_CONTACTED, S.RESTORING)


class Impact(models.TextChoices):
    DOWN = "down", _("Down")
    DEGRADED = "degraded", _("Degraded")


class SystemOutageQuerySet(models.QuerySet):
    def live(self):
        return self.filter(status__in=LIVE)

    def awaiting_confirmation(self):
        """Reports for IT to confirm; held reports (beredskab.throttle) wait for the
        systemkoordinator's release first."""
        from beredskab.throttle import held_ids

        return self.filter(status=S.REPORTED).exclude(pk__in=held_ids(self.model))


class SystemOutage(models.Model):
    status = models.CharField(
        _("status"), max_length=20, choices=OutageStatus, default=S.REPORTED, db_index=True
    )
    description = models.TextField(_("what is not working"))
    reported_system = models.ForeignKey(
        System,
        verbose_name=_("system named in the report"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reporter = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reporter_text = models.CharField(_("reported by"), max_length=200, blank=True)
    reported_at = models.DateTimeField(_("reported"))
    began_at = models.DateTimeField(_("outage began"), null=True, blank=True)
    declared_at = models.DateTimeField(_("declared"), null=True, blank=True)
    supplier_contacted_at = models.DateTimeField(_("supplier contacted"), null=True, blank=True)
    restored_at = models.DateTimeField(_("restored"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    last_update_at = models.DateTimeField(_("last update"))
    last_update = models.CharField(_("latest news"), max_length=300, blank=True)
    dismiss_reason = models.TextField(_("why it was dismissed"), blank=True)
    what_happened = models.TextField(_("what happened"), blank=True)
    what_worked = models.TextField(_("what worked"), blank=True)
    plan_changes = models.TextField(_("what to change in the plan"), blank=True)
    run = models.ForeignKey(
        EscalationRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    nonce = models.CharField(max_length=64, unique=True, null=True, blank=True)

    objects = SystemOutageQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_at"]
        verbose_name = _("system outage")
        verbose_name_plural = _("system outages")

    def __str__(self) -> str:
        names = ", ".join(a.system.name for a in self.affected.all()) if self.pk else ""
        return _("System outage %(pk)s: %(names)s") % {
            "pk": self.pk,
            "names": names or (self.reported_system.name if self.reported_system else "?"),
        }

    def get_absolute_url(self) -> str:
        return reverse("outages:detail", args=[self.pk])

    # --- reading ---

    def allowed_transitions(self) -> tuple[str, ...]:
        return TRANSITIONS.get(self.status, ())

    def can_move_to(self, status: str) -> bool:
        return status in self.allowed_transitions()

    @property
    def is_live(self) -> bool:
        return self.status in LIVE

    @property
    def accepts_eta(self) -> bool:
        return self.status in ETA_STATES

    def current_eta(self) -> EtaEstimate | None:
        return self.etas.order_by("-given_at", "-pk").first()

    def suppliers(self) -> list[Supplier]:
        seen: dict[int, Supplier] = {}
        for affected in self.affected.select_related("system__supplier"):
            supplier = affected.system.supplier
            if supplier is not None:
                seen.setdefault(supplier.pk, supplier)
        return list(seen.values())

    def cannot_do(self) -> list[str]:
        """What staff cannot do while it lasts, from the systems' register entries."""
        out: list[str] = []
        for affected in self.affected.select_related("system"):
            for item in affected.system.outage_impact_items():
                if item not in out:
                    out.append(item)
        return out

    def earliest_eta(self) -> datetime:
        """An ETA must lie after this: now, and the outage's beginning."""
        return max(timezone.now(), self.began_at or self.reported_at)

    # --- transitions ---

    def _locked(self) -> SystemOutage:
        return SystemOutage.objects.select_for_update().get(pk=self.pk)

    def _move(self, to: str, actor, now: datetime, kind: str, data: dict, **fields) -> None:
        """Lock, check, save, record: the one path every transition takes."""
        with transaction.atomic():
            locked = self._locked()
            if not locked.can_move_to(to):
                raise OutageError(f"cannot move from {locked.status} to {to}")
            before = locked.status
            fields.update(status=to, last_update_at=now)
            for name, value in fields.items():
                setattr(self, name, value)
            self.save(update_fields=list(fields))
            timeline.record(
                self,
                kind,
                actor=actor,
                at=now,
                data={"from": str(S(before).label), "to": str(S(to).label), **data},
            )
            if to in RUN_ENDS:
                # The subject owns its run: restored, closed or dismissed, nothing more
                # is sent for it (same transaction; the subject is locked first).
                subjects.end_for(self, actor=actor, reason=ending_reason(self, to), now=now)

    def declare(self, systems: list[tuple[System, str]], *, actor, began_at=None, now=None):
        """Confirm the report against systems from the register, each down or degraded."""
        if not systems:
            raise OutageError("declare at least one system")
        now = now or timezone.now()
        with transaction.atomic():
            self._move(
                S.DECLARED,
                actor,
                now,
                "outage.declared",
                {"systems": [f"{s.name} ({Impact(i).label})" for s, i in systems]},
                declared_at=now,
                began_at=began_at or self.reported_at,
                last_update=str(_("Declared")),
            )
            for system, impact in systems:
                AffectedSystem.objects.create(outage=self, system=system, impact=impact)

    def dismiss(self, *, reason: str, actor, now=None) -> None:
        reason = mask_cpr(reason.strip())
        if not reason:
            raise OutageError("a reason is required")
        now = now or timezone.now()
        self._move(
            S.DISMISSED,
            actor,
            now,
            "outage.dismissed",
            {"reason": reason},
            dismiss_reason=reason,
            closed_at=now,
            last_update=reason[:300],
        )

    def contact_supplier(self, *, eta: datetime | None, note: str, actor, now=None) -> None:
        """The step "supplier contacted", with the ETA the supplier gave (if any)."""
        now = now or timezone.now()
        note = mask_cpr(note.strip())
        with transaction.atomic():
            self._move(
                S.SUPPLIER_CONTACTED,
                actor,
                now,
                "outage.supplier_contacted",
                {"eta": local_text(eta), "note": note},
                supplier_contacted_at=now,
                last_update=(note or str(_("Supplier contacted")))[:300],
            )
            if eta is not None:
                self._add_eta(eta, note, actor, now)

    def record_eta(self, *, eta: datetime, note: str, actor, now=None) -> EtaEstimate:
        """A new ETA from the supplier; the earlier ones stay in the history."""
        now = now or timezone.now()
        note = mask_cpr(note.strip())
        with transaction.atomic():
            locked = self._locked()
            if not locked.accepts_eta:
                raise OutageError(f"no ETA in state {locked.status}")
            self.last_update_at = now
            self.last_update = (note or str(_("New expected restoration")))[:300]
            self.save(update_fields=["last_update_at", "last_update"])
            estimate = self._add_eta(eta, note, actor, now)
            timeline.record(
                self, "outage.eta", actor=actor, at=now, data={"eta": local_text(eta), "note": note}
            )
        return estimate

    def _add_eta(self, eta: datetime, note: str, actor, now: datetime) -> EtaEstimate:
        if eta <= max(now, self.began_at or self.reported_at):
            raise OutageError("the ETA must lie in the future")
        return EtaEstimate.objects.create(
            outage=self,
            eta=eta,
            note=note[:300],
            given_at=now,
            recorded_by_text=actor_text(actor),
        )

    def start_restoring(self, *, note: str, actor, now=None) -> None:
        now = now or timezone.now()
        note = mask_cpr(note.strip())
        self._move(
            S.RESTORING,
            actor,
            now,
            "outage.restoring",
            {"note": note},
            last_update=(note or str(_("Restoring")))[:300],
        )

    def mark_restored(self, *, note: str, actor, now=None) -> None:
        now = now or timezone.now()
        note = mask_cpr(note.strip())
        self._move(
            S.RESTORED,
            actor,
            now,
            "outage.restored",
            {"note": note},
            restored_at=now,
            last_update=(note or str(_("Restored")))[:300],
        )

    def close(self, *, what_happened: str, what_worked: str, plan_changes: str, actor, now=None):
        """Close with the after-action note; what happened is required."""
        what_happened = mask_cpr(what_happened.strip())
        if not what_happened:
            raise OutageError("the after-action note says what happened")
        now = now or timezone.now()
        self._move(
            S.CLOSED,
            actor,
            now,
            "outage.closed",
            {"what_happened": what_happened},
            closed_at=now,
            what_happened=what_happened,
            what_worked=mask_cpr(what_worked.strip()),
            plan_changes=mask_cpr(plan_changes.strip()),
            last_update=str(_("Closed")),
        )


class AffectedSystem(models.Model):
    outage = models.ForeignKey(SystemOutage, on_delete=models.CASCADE, related_name="affected")
    system = models.ForeignKey(
        System, verbose_name=_("system"), on_delete=models.PROTECT, related_name="+"
    )
    impact = models.CharField(_("impact"), max_length=10, choices=Impact)

    class Meta:
        ordering = ["system__name"]
        constraints = [
            models.UniqueConstraint(fields=["outage", "system"], name="outage_system_once")
        ]

    def __str__(self) -> str:
        return f"{self.system.name}: {self.get_impact_display()}"


class EtaEstimate(models.Model):
    """One expected restoration time the supplier gave; the latest is the current one."""

    outage = models.ForeignKey(SystemOutage, on_delete=models.CASCADE, related_name="etas")
    eta = models.DateTimeField(_("expected restoration"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    given_at = models.DateTimeField(_("recorded"))
    recorded_by_text = models.CharField(_("recorded by"), max_length=200, blank=True)

    class Meta:
        ordering = ["-given_at", "-pk"]
        verbose_name = _("expected restoration")
        verbose_name_plural = _("expected restorations")

    def __str__(self) -> str:
        return str(self.eta)
