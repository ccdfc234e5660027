"""Small texts (issue 21): no "(eksempel) (eksempel)" in the system list; no
"(ingen kvittering) (kvittér inden for 60 min)" in the binder; a breach must be
*reported* within 72 hours on the information-security page."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from beredskab.models import System
from beredskab.plan import load_chains
from outages import binder

pytestmark = pytest.mark.django_db


def test_the_system_list_says_example_once(client_as, systemkoordinator):
    System.objects.create(name="Ydelsessystem (eksempel)", is_example=True)
    System.objects.create(name="Testsystem", is_example=True)
    page = client_as(systemkoordinator).get(reverse("directory:system_list")).content.decode()
    assert "(eksempel) <span" not in page
    assert page.count("(eksempel)") == 2  # once in the first name, once marked on the second


def test_the_binder_does_not_say_no_acknowledgement_and_acknowledge_within():
    load_chains()
    with translation.override("da"):
        html = render_to_string("outages/binder.html", {**binder.contents(), "made_at": None})
    assert "(ingen kvittering)" not in html
    assert "når ingen har kvitteret</strong> (kvittér inden for 60 min)" in html


def test_the_infosec_page_says_a_breach_is_reported_within_72_hours(client_as, employee):
    page = client_as(employee).get(reverse("infosec")).content.decode()
    assert "vurderes inden for 72 timer" not in page
    assert "anmeldes til Datatilsynet inden for 72 timer" in page
