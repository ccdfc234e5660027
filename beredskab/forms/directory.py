"""Forms for departments, people, absences, suppliers and systems."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from beredskab.cpr import mask_cpr
from beredskab.forms.fields import (
    DateInput,
    DateTimeInput,
    PhoneField,
    RatingField,
    label_like_model,
)
from beredskab.models import Absence, Department, Person, Supplier, System
from beredskab.roles import Role


class DirectoryModelForm(forms.ModelForm):
    """Masks CPR numbers in the named free-text fields before anything is stored, and
    labels the fields declared on the form (phones, ratings) like the model's own."""

    free_text_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label_like_model(self)

    def clean(self):
        cleaned = super().clean()
        for name in self.free_text_fields:
            if isinstance(cleaned.get(name), str):
                cleaned[name] = mask_cpr(cleaned[name])
        return cleaned


def _people():
    return Person.objects.order_by("name", "pk")


class DepartmentForm(DirectoryModelForm):
    free_text_fields = ("name",)

    class Meta:
        model = Department
        fields = ["name", "kind", "parent", "leaders", "deputy"]
        widgets = {"leaders": forms.SelectMultiple(attrs={"size": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Department.objects.order_by("name")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["leaders"].queryset = _people()
        self.fields["deputy"].queryset = _people()

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        clash = Department.objects.filter(name__iexact=name).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("A department with this name already exists."))
        return name


class PersonForm(DirectoryModelForm):
    free_text_fields = ("name", "title", "external_organisation")

    mobile = PhoneField(required=False)
    alternative_mobile = PhoneField(required=False)

    class Meta:
        model = Person
        fields = [
            "name",
            "title",
            "department",
            "mobile",
            "email",
            "employee_number",
            "start_date",
            "has_it_access",
            "external_organisation",
            "deputy",
            "reachable_during_outage",
            "alternative_mobile",
            "is_active",
        ]
        widgets = {"start_date": DateInput()}

    # Roles are not here: they are granted on the person's page (beredskab.grants), by
    # the table of who may grant what, never to oneself. Nor is the login: the
    # directory never writes a login's username, e-mail or password.

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        deputies = _people().filter(is_active=True)
        if self.instance.pk:
            deputies = (
                _people()
                .filter(Q(is_active=True) | Q(pk=self.instance.deputy_id))
                .exclude(pk=self.instance.pk)
            )
        self.fields["deputy"].queryset = deputies
        self.fields["department"].queryset = Department.objects.order_by("name")

    def clean_employee_number(self) -> str:
        number = self.cleaned_data["employee_number"].strip()
        if (
            number
            and Person.objects.filter(employee_number=number).exclude(pk=self.instance.pk).exists()
        ):
            raise forms.ValidationError(_("Another person already has this employee number."))
        return number

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reachable_during_outage") and not (
            cleaned.get("alternative_mobile") or cleaned.get("mobile")
        ):
            self.add_error(
                "alternative_mobile",
                _("Give a number to reach this person on during an outage."),
            )
        return cleaned


class AbsenceForm(DirectoryModelForm):
    free_text_fields = ("note",)

    class Meta:
        model = Absence
        fields = ["starts_at", "ends_at", "note"]
        widgets = {"starts_at": DateTimeInput(), "ends_at": DateTimeInput()}


class SupplierForm(DirectoryModelForm):
    free_text_fields = ("support_hours", "agreement_notes")

    support_phone = PhoneField(required=False)

    class Meta:
        model = Supplier
        fields = ["name", "support_phone", "support_email", "support_hours", "agreement_notes"]

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        clash = Supplier.objects.filter(name__iexact=name).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("A supplier with this name already exists."))
        return name


class SystemForm(DirectoryModelForm):
    free_text_fields = ("purpose", "rating_justification", "assessed_by", "outage_impact")

    confidentiality = RatingField(initial=2)
    availability = RatingField(initial=2)
    integrity = RatingField(initial=2)
    assessment_url = forms.URLField(
        label=_("Link to the risk assessment"),
        required=False,
        assume_scheme="https",
        help_text=_("Where the assessment document is kept, e.g. on the intranet."),
    )

    class Meta:
        model = System
        fields = [
            "name",
            "purpose",
            "supplier",
            "hosting",
            "needs_building_power",
            "needs_municipal_network",
            "needs_vpn",
            "confidentiality",
            "availability",
            "integrity",
            "rating_justification",
            "assessed_on",
            "assessed_by",
            "likelihood",
            "assessment_url",
            "review_on",
            "owner",
            "coordinator",
            "outage_impact",
            "is_example",
        ]
        widgets = {"assessed_on": DateInput(), "review_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("confidentiality", "availability", "integrity"):
            self.fields[name].help_text = _("1 is the lowest, 4 the highest.")
        # The responsible coordinator holds the role; keep a current one who lost it.
        self.fields["coordinator"].queryset = (
            _people()
            .filter(Q(roles__name=Role.SYSTEMKOORDINATOR) | Q(pk=self.instance.coordinator_id))
            .distinct()
        )
        self.fields["supplier"].queryset = Supplier.objects.order_by("name")
        self.fields["owner"].queryset = _people()

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        clash = System.objects.filter(name__iexact=name).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("A system with this name already exists."))
        return name
