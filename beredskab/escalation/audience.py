"""Whom a snapshotted step tells, and which of the step's positions each of them fills.

A position is "the nearest leader" (the reporter's leader, or the deputy standing in),
"a holder of role X" (any one of them) or "this person"; every recipient also fills
their own "self" position, which a deputy takes over from the person they stand in for.
The completion rule (escalation_states.Completion) is judged on these keys.
"""

from __future__ import annotations

from datetime import datetime

from beredskab.models import Person, RunRecipient, RunStep
from beredskab.models.directory import stand_ins
from beredskab.models.escalation_states import (
    LEADER,
    Completion,
    person_position,
    role_position,
    self_position,
)


def resolve_step_recipients(
    step: RunStep, at: datetime
) -> tuple[list[tuple[Person, Person | None]], dict[int, list[str]]]:
    """(person to notify, the absent person they stand in for) for a snapshotted step,
    and for each person told, the position keys they fill."""
    keys: dict[int, set[str]] = {}
    wanted: list[Person] = []

    def want(person: Person, key: str) -> None:
        if person.pk not in keys:
            keys[person.pk] = set()
            wanted.append(person)
        keys[person.pk].add(key)

    for role_name in step.role_names:
        for person in Person.objects.active().filter(roles__name=role_name).distinct():
            want(person, role_position(role_name))
    for person in Person.objects.filter(pk__in=step.person_ids):
        want(person, person_position(person.pk))
    if step.notify_nearest_leader and step.run.reporter_id:
        leader = step.run.reporter.nearest_leader(at)
        if leader is not None:
            want(leader, LEADER)
    pairs: list[tuple[Person, Person | None]] = []
    positions: dict[int, set[str]] = {}
    for stand_in, person in stand_ins(wanted, at):
        pairs.append((stand_in, None if stand_in.pk == person.pk else person))
        positions.setdefault(stand_in.pk, set()).update(keys[person.pk], {self_position(person.pk)})
        if stand_in.pk in keys:  # told for themselves too
            positions[stand_in.pk].update(keys[stand_in.pk], {self_position(stand_in.pk)})
    return pairs, {pk: sorted(found) for pk, found in positions.items()}


def required_positions(step: RunStep, recipients: list[RunRecipient]) -> set[str]:
    """The keys that must be acknowledged before the step completes under its rule.
    A position nobody on the step fills today cannot hold the step open; the chain
    form refuses such steps, and the step's start records any that remain."""
    filled = set().union(*(set(r.positions) for r in recipients)) if recipients else set()
    if step.completion == Completion.EACH_POSITION:
        return set(step.positions) & filled
    if step.completion == Completion.EVERYONE:
        return {key for key in filled if key.startswith("self:")}
    return set()


def missing_positions(step: RunStep, recipients: list[RunRecipient]) -> set[str]:
    """What the step still waits for; empty once it may complete."""
    acked = [r for r in recipients if r.acknowledged_at is not None]
    if step.completion == Completion.ANYONE:
        return set() if acked else {"anyone"}
    done = set().union(*(set(r.positions) for r in acked)) if acked else set()
    missing = required_positions(step, recipients) - done
    if not acked:  # the rule never completes a step nobody acknowledged
        missing.add("anyone")
    return missing
