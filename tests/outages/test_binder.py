"""The emergency binder: a tagged A4 PDF with the playbooks and Appendix 1."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from django.urls import reverse

from beredskab.plan import load_chains
from beredskab.roles import Role
from outages import binder
from outages.plan import load_appendix_1, load_power_playbook
from tests.conftest import need


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path


@pytest.fixture
def loaded(db, sbsys):
    load_chains()
    load_power_playbook()
    load_appendix_1()


def test_it_collects_what_a_person_needs_offline(loaded, make_user):
    member = make_user(Role.BEREDSKABSGRUPPE, name="Gitte Gruppe", mobile="+4521980999")
    data = binder.contents()
    assert data["playbooks"][0]["name"] == "Nedbrud på el-nettet"
    assert any(r["function"] == "Sundhedskort" for r in data["appendix"])
    people = [p for c in data["chains"] for s in c["steps"] for p in s["people"]]
    assert {"name": "Gitte Gruppe", "mobile": "+4521980999", "email": member.person.email} in people
    assert data["suppliers"][0]["phone"].startswith("+45")


def test_it_holds_only_work_contacts(loaded, make_user):
    # The binder outlives a timed-out session in the browser's offline copy (issue 24,
    # item 10): an alternative (often private) number given for outages stays out.
    make_user(
        Role.BEREDSKABSGRUPPE,
        name="Gitte Gruppe",
        mobile="+4521980999",
        reachable_during_outage=True,
        alternative_mobile="+4521980888",
    )
    data = binder.contents()
    assert "+4521980999" in json.dumps(data, default=str)
    assert "+4521980888" not in json.dumps(data, default=str)


def test_it_changes_its_digest_only_when_the_contents_change(loaded):
    from outages.models import AppendixRow

    first = binder.digest(binder.contents())
    assert binder.digest(binder.contents()) == first
    AppendixRow.objects.filter(function="Pension").update(workaround="Ny løsning")
    assert binder.digest(binder.contents()) != first


def test_it_renders_a_pdf_with_the_playbook_and_appendix_1(loaded, make_user, client_as, var_dir):
    need(shutil.which("pdftotext") is not None, "pdftotext is not installed")
    leader = make_user(Role.LEDER)
    response = client_as(leader).get(reverse("outages:binder"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = b"".join(response.streaming_content)
    assert pdf.startswith(b"%PDF")
    path = var_dir / "b.pdf"
    path.write_bytes(pdf)
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
        assert "Tagged:          yes" in info  # tagged for accessibility
        assert "595.276 x 841.89" in info  # A4
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "dørvagt" in text and "Sundhedskort" in text and "Netcompany" in text
    pages = [page for page in text.split("\f") if page.strip()]
    assert len(pages) > 1 and all("Made " in page for page in pages)  # dated on every page
    assert binder.refresh() is False  # unchanged contents: not made again


def test_it_refuses_the_binder_to_an_employee(employee, client_as):
    assert client_as(employee).get(reverse("outages:binder")).status_code == 403


def test_it_schedules_the_binder_job():
    from beredskab.celery import app
    from outages.tasks import refresh_binder

    schedule = app.conf.beat_schedule["outages-refresh-binder"]
    assert schedule["task"] == refresh_binder.name == "outages.refresh_binder"
