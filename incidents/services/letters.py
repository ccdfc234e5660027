"""Letters to the people affected (art. 34): their text, the address list, the PDF's
contents and when and how they were sent. Nothing about a person goes on the timeline:
only counts, dates and the channel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from beredskab import timeline
from beredskab.cpr import mask_cpr
from beredskab.importer import ImportFailed, RowError, read_table
from incidents.models import Incident, LetterChannel, LetterRecipient, LetterText
from incidents.viewlog import actor_text

TEXT_FIELDS = ("what_happened", "consequences", "measures", "advice", "contact")
COLUMNS = {
    "name": ["navn", "name", "fulde navn", "modtager"],
    "address": ["adresse", "address", "vejnavn og nummer"],
    "postcode": ["postnr", "postnummer", "postal code", "postcode"],
    "city": ["by", "city", "postdistrikt"],
}


class LetterImportFailed(ValueError):
    """The list cannot be used; `errors` says why, row by row, in the person's language."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def draft_texts(incident: Incident) -> dict[str, str]:
    """A first version of the letter from the incident's facts, in Danish."""
    with translation.override("da"):
        return {
            "what_happened": _(
                "We have had a security breach that involves information about you. "
                "Describe here in plain words what happened and when."
            ),
            "consequences": incident.consequences
            or _("Describe the likely consequences for you in plain words."),
            "measures": incident.measures
            or _("Describe what the municipality has done to stop the breach and limit the harm."),
            "advice": _(
                "Be careful with e-mails, text messages and calls that ask for your "
                "information, and tell us if you notice anything unusual."
            ),
            "contact": _(
                "If you have questions, contact the municipality's data protection officer."
            ),
        }


def save_text(incident: Incident, *, actor, now: datetime | None = None, **texts) -> LetterText:
    now = now or timezone.now()
    values = {name: mask_cpr(texts.get(name, "") or "") for name in TEXT_FIELDS}
    values["public_communication"] = mask_cpr(texts.get("public_communication", "") or "")
    with transaction.atomic():
        letter, created = LetterText.objects.select_for_update().update_or_create(
            incident=incident,
            defaults={**values, "updated_at": now, "updated_by_text": actor_text(actor)},
        )
        timeline.record(
            incident,
            "letters.text_saved",
            actor=actor,
            at=now,
            data={"public_communication": bool(values["public_communication"])},
        )
    return letter


@dataclass(frozen=True)
class NewRecipient:
    name: str
    address: str


def parse_list(data: bytes) -> list[NewRecipient]:
    """Read the whole file first (its encoding decided from all of it); any row without a
    name or an address fails the whole list."""
    limit = settings.LETTERS_MAX_RECIPIENTS
    try:
        table = read_table(data, columns=COLUMNS, required=["name", "address"], max_rows=limit)
    except ImportFailed as failed:
        raise LetterImportFailed([str(failed)]) from failed
    errors: list[RowError] = list(table.errors)
    people = []
    for row in table.rows:
        name = mask_cpr(row["name"])
        street = mask_cpr(row["address"])
        if not name:
            errors.append(RowError(row.number, _("the name is missing")))
        if not street:
            errors.append(RowError(row.number, _("the address is missing")))
        if name and street:
            town = " ".join(part for part in (row["postcode"], row["city"]) if part)
            address = "\n".join(part for part in (street, mask_cpr(town)) if part)
            people.append(NewRecipient(name[:200], address[:1000]))
    if errors:
        raise LetterImportFailed([str(error) for error in sorted(errors, key=lambda e: e.number)])
    return people


def import_list(
    incident: Incident, data: bytes, *, actor, now: datetime | None = None
) -> list[LetterRecipient]:
    """Add the people of a CSV file to the incident's letter list, all or none."""
    now = now or timezone.now()
    people = parse_list(data)
    with transaction.atomic():
        locked = Incident.objects.select_for_update().get(pk=incident.pk)
        already = locked.letter_recipients.count()
        if already + len(people) > settings.LETTERS_MAX_RECIPIENTS:
            raise LetterImportFailed(
                [
                    _("The list would hold %(count)s people; at most %(limit)s.")
                    % {"count": already + len(people), "limit": settings.LETTERS_MAX_RECIPIENTS}
                ]
            )
        rows = LetterRecipient.objects.bulk_create(
            LetterRecipient(incident=locked, name=p.name, address=p.address, added_at=now)
            for p in people
        )
        timeline.record(
            locked, "letters.list_imported", actor=actor, at=now, data={"count": len(rows)}
        )
    return rows


def record_sent(
    incident: Incident, *, sent_on: date, via: str, actor, now: datetime | None = None
) -> int:
    """The letters not yet recorded as sent were sent on `sent_on` by `via`."""
    now = now or timezone.now()
    if via not in LetterChannel.values:
        raise ValueError(f"unknown channel {via!r}")
    with transaction.atomic():
        count = incident.letter_recipients.filter(sent_on__isnull=True).update(
            sent_on=sent_on, sent_via=via
        )
        if count:
            timeline.record(
                incident,
                "letters.sent",
                actor=actor,
                at=now,
                data={"count": count, "sent_on": sent_on.isoformat(), "via": via},
            )
    return count


def purge(incident: Incident) -> int:
    """Retention: the letters and the address list go with the incident's personal data."""
    removed = incident.letter_recipients.all().delete()[0]
    LetterText.objects.filter(incident=incident).delete()
    return removed
