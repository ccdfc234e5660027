"""Hypothesis throws arbitrary input at the report form: never a 5xx, never half-saved."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incidents.models import Incident

field_text = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            "",
            "unknown",
            "yes",
            "2026-10-25T02:30",
            "0001-01-01T00:00",
            "9999-12-31T23:59",
            "2026-02-30T10:00",
            "-1",
            "1e309",
            "\x00",
            "010203-1234",
        ]
    ),
)
fields = st.fixed_dictionaries(
    {},
    optional={
        name: field_text
        for name in (
            "description",
            "kind",
            "occurred_at",
            "discovered_at",
            "personal_data",
            "people_affected",
            "ongoing",
            "nonce",
        )
    }
    | {"systems": st.lists(field_text, max_size=3)},
)


@pytest.mark.django_db(transaction=False)
@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=fields)
def test_it_never_answers_a_report_with_a_5xx(data, people, plan):
    client = Client(raise_request_exception=False)
    client.force_login(people["reporter"])
    before = Incident.objects.count()
    response = client.post(reverse("incidents:report"), data)
    assert response.status_code in (302, 400), response.status_code
    after = Incident.objects.count()
    assert after == before + (1 if response.status_code == 302 else 0)
    if response.status_code == 302:
        newest = Incident.objects.order_by("-pk").first()
        assert "010203-1234" not in newest.description
