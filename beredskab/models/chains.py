"""Escalation chain templates. The engine that runs them snapshots these at start."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beredskab.models.directory import Person, stand_ins
from beredskab.models.escalation_states import LEADER, Completion
from beredskab.roles import Role


class EventKind(models.TextChoices):
    BREACH = "breach", _("Data breach or cyberattack")
    SYSTEM_OUTAGE = "system_outage", _("System outage")
    POWER_OUTAGE = "power_outage", _("Power outage")


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")


class EscalationChain(models.Model):
    name = models.CharField(_("name"), max_length=150, unique=True)
    event_kind = models.CharField(_("event kind"), max_length=20, choices=EventKind)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["event_kind", "name"]
        verbose_name = _("escalation chain")
        verbose_name_plural = _("escalation chains")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:chain_detail", args=[self.pk])

    def clean(self) -> None:
        # A chain with no steps is caught by the portal's formset; admin can add steps inline.
        pass

    def warnings(self, at: datetime | None = None) -> list[tuple[EscalationStep, str]]:
        """Steps that would notify nobody today, for the chain's page."""
        at = at or timezone.now()
        out = []
        if not self.steps.exists():
            out.append((None, _("This chain has no steps.")))
        for step in self.steps.all():
            if not step.resolve_recipients(at=at) and not step.notify_nearest_leader:
                out.append((step, _("This step reaches nobody today.")))
        return out


class EscalationStep(models.Model):
    chain = models.ForeignKey(
        EscalationChain, verbose_name=_("chain"), on_delete=models.CASCADE, related_name="steps"
    )
    position = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=150)
    notify_roles = models.ManyToManyField(
        Group, verbose_name=_("roles to notify"), blank=True, related_name="+"
    )
    notify_people = models.ManyToManyField(
        Person, verbose_name=_("people to notify"), blank=True, related_name="+"
    )
    notify_nearest_leader = models.BooleanField(_("the reporter's nearest leader"), default=False)
    by_sms = models.BooleanField(_("by SMS"), default=True)
    by_email = models.BooleanField(_("by e-mail"), default=True)
    is_external = models.BooleanField(
        _("external"),
        default=False,
        help_text=_("Notifies people outside the municipality (the DPO, a supplier)."),
    )
    ack_timeout_minutes = models.PositiveIntegerField(
        _("acknowledgement timeout (minutes)"), validators=[MinValueValidator(1)], default=15
    )
    checklist = models.TextField(_("checklist"), blank=True, help_text=_("One item per line."))
    completion = models.CharField(
        _("acknowledged when"),
        max_length=20,
        choices=Completion,
        default=Completion.ANYONE,
        help_text=_(
            "Anyone: the first acknowledgement completes the step. Each position: every "
            "position below must be acknowledged by someone who fills it. Everyone: "
            "every person told (or their deputy)."
        ),
    )
    # "each position": keys from beredskab.models.escalation_states ("leader",
    # "role:<name>", "person:<pk>"), checked against the step's audience when saved.
    positions = models.JSONField(_("positions"), default=list, blank=True)

    class Meta:
        ordering = ["chain", "position"]
        verbose_name = _("escalation step")
        verbose_name_plural = _("escalation steps")
        constraints = [
            models.UniqueConstraint(fields=["chain", "position"], name="step_position_unique"),
            models.CheckConstraint(
                condition=Q(ack_timeout_minutes__gte=1), name="step_timeout_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.chain}: {self.position}. {self.name}"

    def clean(self) -> None:
        if not (self.by_sms or self.by_email):
            raise ValidationError({"by_sms": _("Choose at least one channel (SMS or e-mail).")})

    def channels(self) -> list[str]:
        return [c for c, on in ((Channel.SMS, self.by_sms), (Channel.EMAIL, self.by_email)) if on]

    def audience_labels(self) -> list[str]:
        """Whom this step is set up to notify, in words: roles, named people, the leader."""
        labels = []
        for group in self.notify_roles.all():
            try:
                labels.append(str(Role(group.name).label))
            except ValueError:
                labels.append(group.name)
        labels.sort()
        labels += [person.name for person in self.notify_people.all()]
        if self.notify_nearest_leader:
            labels.append(str(_("the reporter's nearest leader")))
        return labels

    def position_labels(self) -> list[str]:
        return [position_label(key) for key in self.positions]

    def checklist_items(self) -> list[str]:
        return [line.strip() for line in self.checklist.splitlines() if line.strip()]

    def resolve_recipients(
        self, reporter: Person | None = None, at: datetime | None = None
    ) -> list[Person]:
        """Who this step reaches at `at`: roles' members, named people, the reporter's
        nearest leader; an absent person is replaced by their deputy. No duplicates."""
        at = at or timezone.now()
        wanted: list[Person] = []
        wanted += list(Person.objects.active().filter(roles__in=self.notify_roles.all()).distinct())
        wanted += list(self.notify_people.all())
        out = [stand_in for stand_in, _ in stand_ins(wanted, at)]
        seen = {person.pk for person in out}
        if self.notify_nearest_leader and reporter is not None:
            leader = reporter.nearest_leader(at)
            if leader is not None and leader.pk not in seen:
                out.append(leader)
        return out


def position_label(key: str) -> str:
    """A position key in words: the nearest leader, a holder of a role, a person."""
    if key == LEADER:
        return str(_("the reporter's nearest leader"))
    kind, _sep, value = key.partition(":")
    if kind == "role":
        try:
            name = str(Role(value).label)
        except ValueError:
            name = value
        return str(_("a holder of the role %(role)s") % {"role": name})
    if kind in {"person", "self"} and value.isdigit():
        person = Person.objects.filter(pk=int(value)).only("name").first()
        return person.name if person else key
    return key
