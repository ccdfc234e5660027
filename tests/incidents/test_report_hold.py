"""The report-rate bound: a burst of reports by one person starts a few escalations;
the rest are saved but held until the systemkoordinator releases them (issue 24, 11)."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from beredskab import throttle, timeline
from beredskab.models import GateState, OutboxMessage, ReportGate
from beredskab.notify.sms import LocmemBackend
from incidents.models import Incident
from incidents.services.report import Report, release, report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def bound(settings):
    settings.REPORT_ESCALATIONS_PER_REPORTER = 3
    settings.REPORT_ESCALATION_WINDOW_MINUTES = 10


def post_reports(client, capture, n: int) -> None:
    for _ in range(n):
        with capture(execute=True):
            response = client.post(
                reverse("incidents:report"),
                {"description": "Jeg klikkede på et link", "nonce": uuid.uuid4().hex},
            )
        assert response.status_code == 302


def hold_notices():
    return OutboxMessage.objects.filter(idempotency_key__startswith="report-hold:")


def test_it_starts_three_escalations_of_ten_reports_and_tells_the_koordinator_once(
    client_as, people, plan, django_capture_on_commit_callbacks
):
    post_reports(client_as(people["reporter"]), django_capture_on_commit_callbacks, 10)

    assert Incident.objects.count() == 10  # every report is saved
    assert Incident.objects.filter(run__isnull=False).count() == 3
    assert ReportGate.objects.filter(state=GateState.HELD).count() == 7
    koordinator = people["koordinator"].person
    notices = hold_notices()
    # One notice for the burst (its SMS and its e-mail), not one per held report.
    assert {(m.channel, m.person_id) for m in notices} == {
        ("sms", koordinator.pk),
        ("email", koordinator.pk),
    }
    assert notices.count() == 2
    assert "Reporter" in notices.get(channel="sms").body
    # The old code sent an escalation per report: 10 reports gave 30 SMS.
    escalation_sms = OutboxMessage.objects.filter(channel="sms", run_step_id__isnull=False)
    assert 3 <= escalation_sms.count() <= 9
    assert len(LocmemBackend.sent) == escalation_sms.count() + 1


def test_it_puts_the_hold_on_the_timeline_and_the_receipt(
    client_as, people, plan, django_capture_on_commit_callbacks
):
    client = client_as(people["reporter"])
    post_reports(client, django_capture_on_commit_callbacks, 4)
    held = Incident.objects.order_by("pk").last()
    assert held.run is None
    assert [e.kind for e in timeline.events_for(held)][-1] == "report.held"
    receipt = client.get(reverse("incidents:receipt", args=[held.pk]))
    assert "systemkoordinator" in receipt.content.decode().lower()


def test_it_lets_the_systemkoordinator_release_a_held_report(
    client_as, people, plan, django_capture_on_commit_callbacks
):
    post_reports(client_as(people["reporter"]), django_capture_on_commit_callbacks, 4)
    held = Incident.objects.order_by("pk").last()
    client = client_as(people["koordinator"])
    page = client.get(held.get_absolute_url()).content.decode()
    assert reverse("incidents:release", args=[held.pk]) in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("incidents:release", args=[held.pk]))

    assert response.status_code == 302
    held.refresh_from_db()
    assert held.run is not None
    kinds = [e.kind for e in timeline.events_for(held)]
    assert kinds[-2:] == ["report.released", "incident.escalation_started"]
    assert not throttle.is_held(held)
    # A second release is a no-op, not a second escalation.
    assert release(held, actor=people["koordinator"]) is False


def test_it_refuses_the_release_to_others(client_as, people, plan):
    for _ in range(4):
        report(people["reporter"], Report(description="x"))
    held = Incident.objects.order_by("pk").last()
    response = client_as(people["dpo"]).post(reverse("incidents:release", args=[held.pk]))
    assert response.status_code == 403
    assert throttle.is_held(held)


def test_it_lists_held_reports_for_the_systemkoordinator_only(people, plan):
    for _ in range(5):
        report(people["reporter"], Report(description="x"))
    items = throttle.pending_items(people["koordinator"])
    assert len(items) == 2
    assert items[0].url == Incident.objects.order_by("pk")[3].get_absolute_url()
    assert throttle.pending_items(people["reporter"]) == []


def test_it_escalates_again_once_the_window_has_passed(people, plan):
    start = timezone.now()
    for i in range(4):
        report(people["reporter"], Report(description="x"), now=start + timedelta(seconds=i))
    later = report(people["reporter"], Report(description="y"), now=start + timedelta(minutes=11))
    assert later.run is not None
    assert Incident.objects.filter(run__isnull=True).count() == 1


def test_it_counts_each_reporter_on_their_own(people, plan):
    for _ in range(3):
        report(people["reporter"], Report(description="x"))
    other = report(people["boss"], Report(description="y"))
    assert other.run is not None


def test_it_tells_the_koordinator_again_for_a_new_burst_after_release(people, plan):
    start = timezone.now()
    for i in range(5):
        report(people["reporter"], Report(description="x"), now=start + timedelta(seconds=i))
    assert hold_notices().count() == 2
    for incident in Incident.objects.filter(run__isnull=True):
        release(incident, actor=people["koordinator"], now=start + timedelta(minutes=1))
    report(people["reporter"], Report(description="z"), now=start + timedelta(minutes=2))
    assert hold_notices().count() == 4


def test_it_counts_reports_sent_at_the_same_moment_on_postgresql(
    postgres, transactional_db, people, plan
):
    """Six reports racing each other: the reporter's row lock queues them, so still
    three escalations, not six."""
    threads = 6
    start = threading.Barrier(threads)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            start.wait(timeout=30)
            report(people["reporter"], Report(description="samtidig"))
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert errors == []
    assert Incident.objects.count() == threads
    assert Incident.objects.filter(run__isnull=False).count() == 3
    assert hold_notices().filter(channel="sms").count() == 1
