"""My training: what is done, what is due and when, with the link to each course."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse

from training.models import Assignment
from training.services.assignments import sync_assignments


def test_it_shows_outstanding_courses_with_their_links_and_deadlines(staff, client_as):
    sync_assignments()
    response = client_as(staff["worker"]).get(reverse("training:index"))
    assert response.status_code == 200
    body = response.content.decode()
    assert (
        'href="https://medarbejderportalen.aabenraa.dk/vidensbasen/programmer/oevrige-programmer/mindzeed"'
        in body
    )
    assert "Phishing: genkend falske mails og links" in body
    due = Assignment.objects.filter(person=staff["worker"].person).first().due_on
    assert due.strftime("%-d/%-m/%Y") in body
    assert "Frontdesk" not in body


def test_it_marks_overdue_courses_in_text_and_lists_completed_ones(staff, client_as):
    sync_assignments()
    mine = Assignment.objects.filter(person=staff["worker"].person)
    mine.filter(course__key="phishing").update(completed_on=date(2026, 1, 2))
    mine.filter(course__key="remote-work").update(due_on=date.today() - timedelta(days=1))
    body = client_as(staff["worker"]).get(reverse("training:index")).content.decode()
    assert "Overdue" in body
    assert "completed 2/1/2026" in body


def test_it_shows_an_empty_page_to_a_login_without_a_person(db, client, django_user_model):
    user = django_user_model.objects.create_user("bare", password="x")
    client.force_login(user)
    response = client.get(reverse("training:index"))
    assert response.status_code == 200
    assert "You have no courses to complete." in response.content.decode()


def test_it_refuses_post(staff, client_as):
    assert client_as(staff["worker"]).post(reverse("training:index")).status_code == 405
