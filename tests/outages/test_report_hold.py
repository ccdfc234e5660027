"""The report-rate bound on outage reports: one budget per reporter, shared with
incident reports (beredskab.throttle); a held outage report stays off IT's list and
cannot be declared until the systemkoordinator releases it (issue 24, item 11)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from beredskab import throttle
from beredskab.models import OutboxMessage
from beredskab.roles import Role
from outages.models import OutageError, SystemOutage
from outages.services import system as service

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def bound(settings):
    settings.REPORT_ESCALATIONS_PER_REPORTER = 3
    settings.REPORT_ESCALATION_WINDOW_MINUTES = 10


def test_it_holds_the_fourth_outage_report_and_tells_the_koordinator_once(
    client_as, employee, systemkoordinator, sbsys
):
    client = client_as(employee)
    for i in range(6):
        response = client.post(
            reverse("outages:report"),
            {"description": f"SBSYS svarer ikke {i}", "system": sbsys.pk, "nonce": f"n{i}"},
        )
        assert response.status_code == 302
    assert SystemOutage.objects.count() == 6
    held = [o for o in SystemOutage.objects.order_by("pk") if throttle.is_held(o)]
    assert len(held) == 3
    # IT's list of reports to confirm shows only the admitted ones.
    assert SystemOutage.objects.awaiting_confirmation().count() == 3
    notices = OutboxMessage.objects.filter(idempotency_key__startswith="report-hold:")
    assert notices.filter(channel="sms").count() == 1


def test_it_refuses_to_declare_a_held_report_until_it_is_released(
    client_as, employee, systemkoordinator, sbsys, plan
):
    for i in range(4):
        service.report(employee, description=f"nede {i}", system=sbsys)
    outage = SystemOutage.objects.order_by("pk").last()
    assert throttle.is_held(outage)
    with pytest.raises(OutageError):
        service.declare(outage, [(sbsys, "down")], actor=systemkoordinator)

    client = client_as(systemkoordinator)
    page = client.get(outage.get_absolute_url()).content.decode()
    assert reverse("outages:release", args=[outage.pk]) in page
    assert reverse("outages:declare", args=[outage.pk]) not in page
    response = client.post(reverse("outages:release", args=[outage.pk]))
    assert response.status_code == 302
    assert not throttle.is_held(outage)
    assert outage in SystemOutage.objects.awaiting_confirmation()
    service.declare(outage, [(sbsys, "down")], actor=systemkoordinator)
    outage.refresh_from_db()
    assert outage.run is not None


def test_it_shares_the_budget_with_incident_reports(employee, sbsys, make_user):
    from incidents.services.report import Report, report

    for _ in range(3):
        report(employee, Report(description="phishing"))
    outage = service.report(employee, description="nede", system=sbsys)
    assert throttle.is_held(outage)


def test_it_refuses_the_release_to_it(client_as, employee, make_user, sbsys):
    it_user = make_user(Role.IT, username="it-2")
    for i in range(4):
        service.report(employee, description=f"nede {i}", system=sbsys)
    outage = SystemOutage.objects.order_by("pk").last()
    response = client_as(it_user).post(reverse("outages:release", args=[outage.pk]))
    assert response.status_code == 403
    assert throttle.is_held(outage)
