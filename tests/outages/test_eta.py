"""The supplier's ETA: kept as history, the latest shown, past ones refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from outages.models import EtaEstimate, OutageError, OutageStatus
from tests.outages.conftest import in_hours, local_input


def test_it_keeps_every_eta_and_shows_the_latest(declared, it_user, client_as):
    first = timezone.now() + timedelta(hours=2)
    declared.contact_supplier(eta=first, note="Første bud", actor=it_user)
    second = timezone.now() + timedelta(hours=5)
    declared.record_eta(eta=second, note="Det tager længere", actor=it_user)
    assert declared.etas.count() == 2
    assert declared.current_eta().eta == second
    page = client_as(it_user).get(reverse("outages:detail", args=[declared.pk])).content.decode()
    assert "Første bud" in page and "Det tager længere" in page


def test_it_records_an_eta_through_the_form(declared, it_user, client_as):
    response = client_as(it_user).post(
        reverse("outages:eta", args=[declared.pk]), {"eta-eta": in_hours(4), "eta-note": "Ny tid"}
    )
    assert response.status_code == 302
    assert declared.etas.get().note == "Ny tid"


@pytest.mark.parametrize("hours", [-1, -0.1])
def test_it_refuses_an_eta_in_the_past(declared, it_user, client_as, hours):
    response = client_as(it_user).post(
        reverse("outages:eta", args=[declared.pk]), {"eta-eta": in_hours(hours), "eta-note": ""}
    )
    assert response.status_code == 400
    assert "cannot be in the past" in response.content.decode()
    assert not EtaEstimate.objects.exists()


def test_it_refuses_an_eta_before_the_outage_began(declared, it_user, client_as):
    declared.began_at = timezone.now() + timedelta(hours=2)  # a clock skew: still refused
    declared.save()
    response = client_as(it_user).post(
        reverse("outages:eta", args=[declared.pk]), {"eta-eta": in_hours(1), "eta-note": ""}
    )
    assert response.status_code == 400
    assert "before the outage began" in response.content.decode()
    assert not EtaEstimate.objects.exists()


def test_it_refuses_a_past_eta_in_the_model_too(declared, it_user):
    with pytest.raises(OutageError):
        declared.record_eta(eta=timezone.now() - timedelta(minutes=5), note="", actor=it_user)
    assert not EtaEstimate.objects.exists()


def test_it_accepts_supplier_contacted_without_an_eta(declared, it_user, client_as):
    response = client_as(it_user).post(
        reverse("outages:contacted", args=[declared.pk]),
        {"contact-eta": "", "contact-note": "Venter på svar"},
    )
    assert response.status_code == 302
    declared.refresh_from_db()
    assert declared.status == OutageStatus.SUPPLIER_CONTACTED
    assert declared.supplier_contacted_at is not None
    assert not declared.etas.exists()


def test_it_takes_no_eta_after_restored(declared, it_user, client_as):
    declared.mark_restored(note="", actor=it_user)
    later = timezone.now() + timedelta(hours=1)
    with pytest.raises(OutageError):
        declared.record_eta(eta=later, note="", actor=it_user)
    response = client_as(it_user).post(
        reverse("outages:eta", args=[declared.pk]), {"eta-eta": local_input(later), "eta-note": ""}
    )
    assert response.status_code == 409
    assert not EtaEstimate.objects.exists()
