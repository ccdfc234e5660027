"""Who may see and act on an escalation run. Every run view goes through here."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from beredskab import extensions
from beredskab.access import can, person_of
from beredskab.models import EscalationChain, EscalationRun, RunStep
from beredskab.models.escalation import LIVE_STEP_STATUSES, OPEN_RUN_STATUSES

# Who oversees every run: whoever may test a chain, and the holders of the permissions
# the feature apps mark Permission(oversees_runs=True) (each subject's own managers).
CORE_OVERSEER_PERMS = ("test_chain",)


def overseer_perms() -> tuple[str, ...]:
    contributed = tuple(p.codename for p in extensions.permissions() if p.oversees_runs)
    return contributed + CORE_OVERSEER_PERMS


def is_overseer(user) -> bool:
    return any(can(user, p) for p in overseer_perms())


def runs_visible_to(user):
    if is_overseer(user):
        return EscalationRun.objects.all()
    person = person_of(user)
    if person is None:
        return EscalationRun.objects.none()
    return EscalationRun.objects.filter(
        Q(reporter=person) | Q(steps__recipients__person=person)
    ).distinct()


def steps_waiting_for(user):
    """The steps that wait for this user's acknowledgement: live steps of open runs on
    which they are a recipient, newest first."""
    person = person_of(user)
    if person is None:
        return RunStep.objects.none()
    return (
        RunStep.objects.filter(
            status__in=LIVE_STEP_STATUSES,
            run__status__in=OPEN_RUN_STATUSES,
            recipients__person=person,
        )
        .select_related("run")
        .distinct()
        .order_by("-started_at", "-pk")
    )


def get_run_for(user, pk: int, write: bool = False) -> EscalationRun:
    """The run if the user may see it (404 otherwise); write=True: may close it (403)."""
    run = runs_visible_to(user).filter(pk=pk).first()
    if run is None:
        raise Http404
    if write and not is_overseer(user):
        raise PermissionDenied
    return run


def get_step_for(user, run: EscalationRun, step_pk: int) -> RunStep:
    """A step of a visible run the user may act on: one of its people, or an overseer."""
    step = run.steps.filter(pk=step_pk).first()
    if step is None:
        raise Http404
    person = person_of(user)
    on_step = person is not None and step.recipients.filter(person=person).exists()
    if not (on_step or is_overseer(user)):
        raise PermissionDenied
    return step


def get_chain_to_test(user, pk: int) -> EscalationChain:
    if not can(user, "test_chain"):
        raise PermissionDenied
    chain = EscalationChain.objects.filter(pk=pk).first()
    if chain is None:
        raise Http404
    return chain
