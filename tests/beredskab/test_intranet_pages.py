"""The plan's own intranet pages (issue 21): load_plan gives the information-security
links the addresses the plan names, and every course links to the Mindzeed page."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from beredskab.models import InfoLink
from training.models import Course

pytestmark = pytest.mark.django_db

INFOSEC = "https://medarbejderportalen.aabenraa.dk/hjaelp-til-alle/it-og-digitalisering/informationssikkerhed/"
MINDZEED = (
    "https://medarbejderportalen.aabenraa.dk/vidensbasen/programmer/oevrige-programmer/mindzeed"
)
INCIDENTS = (
    "https://medarbejderportalen.aabenraa.dk/hjaelp-til-alle/it-og-digitalisering/"
    "informationssikkerhed/sikkerhedshaendelser-og-brud#hvad-er-en-haendelseslog--ad"
)


def test_load_plan_loads_the_three_intranet_pages_the_plan_names(client_as, employee):
    call_command("load_plan", stdout=StringIO())
    urls = dict(InfoLink.objects.values_list("key", "url"))
    assert urls["sikkerhedspolitik"] == INFOSEC
    assert urls["mindzeed"] == MINDZEED
    assert urls["haendelseslog"] == INCIDENTS
    assert urls["beredskabsplan-databrud"] == INCIDENTS
    page = client_as(employee).get(reverse("infosec")).content.decode()
    for url in (INFOSEC, MINDZEED, INCIDENTS):
        assert f'href="{url}"' in page


def test_every_course_links_to_the_mindzeed_page():
    call_command("load_plan", stdout=StringIO())
    assert Course.objects.exists()
    assert set(Course.objects.values_list("url", flat=True)) == {MINDZEED}


def test_an_earlier_load_gets_the_addresses_but_staffs_own_are_kept():
    call_command("load_plan", stdout=StringIO())
    InfoLink.objects.filter(key="mindzeed").update(url="")
    InfoLink.objects.filter(key="phishing").update(url="https://intranet.example.invalid/own")
    Course.objects.filter(key="phishing").update(url="https://app.mindzeed.com/courses/phishing")
    Course.objects.filter(key="remote-work").update(url="https://elsewhere.example.invalid/")
    call_command("load_plan", stdout=StringIO())
    assert InfoLink.objects.get(key="mindzeed").url == MINDZEED
    assert InfoLink.objects.get(key="phishing").url == "https://intranet.example.invalid/own"
    assert Course.objects.get(key="phishing").url == MINDZEED
    assert Course.objects.get(key="remote-work").url == "https://elsewhere.example.invalid/"
