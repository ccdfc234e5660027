"""The system register: the municipality's IT systems and their suppliers."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from beredskab.models.directory import Person


class Supplier(models.Model):
    name = models.CharField(_("name"), max_length=150, unique=True)
    support_phone = PhoneNumberField(_("support phone"), blank=True, region="DK")
    support_email = models.EmailField(_("support e-mail"), blank=True)
    support_hours = models.CharField(_("support hours"), max_length=150, blank=True)
    agreement_notes = models.TextField(_("notes on the agreement"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:supplier_detail", args=[self.pk])


RATING_VALIDATORS = [MinValueValidator(1), MaxValueValidator(4)]


class Likelihood(models.IntegerChoices):
    """How likely the risk assessment finds an incident (the plan's 1-4 scale)."""

    UNLIKELY = 1, _("Unlikely")
    POSSIBLE = 2, _("Possible")
    LIKELY = 3, _("Likely")
    VERY_LIKELY = 4, _("Very likely")


class System(models.Model):
    class Hosting(models.TextChoices):
        ON_PREMISES = "on_premises", _("On the municipality's premises")
        HOSTED = "hosted", _("Hosted off-site")
        CLOUD = "cloud", _("Cloud service")

    name = models.CharField(_("name"), max_length=150, unique=True)
    purpose = models.TextField(_("purpose"), blank=True)
    supplier = models.ForeignKey(
        Supplier,
        verbose_name=_("supplier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="systems",
    )
    hosting = models.CharField(_("hosting"), max_length=20, choices=Hosting, default=Hosting.HOSTED)
    needs_building_power = models.BooleanField(_("needs building power"), default=False)
    needs_municipal_network = models.BooleanField(_("needs the municipal network"), default=False)
    needs_vpn = models.BooleanField(_("needs VPN"), default=False)
    confidentiality = models.PositiveSmallIntegerField(
        _("confidentiality"), validators=RATING_VALIDATORS, default=2
    )
    availability = models.PositiveSmallIntegerField(
        _("availability"), validators=RATING_VALIDATORS, default=2
    )
    integrity = models.PositiveSmallIntegerField(
        _("integrity"), validators=RATING_VALIDATORS, default=2
    )
    rating_justification = models.TextField(_("justification of the ratings"), blank=True)
    assessed_on = models.DateField(_("date assessed"), null=True, blank=True)
    assessed_by = models.CharField(_("assessed by"), max_length=150, blank=True)
    likelihood = models.PositiveSmallIntegerField(
        _("likelihood"), choices=Likelihood, null=True, blank=True
    )
    assessment_url = models.URLField(
        _("link to the risk assessment"),
        blank=True,
        help_text=_("Where the assessment document is kept, e.g. on the intranet."),
    )
    review_on = models.DateField(
        _("review date"),
        null=True,
        blank=True,
        help_text=_("The system owner and the systemkoordinator are reminded a month before."),
    )
    # The review date the reminder went out for: one reminder per review date, also
    # when two beat processes run the job at once (a conditional update claims it).
    review_reminded_for = models.DateField(null=True, blank=True, editable=False)
    owner = models.ForeignKey(
        Person,
        verbose_name=_("system owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_systems",
    )
    coordinator = models.ForeignKey(
        Person,
        verbose_name=_("responsible systemkoordinator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coordinated_systems",
    )
    outage_impact = models.TextField(
        _("what staff cannot do while it is down"),
        blank=True,
        help_text=_("One item per line, e.g. no case updates, no contact details, no decisions."),
    )
    is_example = models.BooleanField(
        _("example"), default=False, help_text=_("Demo data: not a system the plan names.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("system")
        verbose_name_plural = _("systems")
        constraints = [
            models.CheckConstraint(
                condition=Q(confidentiality__gte=1, confidentiality__lte=4)
                & Q(availability__gte=1, availability__lte=4)
                & Q(integrity__gte=1, integrity__lte=4),
                name="system_ratings_1_to_4",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:system_detail", args=[self.pk])

    @property
    def needs_example_mark(self) -> bool:
        """Lists add "(example)" to demo systems whose name does not already say so."""
        return self.is_example and "(eksempel)" not in self.name.casefold()

    def outage_impact_items(self) -> list[str]:
        return [line.strip() for line in self.outage_impact.splitlines() if line.strip()]
