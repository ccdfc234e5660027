"""The plan's part of the incidents app: every kind of incident starts the breach chain.

The plan (section 3): whoever suspects a breach or a cyberattack contacts the nearest
leader AND the systemkoordinator; that is step 1 of the breach chain. Idempotent: a
kind that has a row keeps it, so the systemkoordinator's edits survive `load_plan`.
"""

from __future__ import annotations

from beredskab.models import EscalationChain, EventKind
from incidents.models import IncidentKind, KindChain


def load_kind_chains(stdout=None) -> list[KindChain]:
    chain = EscalationChain.objects.filter(event_kind=EventKind.BREACH).order_by("pk").first()
    if chain is None:
        if stdout is not None:
            stdout.write("Skipped the incident kinds: there is no breach chain")
        return []
    created = []
    for kind in IncidentKind.values:
        row, was_created = KindChain.objects.get_or_create(kind=kind, defaults={"chain": chain})
        if was_created:
            created.append(row)
    if created and stdout is not None:
        stdout.write(f"Linked {len(created)} kinds of incident to the chain {chain.name}")
    return created
