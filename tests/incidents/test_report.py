"""Reporting an incident: the form, the receipt, the escalation in the same transaction."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from beredskab import timeline
from beredskab.models import OutboxMessage, System
from beredskab.notify.sms import LocmemBackend
from incidents.models import Incident, IncidentKind, KindChain


def post_report(client, django_capture_on_commit_callbacks, **data):
    data.setdefault("description", "Jeg klikkede på et link i en mail")
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("incidents:report"), data)


def test_it_shows_the_form_with_dont_know_answers_and_the_outage_link(client_as, people):
    response = client_as(people["reporter"]).get(reverse("incidents:report"))
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("outages:index") in html
    assert 'value="unknown" checked' in html or 'value="unknown" selected' in html
    assert 'name="nonce"' in html
    assert 'enctype="multipart/form-data"' in html


def test_it_accepts_a_report_with_only_a_description(
    client_as, people, plan, django_capture_on_commit_callbacks
):
    client = client_as(people["reporter"])
    response = post_report(client, django_capture_on_commit_callbacks)
    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("incidents:receipt", args=[incident.pk])
    assert incident.kind == IncidentKind.OTHER
    assert incident.personal_data == "unknown"
    assert incident.occurred_at is None
    assert incident.reference.startswith(f"H-{timezone.localtime().year}-")
    assert incident.department == people["reporter"].person.department


def test_it_starts_the_escalation_and_tells_the_leader_and_the_systemkoordinator(
    client_as, people, plan, django_capture_on_commit_callbacks
):
    client = client_as(people["reporter"])
    post_report(client, django_capture_on_commit_callbacks, kind="phishing")
    incident = Incident.objects.get()
    assert incident.run is not None
    assert incident.run.reporter == people["reporter"].person
    sent_to = {m["to"] for m in LocmemBackend.sent}
    assert str(people["boss"].person.mobile) in sent_to
    assert str(people["koordinator"].person.mobile) in sent_to
    # The SMS carries the reference and the kind, never the free text.
    body = LocmemBackend.sent[0]["body"]
    assert incident.reference in body
    assert "link i en mail" not in body
    kinds = [e.kind for e in timeline.events_for(incident)]
    assert kinds == ["incident.reported", "incident.escalation_started"]


def test_it_shows_the_receipt_with_reference_and_who_was_told(
    client_as, people, plan, django_capture_on_commit_callbacks
):
    client = client_as(people["reporter"])
    response = post_report(client, django_capture_on_commit_callbacks)
    receipt = client.get(response["Location"])
    html = receipt.content.decode()
    incident = Incident.objects.get()
    assert receipt.status_code == 200
    assert incident.reference in html
    assert people["boss"].person.name in html
    assert people["koordinator"].person.name in html
    assert "Do not delete anything" in html or "Slet ikke" in html


def test_it_masks_cpr_numbers_before_storing(
    client_as, people, plan, django_capture_on_commit_callbacks
):
    client = client_as(people["reporter"])
    post_report(
        client, django_capture_on_commit_callbacks, description="Borger 010203-1234 fik brevet"
    )
    incident = Incident.objects.get()
    assert "010203-1234" not in incident.description
    assert "XXXXXX-XXXX" in incident.description


def test_it_creates_one_incident_for_a_double_submit(
    client_as, people, plan, django_capture_on_commit_callbacks
):
    client = client_as(people["reporter"])
    nonce = "a" * 32
    first = post_report(client, django_capture_on_commit_callbacks, nonce=nonce)
    second = post_report(client, django_capture_on_commit_callbacks, nonce=nonce)
    assert Incident.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_it_starts_the_chain_the_kind_table_names(
    client_as, people, plan, django_capture_on_commit_callbacks
):
    from beredskab.models import EscalationChain, EscalationStep

    other = EscalationChain.objects.create(name="Kun IT", event_kind="breach")
    EscalationStep.objects.create(chain=other, position=1, name="IT", ack_timeout_minutes=5)
    KindChain.objects.filter(kind="lost_device").update(chain=other)
    post_report(
        client_as(people["reporter"]), django_capture_on_commit_callbacks, kind="lost_device"
    )
    assert Incident.objects.get().run.chain == other


def test_it_still_records_the_report_when_no_chain_exists(
    client_as, people, django_capture_on_commit_callbacks
):
    response = post_report(client_as(people["reporter"]), django_capture_on_commit_callbacks)
    incident = Incident.objects.get()
    assert incident.run is None
    assert response.status_code == 302
    receipt = client_as(people["reporter"]).get(response["Location"]).content.decode()
    assert "Call your nearest leader" in receipt or "Ring" in receipt


@pytest.mark.parametrize(
    "data, field",
    [
        ({"description": ""}, "description"),
        ({"occurred_at": "2026-01-02T10:00", "discovered_at": "2026-01-01T10:00"}, "discovered_at"),
        ({"occurred_at": "2999-01-01T10:00"}, "occurred_at"),
        ({"discovered_at": "1900-01-01T10:00"}, "discovered_at"),
        ({"systems": ["999999"]}, "systems"),
        ({"kind": "earthquake"}, "kind"),
        ({"personal_data": "maybe"}, "personal_data"),
    ],
)
def test_it_refuses_bad_input_with_400_and_saves_nothing(
    client_as, people, plan, django_capture_on_commit_callbacks, data, field
):
    data = {"description": "Noget skete", **data}
    response = post_report(
        client_as(people["reporter"]), django_capture_on_commit_callbacks, **data
    )
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not Incident.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_it_links_the_systems_from_the_register(
    client_as, people, plan, django_capture_on_commit_callbacks
):
    system = System.objects.create(name="KMD Momentum")
    post_report(
        client_as(people["reporter"]), django_capture_on_commit_callbacks, systems=[system.pk]
    )
    assert list(Incident.objects.get().systems.all()) == [system]


def test_it_accepts_times_in_the_past(client_as, people, plan, django_capture_on_commit_callbacks):
    past = timezone.localtime() - timedelta(hours=3)
    post_report(
        client_as(people["reporter"]),
        django_capture_on_commit_callbacks,
        occurred_at=past.strftime("%Y-%m-%dT%H:%M"),
        discovered_at=(past + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
    )
    incident = Incident.objects.get()
    assert incident.discovered_at - incident.occurred_at == timedelta(hours=1)
