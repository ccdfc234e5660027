"""load_plan links every kind of incident to the plan's breach chain, and keeps edits."""

from __future__ import annotations

import io

from beredskab.models import EscalationChain, EventKind
from beredskab.plan import load_plan
from incidents.models import IncidentKind, KindChain


def test_it_links_every_kind_to_the_breach_chain(db):
    load_plan(io.StringIO())
    breach = EscalationChain.objects.get(event_kind=EventKind.BREACH)
    rows = dict(KindChain.objects.values_list("kind", "chain"))
    assert set(rows) == set(IncidentKind.values)
    assert set(rows.values()) == {breach.pk}


def test_it_keeps_the_systemkoordinators_edits_on_a_second_load(db):
    load_plan(io.StringIO())
    other = EscalationChain.objects.get(event_kind=EventKind.SYSTEM_OUTAGE)
    KindChain.objects.filter(kind=IncidentKind.PHISHING).update(chain=other)
    load_plan(io.StringIO())
    assert KindChain.objects.get(kind=IncidentKind.PHISHING).chain == other
    assert KindChain.objects.count() == len(IncidentKind.values)


def test_it_lets_the_systemkoordinator_edit_the_kind_table(client_as, people, plan):
    from django.urls import reverse

    from beredskab import timeline

    other = EscalationChain.objects.get(event_kind=EventKind.SYSTEM_OUTAGE)
    url = reverse("incidents:kind_chains")
    client = client_as(people["koordinator"])
    assert client.get(url).status_code == 200
    data = dict(KindChain.objects.values_list("kind", "chain_id"))
    data[IncidentKind.LOST_DEVICE] = other.pk
    assert client.post(url, data).status_code == 302
    row = KindChain.objects.get(kind=IncidentKind.LOST_DEVICE)
    assert row.chain == other
    assert [e.kind for e in timeline.events_for(row)] == ["kindchain.changed"]
    data[IncidentKind.PHISHING] = 999999
    assert client.post(url, data).status_code == 400
    assert client_as(people["boss"]).get(url).status_code == 403
