"""Editing the kind → chain table; each change on the row's timeline."""

from __future__ import annotations

from django.db import transaction

from beredskab import timeline
from beredskab.models import EscalationChain
from incidents.models import KindChain


def current_chains() -> dict[str, int]:
    return dict(KindChain.objects.values_list("kind", "chain_id"))


def set_chains(choices: dict[str, EscalationChain], *, actor) -> list[str]:
    """Point each kind at its chosen chain. Returns the kinds that changed."""
    changed = []
    with transaction.atomic():
        for kind, chain in choices.items():
            row = KindChain.objects.select_for_update().filter(kind=kind).first()
            if row is not None and row.chain_id == chain.pk:
                continue
            before = row.chain.name if row is not None else ""
            if row is None:
                row = KindChain.objects.create(kind=kind, chain=chain)
            else:
                row.chain = chain
                row.save(update_fields=["chain"])
            timeline.record(
                row, "kindchain.changed", actor=actor, data={"from": before, "to": chain.name}
            )
            changed.append(kind)
    return changed
