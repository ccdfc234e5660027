"""No link or button leads to a locked door (issue 21): a control is shown only to those
the view's own access helper lets in."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from beredskab.access import person_of
from beredskab.escalation import access as escalation_access
from beredskab.models import EscalationRun, EventKind, RunRecipient, RunStep
from beredskab.roles import Role
from contactcenter import access as contactcenter_access

pytestmark = pytest.mark.django_db

INTEGRATIONS_TEXT = "Integrationer, der henter beskeden"


@pytest.mark.parametrize(
    "roles, shown",
    [
        ((Role.KONTAKTCENTER,), False),
        ((Role.IT,), False),
        ((Role.KONTAKTCENTERLEDER,), True),
    ],
)
def test_the_integrations_link_follows_the_integrations_pages_rule(
    make_user, client_as, roles, shown
):
    user = make_user(Role.MEDARBEJDER, *roles)
    client = client_as(user)
    page = client.get(reverse("contactcenter:messages")).content.decode()
    assert (INTEGRATIONS_TEXT in page) is shown
    assert contactcenter_access.can_manage_integrations(user) is shown
    # And the door itself agrees with the link.
    status = client.get(reverse("contactcenter:integrations")).status_code
    assert (status == 200) is shown


def make_run(reporter_user, recipient_user) -> tuple[EscalationRun, RunStep]:
    run = EscalationRun.objects.create(
        chain_name="Brud",
        event_kind=EventKind.values[0],
        title="Mistanke om brud",
        started_at=timezone.now(),
        reporter=person_of(reporter_user),
    )
    step = RunStep.objects.create(
        run=run,
        position=1,
        name="Leder",
        ack_timeout_minutes=15,
        checklist=[f"Punkt {n}" for n in range(13)],
    )
    RunRecipient.objects.create(
        step=step, person=person_of(recipient_user), notified_at=timezone.now()
    )
    return run, step


def test_a_reporter_sees_the_checklist_without_done_buttons(employee, leader, client_as):
    run, step = make_run(employee, leader)
    page = client_as(employee).get(reverse("escalation:run", args=[run.pk])).content.decode()
    assert "Punkt 12" in page  # the checklist is there to read
    assert reverse("escalation:run_tick", args=[run.pk, step.pk]) not in page
    with pytest.raises(PermissionDenied):
        escalation_access.get_step_for(employee, run, step.pk)


def test_a_recipient_sees_the_done_buttons(employee, leader, client_as):
    run, step = make_run(employee, leader)
    page = client_as(leader).get(reverse("escalation:run", args=[run.pk])).content.decode()
    assert page.count(reverse("escalation:run_tick", args=[run.pk, step.pk])) == 13
    assert escalation_access.get_step_for(leader, run, step.pk) == step
