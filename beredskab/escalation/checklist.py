"""Checklist ticks on a running step: who ticked what, when, with an optional note."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from beredskab import timeline
from beredskab.actors import actor_text
from beredskab.escalation.engine import EscalationError
from beredskab.models import ChecklistTick, Person, RunStep


def tick_checklist(step: RunStep, index: int, *, by: Person, note: str = "", now=None):
    """Tick item `index` of the step's checklist (once; a note may be added later)."""
    now = now or timezone.now()
    if not 0 <= index < len(step.checklist):
        raise EscalationError("no such checklist item")
    with transaction.atomic():
        tick_row, created = ChecklistTick.objects.get_or_create(
            step=step,
            item_index=index,
            defaults={
                "item_text": step.checklist[index][:300],
                "ticked_by": by,
                "ticked_by_text": actor_text(by),
                "ticked_at": now,
                "note": note,
            },
        )
        if not created and note and note != tick_row.note:
            tick_row.note = note
            tick_row.save(update_fields=["note"])
        timeline.record(
            step.run,
            "checklist.ticked" if created else "checklist.noted",
            actor=by.user if by.user_id else by.name,
            at=now,
            data={"step": step.name, "item": step.checklist[index], "note": note},
        )
    return tick_row
