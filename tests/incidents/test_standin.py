"""Stand-ins: while the systemkoordinator is away, the deputy the directory named before
the absence began records the assessment and the decision; the systemkoordinator is
told on return; the DPO may always record a recommendation; all on the timeline."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from beredskab import timeline
from beredskab.forms.directory import PersonForm
from beredskab.models import Absence, OutboxMessage
from beredskab.roles import Role
from beredskab.services.directory import save_person
from incidents.models import Advice, Assessment, Decision, StandInAct
from incidents.services.standin import tell_returned
from incidents.standin import acting_for, deputy_named_at

ASSESSMENT = {
    "data_type": "2",
    "ei": "0.75",
    "cb_confidentiality": "0.25",
    "cb_integrity": "0.00",
    "cb_availability": "0.00",
    "cb_malicious": "0.00",
    "reasoning": "Adresser på 3 borgere sendt til en forkert modtager",
}
DECISION = {
    "decision": "notify",
    "rationale": "Anmeldes: risiko for de berørte",
    "inform_subjects": "no",
}


def name_deputy(person, deputy, *, at, actor=None):
    """What the directory's forms and admin write when a deputy is set: the field, and
    the timeline event naming it (beredskab.services.directory)."""
    person.deputy = deputy
    person.save(update_fields=["deputy"])
    timeline.record(person, "person.updated", actor=actor, at=at, data={"changed": ["deputy"]})


@pytest.fixture
def away(people, make_user):
    """The systemkoordinator is away since yesterday; their deputy (a plain employee)
    was named ten days ago."""
    now = timezone.now()
    koordinator = people["koordinator"].person
    deputy = make_user(Role.MEDARBEJDER, username="stedfortraeder", name="Sara Stedfortræder")
    name_deputy(koordinator, deputy.person, at=now - timedelta(days=10))
    absence = Absence.objects.create(
        person=koordinator, starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=6)
    )
    return {"deputy": deputy, "koordinator": koordinator, "absence": absence}


def test_the_directory_records_when_a_deputy_is_named(people, make_user):
    koordinator = people["koordinator"].person
    deputy = make_user(Role.MEDARBEJDER, username="ny-stedfortraeder")
    data = {k: v for k, v in model_to_dict(koordinator).items() if v is not None}
    data.update(deputy=deputy.person.pk, mobile=str(koordinator.mobile))
    form = PersonForm(data, instance=koordinator)
    assert form.is_valid(), form.errors
    save_person(form, actor=people["koordinator"])
    named = deputy_named_at(koordinator)
    assert named is not None and timezone.now() - named < timedelta(minutes=1)


def test_the_deputy_records_assessment_and_decision_while_the_koordinator_is_away(
    client_as, people, make_incident, away
):
    incident = make_incident()
    client = client_as(away["deputy"])
    page = client.get(reverse("incidents:detail", args=[incident.pk]))
    assert page.status_code == 200
    assert page.context["acting_for"].pk == away["koordinator"].pk
    assert page.context["can_assess"] and not page.context["can_manage"]
    response = client.post(reverse("incidents:assess", args=[incident.pk]), ASSESSMENT)
    assert response.status_code == 302
    response = client.post(reverse("incidents:decide", args=[incident.pk]), DECISION)
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.decision == Decision.NOTIFY
    assert Assessment.objects.get().assessed_by == away["deputy"]
    acts = list(StandInAct.objects.order_by("pk").values_list("act", "absent_id", "told_at"))
    assert acts == [
        ("assessment", away["koordinator"].pk, None),
        ("decision", away["koordinator"].pk, None),
    ]
    events = list(timeline.events_for(incident))
    stand_ins = [e for e in events if e.kind == "incident.stand_in"]
    assert [e.data["act"] for e in stand_ins] == ["assessment", "decision"]
    assert all(e.actor_id == away["deputy"].pk for e in stand_ins)
    assert all(e.data["for"] == away["koordinator"].name for e in stand_ins)
    decision = [e for e in events if e.kind == "incident.decision"][-1]
    assert decision.data["as_deputy_for"] == away["koordinator"].name


def test_the_deputy_may_not_do_anything_else(client_as, make_incident, away):
    incident = make_incident()
    client = client_as(away["deputy"])
    assert client.get(reverse("incidents:facts", args=[incident.pk])).status_code == 403
    assert client.get(reverse("incidents:notify", args=[incident.pk])).status_code == 403
    assert client.get(reverse("incidents:advise", args=[incident.pk])).status_code == 403
    response = client.post(
        reverse("incidents:awareness", args=[incident.pk]),
        {"aware_at": "2026-01-01T10:00", "reason": "x"},
    )
    assert response.status_code == 403


def test_a_deputy_named_during_the_absence_does_not_stand_in(client_as, make_incident, away):
    """The abuse path: during the absence, an account is made the deputy (perhaps by
    itself, perhaps by a careless edit) to decide in the systemkoordinator's place."""
    incident = make_incident()
    name_deputy(away["koordinator"], away["deputy"].person, at=timezone.now())
    client = client_as(away["deputy"])
    assert client.get(reverse("incidents:assess", args=[incident.pk])).status_code == 403
    assert client.post(reverse("incidents:decide", args=[incident.pk]), DECISION).status_code == 403
    assert client.get(reverse("incidents:log")).status_code == 403
    incident.refresh_from_db()
    assert incident.decision == Decision.PENDING and not StandInAct.objects.exists()


def test_no_stand_in_without_an_absence_or_with_no_record_of_the_naming(
    client_as, people, make_user, make_incident
):
    incident = make_incident()
    koordinator = people["koordinator"].person
    deputy = make_user(Role.MEDARBEJDER, username="stedfortraeder-2")
    name_deputy(koordinator, deputy.person, at=timezone.now() - timedelta(days=10))
    client = client_as(deputy)
    # Present: the systemkoordinator decides.
    assert client.get(reverse("incidents:assess", args=[incident.pk])).status_code == 403
    # Away, but the deputy was set where no edit records it (e.g. straight in the database).
    other = make_user(Role.MEDARBEJDER, Role.SYSTEMKOORDINATOR, username="koordinator-2")
    other.person.deputy = deputy.person
    other.person.save(update_fields=["deputy"])
    now = timezone.now()
    Absence.objects.create(
        person=other.person, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=1)
    )
    assert acting_for(deputy, now) is None


def test_the_koordinator_is_told_on_return_and_only_then(client_as, make_incident, away):
    incident = make_incident()
    client = client_as(away["deputy"])
    client.post(reverse("incidents:assess", args=[incident.pk]), ASSESSMENT)
    client.post(reverse("incidents:decide", args=[incident.pk]), DECISION)
    OutboxMessage.objects.all().delete()
    assert tell_returned(timezone.now()) == 0
    assert not OutboxMessage.objects.exists()
    back = away["absence"].ends_at + timedelta(minutes=1)
    assert tell_returned(back) == 1
    messages = list(OutboxMessage.objects.filter(person_id=away["koordinator"].pk))
    assert {m.channel for m in messages} == {"sms", "email"}
    assert all(incident.reference in m.body for m in messages)
    assert all("Sara" in m.body for m in messages)
    assert not StandInAct.objects.filter(told_at__isnull=True).exists()
    # Twice is harmless: nothing more is sent.
    assert tell_returned(back + timedelta(minutes=1)) == 0
    assert OutboxMessage.objects.filter(person_id=away["koordinator"].pk).count() == 2
    told = [e for e in timeline.events_for(incident) if e.kind == "incident.stand_in_told"]
    assert len(told) == 1 and told[0].data["acts"] == ["assessment", "decision"]


def test_the_dpo_may_always_record_a_recommendation(client_as, people, make_incident):
    incident = make_incident()
    client = client_as(people["dpo"])
    response = client.post(
        reverse("incidents:advise", args=[incident.pk]),
        {"notify_authority": "yes", "inform_subjects": "no", "reasoning": "Risiko for borgerne"},
    )
    assert response.status_code == 302
    advice = Advice.objects.get()
    assert advice.recorded_by == people["dpo"] and advice.notify_authority == "yes"
    event = [e for e in timeline.events_for(incident) if e.kind == "incident.dpo_advice"][0]
    assert event.actor_id == people["dpo"].pk
    # The decider sees it beside the recommendation.
    page = client_as(people["koordinator"]).get(reverse("incidents:decide", args=[incident.pk]))
    assert "Risiko for borgerne" in page.content.decode()


def test_only_the_dpo_records_a_recommendation(client_as, people, make_incident):
    incident = make_incident()
    for who in ("koordinator", "it", "boss", "reporter"):
        response = client_as(people[who]).get(reverse("incidents:advise", args=[incident.pk]))
        assert response.status_code == 403, who
