"""Reporting an incident: the row, its timeline and its escalation in one transaction."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from beredskab import throttle, timeline
from beredskab.access import person_of
from beredskab.actors import actor_text
from beredskab.cpr import mask_cpr
from beredskab.escalation import subjects
from beredskab.models import EscalationChain, EventKind, System
from beredskab.once import once_per_nonce
from incidents.models import Attachment, Incident, IncidentKind, KindChain


@dataclass
class Report:
    description: str
    kind: str = IncidentKind.OTHER
    occurred_at: datetime | None = None
    discovered_at: datetime | None = None
    systems: list[System] = field(default_factory=list)
    personal_data: str = "unknown"
    people_affected: str = "unknown"
    ongoing: str = "unknown"
    files: list[UploadedFile] = field(default_factory=list)
    nonce: str = ""


def aware_from(discovered_at: datetime | None, reported_at: datetime) -> datetime:
    """The 72-hour clock starts at the discovery time the reporter gave, else at the
    report (never after it: a phone's clock may run a few minutes fast)."""
    if discovered_at is None:
        return reported_at
    return min(discovered_at, reported_at)


def chain_for(kind: str) -> EscalationChain | None:
    """The kind's chain from the table; without a row (or an inactive one), the active
    breach chain (the core's one lookup: subjects.chain_for)."""
    row = KindChain.objects.select_related("chain").filter(kind=kind).first()
    return subjects.chain_for(EventKind.BREACH, row.chain if row is not None else None)


def report(user, data: Report, now: datetime | None = None, *, escalate: bool = True) -> Incident:
    """Create the incident, start its timeline and its escalation. Idempotent per nonce.

    escalate=False only for demo data: nobody is told about a made-up incident."""
    now = now or timezone.now()
    return once_per_nonce(Incident, data.nonce, lambda: _report(user, data, now, escalate))


def _report(user, data: Report, now: datetime, escalate: bool) -> Incident:
    person = person_of(user)
    with transaction.atomic():
        incident = Incident.objects.create(
            reference=f"tmp-{secrets.token_hex(6)}",
            kind=data.kind,
            description=mask_cpr(data.description),
            occurred_at=data.occurred_at,
            discovered_at=data.discovered_at,
            personal_data=data.personal_data,
            people_affected=data.people_affected,
            ongoing=data.ongoing,
            reporter=person,
            reporter_text=actor_text(user),
            department=person.department if person else None,
            reported_at=now,
            aware_at=aware_from(data.discovered_at, now),
            nonce=data.nonce,
        )
        incident.reference = Incident.make_reference(incident.pk, now)
        incident.save(update_fields=["reference"])
        incident.systems.set(data.systems)
        for upload in data.files:
            add_attachment(incident, upload, user=user, now=now, record=False)
        timeline.record(
            incident,
            "incident.reported",
            actor=user,
            at=now,
            data={
                "reference": incident.reference,
                "kind": incident.kind,
                "kind_label": _label(incident),
                "personal_data": incident.personal_data,
                "systems": [s.name for s in data.systems],
                "attachments": [f.name for f in data.files],
            },
        )
        # The report is always saved; beyond the reporter's budget its escalation
        # waits for the systemkoordinator (beredskab.throttle).
        if escalate and throttle.admit(user, incident, now=now):
            _start_escalation(incident, user, person, now)
    return incident


def release(incident: Incident, *, actor, now: datetime | None = None) -> bool:
    """The systemkoordinator releases a held report: its escalation starts now.
    False when it was not held (released meanwhile, or never held)."""
    now = now or timezone.now()
    with transaction.atomic():
        if not throttle.release(incident, actor=actor, now=now):
            return False
        _start_escalation(incident, actor, incident.reporter, now)
    return True


def start_new_escalation(incident: Incident, *, actor, now: datetime | None = None) -> bool:
    """A reopened incident whose run has ended: start a new run (the old steps are
    never restarted). False when the incident is closed or its run is still going
    (a second press of the button, say)."""
    now = now or timezone.now()
    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=incident.pk)
        if not incident.offers_new_escalation():
            return False
        _start_escalation(incident, actor, incident.reporter, now)
    return True


def _label(incident: Incident) -> str:
    # Stored in the event in the portal's language: the timeline is read for years.
    with translation.override(settings.LANGUAGE_CODE):
        return str(incident.get_kind_display())


def _start_escalation(incident: Incident, user, person, now: datetime) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Security incident %(reference)s") % {"reference": incident.reference}
        # Shown on the acknowledgement page without login: the kind, never the text.
        summary = _("%(kind)s reported. Details in the portal.") % {
            "kind": incident.get_kind_display()
        }
    subjects.start_for(
        incident,
        event_kind=EventKind.BREACH,
        chain=chain_for(incident.kind),
        title=title,
        summary=summary,
        reporter=person,
        actor=user,
        now=now,
        data={"kind": incident.kind},
    )


def add_attachment(
    incident: Incident, upload: UploadedFile, *, user, now: datetime, record: bool = True
) -> Attachment:
    """Store a file (already checked by the form) outside the web root."""
    attachment = Attachment(
        incident=incident,
        token=secrets.token_hex(16),
        original_name=mask_cpr(upload.name or "")[:200] or "file",
        content_type=(upload.content_type or "application/octet-stream")[:100],
        size=upload.size or 0,
        uploaded_at=now,
        uploaded_by=user if user.is_authenticated else None,
    )
    attachment.file.save(attachment.token, upload, save=False)
    attachment.save()
    if record:
        timeline.record(
            incident,
            "incident.attachment_added",
            actor=user,
            at=now,
            data={"file": attachment.original_name, "size": attachment.size},
        )
    return attachment


def told(incident: Incident) -> list[dict]:
    """Who the escalation has told so far, for the receipt: name and the step."""
    if incident.run_id is None:
        return []
    out = []
    for step in incident.run.steps.prefetch_related("recipients__person").order_by("position"):
        for recipient in step.recipients.all():
            out.append({"name": recipient.person.name, "step": step.name})
    return out
