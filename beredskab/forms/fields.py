"""Form fields shared by the directory's forms."""

from __future__ import annotations

import phonenumbers
from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from beredskab.roles import Role

DEFAULT_REGION = "DK"


def normalise_phone(value: str, region: str = DEFAULT_REGION) -> str:
    """'20 12 34 56', '+45 20123456', '2012-3456' → '+4520123456'; raises ValidationError."""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            _("This is not a phone number. Write e.g. 20 12 34 56, or +46 70 123 45 67 abroad."),
            code="invalid_phone",
        ) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _(
                "%(value)s is not a valid phone number. A Danish number has 8 digits;"
                " write a foreign number with its country code, e.g. +46."
            ),
            code="invalid_phone",
            params={"value": value},
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class PhoneField(forms.CharField):
    """A phone number normalised to E.164, Danish unless it has a country code."""

    widget = forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"})

    def __init__(self, *, region: str = DEFAULT_REGION, **kwargs):
        self.region = region
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        # Show a stored PhoneNumber in its international form, not as an object repr.
        if value and not isinstance(value, str):
            return phonenumbers.format_number(value, phonenumbers.PhoneNumberFormat.E164)
        return value

    def to_python(self, value) -> str:
        value = super().to_python(value)
        if value in self.empty_values:
            return ""
        return normalise_phone(value, self.region)


class RatingField(forms.IntegerField):
    """A confidentiality / availability / integrity rating: a whole number from 1 to 4."""

    def __init__(self, **kwargs):
        message = _("Give a rating from 1 to 4.")
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 4)
        kwargs.setdefault(
            "error_messages", {"invalid": message, "min_value": message, "max_value": message}
        )
        super().__init__(**kwargs)


class RoleChoiceField(forms.ModelMultipleChoiceField):
    """The role groups, labelled with the role's readable name instead of its code."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj) -> str:
        try:
            return str(Role(obj.name).label)
        except ValueError:
            return obj.name


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def label_like_model(form: forms.ModelForm) -> None:
    """Give fields declared on a ModelForm the model field's label and help text."""
    opts = form._meta.model._meta
    for name in form.declared_fields:
        try:
            model_field = opts.get_field(name)
        except FieldDoesNotExist:
            continue
        form.fields[name].label = capfirst(model_field.verbose_name)
        if not form.fields[name].help_text:
            form.fields[name].help_text = model_field.help_text


class TableFileField(forms.FileField):
    """An upload read by `beredskab.importer`: refused at the field when over its size
    limit, before anything is parsed."""

    def __init__(self, *args, max_bytes: int | None = None, **kwargs):
        from beredskab.importer import MAX_BYTES

        self.max_bytes = max_bytes or MAX_BYTES
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload is not None and upload.size > self.max_bytes:
            raise ValidationError(
                _("The file is too large (at most %(limit)s MB)."),
                params={"limit": self.max_bytes // 1024 // 1024},
                code="too_large",
            )
        return upload
