"""Reading the booking system's export (or pasted numbers) into a campaign's recipients.

    table = read_upload(data)                         # ImportFailed: the file as a whole
    mapping = known_mapping(table.header)             # remembered, or by default titles
    preview = parse_bookings(data, campaign, mapping) # counts and rejected rows; no writes
    store_preview(campaign, preview, actor=user, ...) # one transaction, replaces the last import

The columns are `FIELDS`: name, mobile, time, service, location; only the mobile is
required. One recipient per unique mobile, holding every booking of theirs in the
period (so one SMS names all their times). A row is rejected with its row number and a
reason code (`REASONS`): no number, not a valid number, outside the period (only when
a time column is mapped and the time can be read), or a duplicate (the same number and
the same time as an earlier row). No citizen's data goes into the rejects: row numbers
and reasons only.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beredskab import timeline
from beredskab.cpr import mask_cpr
from beredskab.importer import ImportFailed, Table, read_table
from outages.models import (
    Campaign,
    CampaignError,
    CampaignRecipient,
    CampaignUpload,
    ColumnMapping,
)
from outages.services.campaigns.content import CHECKED_FIELDS, store_flags, value_flags
from outages.services.campaigns.numbers import NUMBER_REASONS, NumberRefused, check_number
from outages.services.campaigns.times import in_period, parse_time

FIELDS = ("name", "mobile", "time", "service", "location")
FIELD_LABELS = {
    "name": _("Name"),
    "mobile": _("Mobile"),
    "time": _("Time of the booking"),
    "service": _("Service"),
    "location": _("Location"),
}
# Column titles recognised without asking (compared case- and space-insensitively).
DEFAULT_TITLES: dict[str, tuple[str, ...]] = {
    "name": ("Navn", "Borger", "Borgerens navn", "Fulde navn", "Name"),
    "mobile": (
        "Mobil",
        "Mobilnummer",
        "Mobilnr",
        "Mobilnr.",
        "Telefon",
        "Telefonnummer",
        "Tlf",
        "Tlf.",
        "Mobile",
        "Phone",
    ),
    "time": ("Tidspunkt", "Tid", "Dato og tid", "Dato/tid", "Starttid", "Start", "Time"),
    "service": ("Ydelse", "Aftaletype", "Service"),
    "location": ("Sted", "Lokation", "Lokale", "Location"),
}

REASONS = {
    "no_number": _("no number"),
    **NUMBER_REASONS,
    "outside_period": _("outside the period"),
    "duplicate": _("duplicate (same number and time as an earlier row)"),
    "unreadable": _("the row could not be read"),
}

MAX_PASTED = 20_000


def _normal(title: str) -> str:
    return " ".join(title.replace("\ufeff", "").strip().casefold().split())


def fingerprint(header: list[str]) -> str:
    """The export's layout: its normalised column titles, in order."""
    return hashlib.sha256("\x1f".join(_normal(t) for t in header).encode()).hexdigest()


def read_upload(data: bytes) -> Table:
    """Read the file as a whole (encoding, separator, size, NUL bytes); no mapping yet."""
    return read_table(data, columns={})


def known_mapping(header: list[str]) -> dict[str, str]:
    """The mapping remembered for this layout, else the columns with default titles."""
    remembered = ColumnMapping.objects.filter(fingerprint=fingerprint(header)).first()
    titles = {_normal(t): t for t in header if t}
    if remembered is not None:
        mapping = {f: t for f, t in remembered.mapping.items() if _normal(t) in titles}
        if "mobile" in mapping:
            return mapping
    mapping = {}
    for name, candidates in DEFAULT_TITLES.items():
        for candidate in candidates:
            if _normal(candidate) in titles:
                mapping[name] = titles[_normal(candidate)]
                break
    return mapping


def remember_mapping(header: list[str], mapping: dict[str, str], now: datetime) -> None:
    ColumnMapping.objects.update_or_create(
        fingerprint=fingerprint(header),
        defaults={"header": header[:50], "mapping": mapping, "updated_at": now},
    )


@dataclass
class Draft:
    mobile: str
    name: str = ""
    bookings: list[dict] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)


# The import summary's key for whose booking each rejected row was (citizens' data).
REJECTED_WHO = "rejected_who"


@dataclass
class Preview:
    """What an import would store: no writes happen until `store_preview`."""

    source: str  # "file" or "pasted"
    header: list[str]
    mapping: dict[str, str]
    rows: int = 0
    bookings: int = 0
    recipients: dict[str, Draft] = field(default_factory=dict)
    rejected: list[tuple[int, str]] = field(default_factory=list)
    # Whose booking a rejected row was (name and time as in the file), so frontdesk can
    # call them; citizens' data: dropped by the retention purge with the rest.
    rejected_who: dict[int, str] = field(default_factory=dict)
    # Imported values that would put a web address, a phone number or an over-long
    # text into an SMS: {"row", "field", "value", "reasons", "mobile"}.
    flags: list[dict] = field(default_factory=list)
    encoding: str = ""

    @property
    def unique_mobiles(self) -> int:
        return len(self.recipients)

    def summary(self) -> dict:
        """The counts kept on the campaign; the only personal data is whose booking each
        rejected row was (REJECTED_WHO), which the retention purge removes."""
        return {
            "source": self.source,
            "rows": self.rows,
            "bookings": self.bookings,
            "unique_mobiles": self.unique_mobiles,
            "rejected": [[number, reason] for number, reason in self.rejected[:1000]],
            "rejected_count": len(self.rejected),
            REJECTED_WHO: {
                str(number): self.rejected_who[number]
                for number, _reason in self.rejected[:1000]
                if self.rejected_who.get(number)
            },
            "flagged": len(self.flags),
            "mapping": self.mapping,
            "encoding": self.encoding,
        }


def _who(values: dict) -> str:
    parts = (values.get("name", ""), values.get("time", ""))
    return mask_cpr(" ".join(part.strip() for part in parts if part.strip()))[:200]


def _add(preview: Preview, campaign: Campaign, number: int, values: dict, seen: set) -> None:
    preview.rows += 1
    rejected_before = len(preview.rejected)
    _add_row(preview, campaign, number, values, seen)
    if len(preview.rejected) > rejected_before and _who(values):
        preview.rejected_who[number] = _who(values)


def _add_row(preview: Preview, campaign: Campaign, number: int, values: dict, seen: set) -> None:
    raw = values.get("mobile", "").strip()
    if not raw:
        preview.rejected.append((number, "no_number"))
        return
    try:
        mobile = check_number(raw)
    except NumberRefused as refused:
        preview.rejected.append((number, refused.reason))
        return
    raw_time = values.get("time", "").strip()
    when = parse_time(raw_time) if raw_time else None
    if when is not None and not in_period(when, campaign.period_start, campaign.period_end):
        preview.rejected.append((number, "outside_period"))
        return
    time_key = when.isoformat() if when is not None else raw_time
    if (mobile, time_key) in seen:
        preview.rejected.append((number, "duplicate"))
        return
    seen.add((mobile, time_key))
    draft = preview.recipients.get(mobile)
    if draft is None:
        draft = preview.recipients[mobile] = Draft(mobile=mobile)
    if not draft.name and values.get("name"):
        draft.name = mask_cpr(values["name"].strip())[:150]
    booking = {
        "time": time_key,
        "service": mask_cpr(values.get("service", "").strip())[:150],
        "location": mask_cpr(values.get("location", "").strip())[:150],
    }
    draft.bookings.append(booking)
    for name in CHECKED_FIELDS:
        # A time that was read goes out as "28.11. kl. 10.30"; only unread text is pasted.
        if name == "time" and when is not None:
            continue
        text = mask_cpr(values.get(name, "").strip())
        reasons = value_flags(text)
        if reasons:
            preview.flags.append(
                {"row": number, "field": name, "value": text, "reasons": reasons, "mobile": mobile}
            )
    draft.rows.append(number)
    preview.bookings += 1


def parse_bookings(data: bytes, campaign: Campaign, mapping: dict[str, str]) -> Preview:
    """Read the export with `mapping` (field -> column title). Raises ImportFailed when
    the file cannot be read or the mapping names no mobile column."""
    if not mapping.get("mobile"):
        raise ImportFailed(_("Choose the column that holds the mobile number."))
    columns = {name: [title] for name, title in mapping.items() if name in FIELDS and title}
    table = read_table(data, columns=columns, required=["mobile"])
    preview = Preview(
        source="file", header=table.header, mapping=dict(table.mapped), encoding=table.encoding
    )
    seen: set = set()
    for row in table.rows:
        _add(preview, campaign, row.number, row.values, seen)
    for error in table.errors:
        preview.rows += 1
        preview.rejected.append((error.number, "unreadable"))
    preview.rejected.sort()
    return preview


_SPLIT = re.compile(r"[\n;,\t]+")


def parse_pasted(text: str, campaign: Campaign) -> Preview:
    """Numbers pasted one a line (or separated by ; , or tabs). Numbers only."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    preview = Preview(source="pasted", header=[], mapping={})
    seen: set = set()
    for number, line in enumerate(lines, start=1):
        for part in _SPLIT.split(line):
            if not part.strip():
                continue
            if preview.rows >= MAX_PASTED:
                raise ImportFailed(
                    _("Too many numbers (at most %(limit)s).") % {"limit": MAX_PASTED}
                )
            _add(preview, campaign, number, {"mobile": part}, seen)
    if not preview.rows:
        raise ImportFailed(_("Paste at least one number."))
    return preview


def store_preview(
    campaign: Campaign,
    preview: Preview,
    *,
    actor,
    upload: bytes | None = None,
    remember: bool = False,
    now: datetime | None = None,
) -> Campaign:
    """Replace the campaign's recipients with the preview's, in one transaction; keep
    the upload (for another mapping) and remember the mapping when asked."""
    now = now or timezone.now()
    limit = settings.CAMPAIGN_MAX_RECIPIENTS
    if preview.unique_mobiles > limit:
        raise ImportFailed(
            _(
                "The bookings have %(count)s mobile numbers; a campaign may text at most "
                "%(limit)s. Nothing was loaded: split the period into several campaigns."
            )
            % {"count": preview.unique_mobiles, "limit": limit}
        )
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if not locked.is_editable:
            raise CampaignError("bookings can only be loaded before the campaign is confirmed")
        locked.flags.all().delete()
        locked.recipients.all().delete()
        CampaignRecipient.objects.bulk_create(
            (
                CampaignRecipient(
                    campaign=locked,
                    mobile=d.mobile,
                    name=d.name,
                    bookings=d.bookings,
                    rows=d.rows,
                )
                for d in preview.recipients.values()
            ),
            batch_size=1000,
        )
        store_flags(locked, preview.flags)
        if upload is not None:
            keep_upload(locked, upload, preview.header, now)
        elif preview.source == "pasted":
            CampaignUpload.objects.filter(campaign=locked).delete()
        if remember and preview.mapping.get("mobile"):
            remember_mapping(preview.header, preview.mapping, now)
        locked.import_summary = preview.summary()
        locked.updated_at = now
        locked.save(update_fields=["import_summary", "updated_at"])
        timeline.record(
            locked,
            "campaign.imported",
            actor=actor,
            at=now,
            data={
                "source": preview.source,
                "rows": preview.rows,
                "bookings": preview.bookings,
                "unique_mobiles": preview.unique_mobiles,
                "rejected": len(preview.rejected),
                "flagged": len(preview.flags),
            },
        )
    campaign.refresh_from_db()
    return campaign


def keep_upload(campaign: Campaign, data: bytes, header: list[str], now: datetime) -> None:
    CampaignUpload.objects.update_or_create(
        campaign=campaign, defaults={"data": data, "header": header, "uploaded_at": now}
    )


def load_file(campaign: Campaign, data: bytes, *, actor, now: datetime | None = None) -> Preview:
    """The upload step: read the file whole; if its columns are known, import it now.

    Returns the Preview (its `mapping` lacks "mobile" when the columns must be mapped
    first; then only the upload is kept). Raises ImportFailed with nothing stored.
    """
    now = now or timezone.now()
    table = read_upload(data)
    mapping = known_mapping(table.header)
    if "mobile" not in mapping:
        if not campaign.is_editable:
            raise CampaignError("bookings can only be loaded before the campaign is confirmed")
        with transaction.atomic():
            keep_upload(campaign, data, table.header, now)
        return Preview(source="file", header=table.header, mapping=mapping)
    preview = parse_bookings(data, campaign, mapping)
    store_preview(campaign, preview, actor=actor, upload=data, remember=True, now=now)
    return preview


def apply_mapping(
    campaign: Campaign, mapping: dict[str, str], *, actor, now: datetime | None = None
) -> Preview:
    """The mapping step: import the kept upload with the person's mapping and remember it."""
    upload = CampaignUpload.objects.filter(campaign=campaign).first()
    if upload is None:
        raise ImportFailed(_("Upload the file again: it is no longer kept."))
    data = bytes(upload.data)
    preview = parse_bookings(data, campaign, mapping)
    store_preview(campaign, preview, actor=actor, upload=data, remember=True, now=now)
    return preview
