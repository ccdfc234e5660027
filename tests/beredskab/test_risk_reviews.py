"""Risk assessments: likelihood, a link to the document and a review date; a month
before the review date the system owner and the systemkoordinator are reminded, once,
through the outbox and on the system's timeline (issue 21)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from beredskab import risk_reviews
from beredskab.access import person_of
from beredskab.models import OutboxMessage, System, TimelineEvent
from beredskab.roles import Role
from beredskab.tasks import risk_review_reminders

pytestmark = pytest.mark.django_db
CPH = ZoneInfo("Europe/Copenhagen")


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, tzinfo=CPH)


@pytest.fixture
def system(make_user):
    owner = person_of(make_user(Role.MEDARBEJDER, username="ejer"))
    coordinator = person_of(make_user(Role.SYSTEMKOORDINATOR, username="koord"))
    return System.objects.create(
        name="KMD Nexus",
        likelihood=3,
        assessment_url="https://intranet.example.invalid/risiko/nexus",
        review_on=date(2027, 3, 1),
        owner=owner,
        coordinator=coordinator,
    )


def reminders():
    return OutboxMessage.objects.filter(group_key__startswith="risk-review:")


def test_nothing_is_sent_more_than_a_month_before(system):
    assert risk_review_reminders(now=at(date(2027, 1, 29))) == 0
    assert not reminders().exists()


def test_a_month_before_the_owner_and_coordinator_are_reminded_once(system):
    day = date(2027, 1, 30)
    assert risk_review_reminders(now=at(day)) == 1
    assert risk_review_reminders(now=at(day + timedelta(days=1))) == 0  # once
    recipients = set(reminders().values_list("recipient", flat=True))
    assert recipients == {system.owner.email, system.coordinator.email}
    body = reminders().first().body
    assert "KMD Nexus" in body and "1. marts 2027" in body
    assert reverse("directory:system_detail", args=[system.pk]) in body
    event = TimelineEvent.objects.get(kind="system.review_reminded")
    assert event.subject_id == str(system.pk)


def test_a_new_review_date_gets_its_own_reminder(system):
    risk_review_reminders(now=at(date(2027, 2, 1)))
    System.objects.filter(pk=system.pk).update(review_on=date(2028, 3, 1))
    assert risk_review_reminders(now=at(date(2028, 2, 5))) == 1
    assert reminders().count() == 4


def test_without_a_named_coordinator_every_systemkoordinator_hears_of_it(system, make_user):
    first = system.coordinator
    other = person_of(make_user(Role.SYSTEMKOORDINATOR, username="koord2"))
    System.objects.filter(pk=system.pk).update(coordinator=None)
    system.refresh_from_db()
    assert set(risk_reviews.recipients(system)) == {system.owner, first, other}


def test_the_system_page_shows_likelihood_link_and_review_date(
    system, client_as, systemkoordinator
):
    page = client_as(systemkoordinator).get(reverse("directory:system_detail", args=[system.pk]))
    html = page.content.decode()
    assert "Sandsynlig" in html
    assert system.assessment_url in html
    assert "01.03.2027" in html or "1.3.2027" in html or "2027" in html


def test_the_form_refuses_a_likelihood_outside_the_scale(system, client_as, systemkoordinator):
    response = client_as(systemkoordinator).post(
        reverse("directory:system_edit", args=[system.pk]),
        {
            "name": "KMD Nexus",
            "likelihood": "9",
            "confidentiality": 2,
            "availability": 2,
            "integrity": 2,
            "hosting": "hosted",
        },
    )
    assert response.status_code == 400
    system.refresh_from_db()
    assert system.likelihood == 3
