"""An escalation run whose first step tells the reporter's nearest leader: what the run
page's tests (in the browser and without) start from."""

from __future__ import annotations

from beredskab.escalation import engine
from beredskab.models import EscalationChain, EscalationRun, EscalationStep, EventKind
from beredskab.roles import Role


def leader_run(make_user, department, *, checklist: str = "") -> EscalationRun:
    """Reporter and leader (username "leader") in `department`; the run started."""
    reporter = make_user(Role.MEDARBEJDER, username="reporter").person
    leader = make_user(Role.MEDARBEJDER, Role.LEDER, username="leader", name="Lise Leder")
    department.leaders.add(leader.person)
    chain = EscalationChain.objects.create(name="Nedbrud", event_kind=EventKind.BREACH)
    EscalationStep.objects.create(
        chain=chain,
        position=1,
        name="Nærmeste leder",
        notify_nearest_leader=True,
        by_email=False,
        checklist=checklist,
    )
    return engine.start_run(chain, title="Nedbrud i fagsystem", reporter=reporter)
