"""Form fields the incident forms share: local date-times and checked file uploads."""

from __future__ import annotations

from datetime import timedelta
from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Allowed attachments: extension → the bytes such a file starts with (None: plain text).
ALLOWED_TYPES: dict[str, tuple[bytes, ...] | None] = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".pdf": (b"%PDF-",),
    ".msg": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),  # Outlook's saved e-mail (OLE file)
    ".eml": None,
    ".txt": None,
}
MAX_FILES = 5
# A clock a few minutes fast on a phone must not turn "just now" into "the future".
CLOCK_SLACK = timedelta(minutes=5)


def max_attachment_bytes() -> int:
    return getattr(settings, "INCIDENT_ATTACHMENT_MAX_BYTES", 5 * 1024 * 1024)


class LocalDateTimeField(forms.DateTimeField):
    """A browser's datetime-local input: no JavaScript, a phone's own picker."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        )
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value is None:
            return None
        # Checked on the naive value: a year-1 date cannot be converted to UTC.
        if value.year < 2000:
            raise forms.ValidationError(_("The date is too far in the past."), code="too_old")
        if value > timezone.now() + CLOCK_SLACK:
            raise forms.ValidationError(_("The time cannot be in the future."), code="future")
        return value


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Up to MAX_FILES files of the allowed types, each within the size limit."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(ALLOWED_TYPES)}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        files = [f for f in files if f]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                _("Attach at most %(n)d files.") % {"n": MAX_FILES}, code="too_many"
            )
        return [self._check(super(AttachmentsField, self).clean(f, initial)) for f in files]

    def _check(self, upload):
        limit = max_attachment_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                _("%(name)s is too large: at most %(limit)s per file.")
                % {"name": upload.name, "limit": filesizeformat(limit)},
                code="too_large",
            )
        suffix = PurePosixPath(upload.name.lower()).suffix
        if suffix not in ALLOWED_TYPES:
            raise forms.ValidationError(
                _("%(name)s is not an allowed type. Allowed: %(types)s.")
                % {"name": upload.name, "types": ", ".join(sorted(ALLOWED_TYPES))},
                code="bad_type",
            )
        upload.seek(0)
        head = upload.read(8192)
        upload.seek(0)
        signatures = ALLOWED_TYPES[suffix]
        ok = b"\x00" not in head if signatures is None else head.startswith(signatures)
        if not ok:
            raise forms.ValidationError(
                _("%(name)s does not look like a %(type)s file.")
                % {"name": upload.name, "type": suffix},
                code="bad_content",
            )
        return upload
