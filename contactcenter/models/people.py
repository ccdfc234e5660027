"""Who in the contact centre is reachable during an outage, and where the centre is.

Calls are put through only to agents on the reachable list; a declaration expires
after CONTACT_REACHABLE_HOURS unless the agent renews it, so the list never holds
someone who went home hours ago and forgot to say so.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from beredskab import timeline
from beredskab.actors import actor_text
from beredskab.cpr import mask_cpr

DENMARK = 45
DANISH_DIGITS = 8


def is_danish_number(number) -> bool:
    """May the voice line put a call through to `number`? A Danish number (+45, eight
    digits), not premium-rate: the line pays for the forwarded leg, so a number abroad
    or a premium one would turn it into a way to run up the municipality's bill.
    (Validity beyond that is the form's business; the plan allocates series often.)"""
    if not number:
        return False
    try:
        parsed = (
            number
            if isinstance(number, phonenumbers.PhoneNumber)
            else phonenumbers.parse(str(number), "DK")
        )
    except phonenumbers.NumberParseException:
        return False
    return (
        parsed.country_code == DENMARK
        and len(str(parsed.national_number)) == DANISH_DIGITS
        and phonenumbers.number_type(parsed) != phonenumbers.PhoneNumberType.PREMIUM_RATE
    )


def validate_forwarding_number(number) -> None:
    if not is_danish_number(number):
        raise ValidationError(
            _("Calls are put through only to Danish numbers (+45), not premium-rate ones."),
            code="not_danish",
        )


class ReachabilityQuerySet(models.QuerySet):
    def current(self, now: datetime | None = None):
        """Declarations still in force, of people still active; the longest-standing first."""
        return (
            self.filter(expires_at__gt=now or timezone.now(), person__is_active=True)
            .select_related("person")
            .order_by("declared_at", "pk")
        )


class Reachability(models.Model):
    class Where(models.TextChoices):
        HOME = "home", _("At home")
        HOTSPOT = "hotspot", _("On a battery hotspot")
        RELOCATED = "relocated", _("At the relocated centre")
        OFFICE = "office", _("At the usual workplace")

    class How(models.TextChoices):
        TEAMS = "teams", _("Teams")
        MOBILE = "mobile", _("Mobile phone")

    person = models.OneToOneField(
        "beredskab.Person",
        on_delete=models.CASCADE,
        related_name="contact_reachability",
        verbose_name=_("person"),
    )
    where = models.CharField(_("where"), max_length=20, choices=Where)
    how = models.CharField(_("how"), max_length=20, choices=How)
    number = PhoneNumberField(
        _("number to call"), region="DK", validators=[validate_forwarding_number]
    )
    declared_at = models.DateTimeField(_("declared"), default=timezone.now)
    expires_at = models.DateTimeField(_("reachable until"))

    objects = ReachabilityQuerySet.as_manager()

    class Meta:
        verbose_name = _("reachable agent")
        verbose_name_plural = _("reachable agents")
        indexes = [
            # The reachable list and the voice line: declarations still in force.
            models.Index(fields=["expires_at", "declared_at"], name="cc_reach_current_idx")
        ]

    def __str__(self) -> str:
        return str(self.person)

    def is_current(self, now: datetime | None = None) -> bool:
        return self.expires_at > (now or timezone.now())

    @classmethod
    def declare(
        cls, person, *, where: str, how: str, number, actor, now=None, until=None
    ) -> Reachability:
        """Say (or renew) that `person` is reachable until `until`; never longer than the
        configured hours (a forgotten declaration must not put calls through for days)."""
        validate_forwarding_number(number)
        now = now or timezone.now()
        longest = now + timedelta(hours=settings.CONTACT_REACHABLE_HOURS)
        expires = min(until, longest) if until is not None and until > now else longest
        with transaction.atomic():
            row, created = cls.objects.select_for_update().get_or_create(
                person=person,
                defaults={
                    "where": where,
                    "how": how,
                    "number": number,
                    "declared_at": now,
                    "expires_at": expires,
                },
            )
            renewed = not created and row.is_current(now)
            if not created:
                if not renewed:
                    # A new declaration after a lapse goes to the back of the queue.
                    row.declared_at = now
                row.where, row.how, row.number, row.expires_at = where, how, number, expires
                row.save()
            timeline.record(
                row,
                "reachability.renewed" if renewed else "reachability.declared",
                actor=actor,
                at=now,
                data={"where": where, "how": how, "until": expires.isoformat()},
            )
        return row

    def withdraw(self, *, actor, now=None) -> None:
        now = now or timezone.now()
        with transaction.atomic():
            row = type(self).objects.select_for_update().get(pk=self.pk)
            if not row.is_current(now):
                return
            row.expires_at = now
            row.save(update_fields=["expires_at"])
            timeline.record(row, "reachability.withdrawn", actor=actor, at=now)
        self.refresh_from_db()


class CentreLocation(models.Model):
    """Where the contact centre works from right now: one row, changed on the board."""

    class Mode(models.TextChoices):
        NORMAL = "normal", _("Normal: at the usual address")
        RELOCATED = "relocated", _("Relocated to another address")
        DISTRIBUTED = "distributed", _("Distributed: working from home")

    mode = models.CharField(_("where the centre works"), max_length=20, choices=Mode)
    address = models.TextField(_("address"), blank=True)
    hotspots = models.TextField(
        _("battery hotspots available"),
        blank=True,
        help_text=_("How many, where they are, who has them."),
    )
    expected_answer_at = models.DateTimeField(
        _("expected to answer calls again"),
        null=True,
        blank=True,
        help_text=_("Said on the fallback voice line when nobody can take the call."),
    )
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)
    updated_by_text = models.CharField(_("changed by"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("contact centre location")
        verbose_name_plural = _("contact centre location")

    def __str__(self) -> str:
        return gettext("The contact centre's location")

    @classmethod
    def current(cls) -> CentreLocation:
        location, _created = cls.objects.get_or_create(pk=1, defaults={"mode": cls.Mode.NORMAL})
        return location

    def change(
        self, *, mode: str, address: str, hotspots: str, expected_answer_at, actor, now=None
    ) -> None:
        now = now or timezone.now()
        with transaction.atomic():
            row = type(self).objects.select_for_update().get(pk=self.pk)
            row.mode = mode
            row.address = mask_cpr(address.strip())
            row.hotspots = mask_cpr(hotspots.strip())
            row.expected_answer_at = expected_answer_at
            row.updated_at, row.updated_by_text = now, actor_text(actor)
            row.save()
            timeline.record(
                row,
                "centre.location_changed",
                actor=actor,
                at=now,
                data={
                    "mode": mode,
                    "address": row.address,
                    "hotspots": row.hotspots,
                    "expected_answer_at": expected_answer_at.isoformat()
                    if expected_answer_at
                    else None,
                },
            )
        self.refresh_from_db()


_REACHABILITY = {"where": Reachability.Where, "how": Reachability.How}
for _kind, _text, _labels in (
    (
        "reachability.declared",
        _("Reachable: %(where)s, by %(how)s, until %(until)s"),
        _REACHABILITY,
    ),
    (
        "reachability.renewed",
        _("Renewed: reachable: %(where)s, by %(how)s, until %(until)s"),
        _REACHABILITY,
    ),
    ("reachability.withdrawn", _("No longer reachable"), {}),
    (
        "centre.location_changed",
        _("The centre works: %(mode)s %(address)s"),
        {"mode": CentreLocation.Mode},
    ),
):
    timeline.register_kind(_kind, _text, labels=_labels, times=("until",))
