"""Broadcasts can leave out roles; the plan's "go home" templates leave out the
beredskabsgruppe, who stay (issue 21). Delivery and timeline read in Danish."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from beredskab.models import Broadcast, MessageTemplate, OutboxMessage
from beredskab.notify.sms import LocmemBackend
from beredskab.roles import Role
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clean_sms():
    LocmemBackend.sent.clear()
    yield
    LocmemBackend.sent.clear()


@pytest.fixture
def staff(department, make_user):
    return {
        "worker": make_user(Role.MEDARBEJDER, username="worker").person,
        "stays": make_user(Role.MEDARBEJDER, Role.BEREDSKABSGRUPPE, username="stays").person,
    }


def test_a_broadcast_leaves_out_the_roles_chosen(
    staff, department, make_user, client_as, django_capture_on_commit_callbacks
):
    sender = make_user(Role.KONTAKTCENTER, username="sender", department=department)
    client = client_as(sender)
    data = {
        "departments": [department.pk],
        "include_subunits": "on",
        "by_sms": "on",
        "excluded_roles": [Role.BEREDSKABSGRUPPE],
        "subject": "Strømmen er gået",
        "body": "Gå hjem",
        "nonce": "n-ex",
    }
    preview = client.post(reverse("broadcast:new"), {**data, "action": "preview"})
    page = preview.content.decode()
    assert "Beredskabsgruppe" in page
    assert 'name="excluded_roles" value="beredskabsgruppe"' in page  # kept to the send
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("broadcast:new"), {**data, "action": "send", "password": PASSWORD})
    broadcast = Broadcast.objects.get()
    assert broadcast.excluded_roles == [Role.BEREDSKABSGRUPPE]
    sent_to = {m["to"] for m in LocmemBackend.sent}
    assert str(staff["worker"].mobile) in sent_to
    assert str(staff["stays"].mobile) not in sent_to
    detail = client.get(reverse("broadcast:detail", args=[broadcast.pk])).content.decode()
    # The timeline line and the delivery counts read in Danish, not as codes.
    assert "Broadcast: sent" not in detail
    assert "Beredskabsgruppe" in detail
    assert "delivered:" not in detail and "queued:" not in detail
    statuses = set(OutboxMessage.objects.values_list("status", flat=True))
    assert statuses


def test_the_plans_go_home_templates_leave_out_the_beredskabsgruppe(staff, make_user, client_as):
    call_command("load_plan", stdout=StringIO())
    template = MessageTemplate.objects.get(key="el-nedbrud-gaa-hjem")
    assert template.excluded_roles == [Role.BEREDSKABSGRUPPE]
    sender = make_user(Role.KONTAKTCENTER, username="sender2")
    page = client_as(sender).get(reverse("broadcast:new") + "?template=el-nedbrud-gaa-hjem")
    box = re.search(r'<input[^>]*value="beredskabsgruppe"[^>]*>', page.content.decode())
    assert box is not None and "checked" in box.group(0)
    other = re.search(r'<input[^>]*value="leder"[^>]*>', page.content.decode())
    assert other is not None and "checked" not in other.group(0)


def test_an_unknown_role_is_refused_at_the_field(department, make_user, client_as):
    sender = make_user(Role.KONTAKTCENTER, username="sender3")
    response = client_as(sender).post(
        reverse("broadcast:new"),
        {
            "departments": [department.pk],
            "by_sms": "on",
            "excluded_roles": ["not-a-role"],
            "subject": "x",
            "body": "y",
            "nonce": "n-bad",
            "action": "preview",
        },
    )
    assert response.status_code == 400
    assert not Broadcast.objects.exists()
