"""Issue 22, done when: a department's people are provisioned by SCIM, its leader is
set inactive, and an incident reported from that department sends the first step's
SMS to the deputy (at the fake Twilio server), while the leader's open session ends."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from beredskab.models import Department, DepartmentMapping, Person
from beredskab.roles import Role
from incidents.models import Incident
from tests.beredskab.scim_support import Scim, make_token
from tests.conftest import PASSWORD
from tests.fakes import FakeTwilio


@pytest.fixture
def twilio(settings):
    with FakeTwilio(send_callbacks=False) as server:
        for name, value in server.settings().items():
            setattr(settings, name, value)
        yield server


def test_it_sends_the_first_step_to_the_deputy_when_scim_deactivates_the_leader(
    db, plan, make_user, twilio, django_capture_on_commit_callbacks
):
    unit = Department.objects.create(name="Vejcenter")
    DepartmentMapping.objects.create(value="Teknik/Vejcenter", department=unit)
    make_user(
        Role.MEDARBEJDER,
        Role.SYSTEMKOORDINATOR,
        username="koordinator",
        department=Department.objects.create(name="Digitalisering"),
    )
    # Logins exist (made by hand, as before provisioning); SCIM matches their people.
    leader = make_user(Role.MEDARBEJDER, Role.LEDER, username="leader", department=None)
    reporter = make_user(Role.MEDARBEJDER, username="reporter", department=None)
    scim = Scim(Client(), make_token("entra-id"))
    provisioned = {}
    for user, mobile in ((leader, "21 98 70 01"), (reporter, "21 98 70 02")):
        body = scim.create_user(
            f"{user.username}@kommune.dk",
            email=user.person.email,
            mobile=mobile,
            department="Teknik/Vejcenter",
        )
        provisioned[user.username] = Person.objects.get(pk=body["id"])
    deputy_body = scim.create_user(
        "stedfortraeder@kommune.dk",
        name="Stedfortræder",
        mobile="21 98 70 03",
        department="Teknik/Vejcenter",
    )
    deputy = Person.objects.get(pk=deputy_body["id"])
    assert provisioned["leader"] == leader.person and deputy.department == unit
    # Who leads the unit and who deputises is the portal's own.
    unit.leaders.add(leader.person)
    unit.deputy = deputy
    unit.save()

    leader_session = Client()
    leader_session.post(reverse("login"), {"login": "leader", "password": PASSWORD})
    assert leader_session.get(reverse("home")).status_code == 200

    response = scim.patch(
        f"/Users/{leader.person.pk}", {"op": "replace", "path": "active", "value": "False"}
    )
    assert response.status_code == 200

    reporting = Client()
    reporting.force_login(reporter)
    with django_capture_on_commit_callbacks(execute=True):
        response = reporting.post(
            reverse("incidents:report"),
            {"description": "Skærmene i vejcentret er sorte", "kind": "phishing"},
        )
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert incident.department == unit
    first = incident.run.steps.order_by("position").first()
    sent_to = {m.to for m in twilio.messages}
    assert "+4521987003" in sent_to  # the deputy
    assert "+4521987001" not in sent_to  # not the deactivated leader
    assert first.recipients.filter(person=deputy).exists()
    assert leader_session.get(reverse("home")).status_code == 302
