"""Acknowledgement tokens stay out of logs and stored message bodies, and the ack page
is never cached (issue 24, item 12)."""

from __future__ import annotations

import io
import logging
import runpy
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import reverse
from gunicorn.config import Config

from beredskab.escalation import engine
from beredskab.logmask import GunicornLogger, MaskAckTokens, mask_ack_tokens
from beredskab.models import (
    EscalationChain,
    EscalationStep,
    EventKind,
    OutboxMessage,
    StepStatus,
)
from beredskab.notify.sms import LocmemBackend
from beredskab.roles import Role

TOKEN = "AbC_def-123ghiJKLmnoPq"  # the shape of secrets.token_urlsafe(16)


@pytest.fixture(autouse=True)
def clean_sms():
    LocmemBackend.sent.clear()
    yield
    LocmemBackend.sent.clear()


# --- the masking function ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (f"/a/{TOKEN}/", "/a/…/"),
        (f"GET /a/{TOKEN}/ HTTP/1.1", "GET /a/…/ HTTP/1.1"),
        (f"https://beredskab.example/a/{TOKEN}/?x=1", "https://beredskab.example/a/…/?x=1"),
        (f"Kvittér: https://b.example/a/{TOKEN}", "Kvittér: https://b.example/a/…"),
        (f"Gone: /a/{TOKEN}/", "Gone: /a/…/"),
        (f"/a/{TOKEN[:10]}%2F/", "/a/…/"),
        ("/admin/a/", "/admin/a/"),  # nothing that is not a token
        ("/hændelser/42/", "/hændelser/42/"),
        ("", ""),
    ],
)
def test_it_masks_ack_tokens(text, masked):
    assert mask_ack_tokens(text) == masked


def test_it_masks_the_request_line_path_and_referer_in_gunicorn_access_log():
    logger = GunicornLogger(Config())
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/a/{TOKEN}/",
        "PATH_INFO": f"/a/{TOKEN}/",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.1",
        "HTTP_REFERER": f"https://beredskab.example/a/{TOKEN}/",
    }
    resp = SimpleNamespace(status="200 OK", sent=512, headers=[])
    req = SimpleNamespace(headers=[("REFERER", f"https://beredskab.example/a/{TOKEN}/")])
    atoms = logger.atoms(resp, req, environ, timedelta(milliseconds=3))
    line = " ".join(str(v) for v in atoms.values())
    assert TOKEN not in line
    assert atoms["r"] == "GET /a/…/ HTTP/1.1"
    assert atoms["U"] == "/a/…/"
    assert atoms["f"] == "https://beredskab.example/a/…/"


def test_it_makes_gunicorn_use_the_masking_logger():
    conf = runpy.run_path(str(Path(settings.BASE_DIR) / "gunicorn.conf.py"))
    assert conf["logger_class"] == "beredskab.logmask.GunicornLogger"


def test_it_masks_tokens_in_djangos_own_request_log():
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "%s: %s", ("Gone", f"/a/{TOKEN}/"), None
    )
    assert MaskAckTokens().filter(record)
    assert TOKEN not in record.getMessage()
    handler = settings.LOGGING["handlers"]["console"]
    assert "mask_ack_tokens" in handler["filters"]
    # Django's loggers have no handlers of their own; the root's console handler masks.
    assert not logging.getLogger("django").handlers
    assert not logging.getLogger("django.server").handlers
    (console,) = [h for h in logging.getLogger().handlers if h.get_name() == "console"]
    stream = io.StringIO()
    # Swapped by hand: setStream() would flush the old stream, which pytest may have closed.
    old, console.stream = console.stream, stream
    try:
        logging.getLogger("django.request").warning("Gone: %s", f"/a/{TOKEN}/")
    finally:
        console.stream = old
    assert "Gone: /a/…/" in stream.getvalue()
    assert TOKEN not in stream.getvalue()


# --- stored bodies and the ack page -----------------------------------------------


@pytest.fixture
def run(db, department, make_user, django_capture_on_commit_callbacks, settings):
    settings.OUTBOX_REDACT_ACK_LINKS = True
    reporter = make_user(Role.MEDARBEJDER, username="reporter").person
    boss = make_user(Role.MEDARBEJDER, Role.LEDER, username="boss").person
    department.leaders.add(boss)
    make_user(Role.SYSTEMKOORDINATOR, username="koordinator")
    chain = EscalationChain.objects.create(name="Brud", event_kind=EventKind.BREACH)
    step = EscalationStep.objects.create(
        chain=chain, position=1, name="Leder", notify_nearest_leader=True, ack_timeout_minutes=15
    )
    step.notify_roles.set(Group.objects.filter(name=Role.SYSTEMKOORDINATOR))
    with django_capture_on_commit_callbacks(execute=True):
        return engine.start_run(chain, title="Brud", summary="Phishing", reporter=reporter)


def sent_token() -> str:
    body = LocmemBackend.sent[0]["body"]
    return body.rsplit("/a/", 1)[1].strip("/")


def test_it_masks_the_token_in_the_outbox_once_sent_and_the_link_still_works(
    run, client, django_capture_on_commit_callbacks
):
    token = sent_token()
    rows = OutboxMessage.objects.filter(group_key=run.group_key)
    assert rows.filter(channel="sms").count() >= 1 and rows.filter(channel="email").count() >= 1
    for row in rows:
        assert row.status != "pending"
        assert token not in row.body
        assert "/a/…/" in row.body

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("escalation:ack", args=[token]))
    assert response.status_code == 200
    assert run.steps.get(position=1).status == StepStatus.ACKNOWLEDGED


def test_it_masks_a_stored_body_only_when_the_setting_says_so(run, settings):
    row = OutboxMessage.objects.filter(group_key=run.group_key, channel="sms").first()
    OutboxMessage.objects.filter(pk=row.pk).update(body=f"Kvittér: /a/{TOKEN}/")
    from beredskab.notify import outbox

    assert TOKEN in OutboxMessage.objects.get(pk=row.pk).body
    assert outbox.sent_body(row.pk) == {"body": "Kvittér: /a/…/"}
    settings.OUTBOX_REDACT_ACK_LINKS = False
    assert outbox.sent_body(row.pk) == {}


def test_it_masks_the_token_of_a_cancelled_message(run):
    from beredskab.notify import outbox

    row = OutboxMessage.objects.create(
        channel="sms",
        recipient="+4521980001",
        body=f"Kvittér: https://b.example/a/{TOKEN}/",
        idempotency_key="test:cancelled",
        group_key=run.group_key,
    )
    assert outbox.cancel(OutboxMessage.objects.filter(pk=row.pk)) == 1
    row.refresh_from_db()
    assert row.status == "cancelled"
    assert row.body == "Kvittér: https://b.example/a/…/"


def test_it_answers_the_ack_page_with_no_store(run, client):
    token = sent_token()
    response = client.get(reverse("escalation:ack", args=[token]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"
    for answer in (
        client.get(reverse("escalation:ack", args=["x" * 22])),
        client.post(reverse("escalation:ack", args=["x" * 22])),
    ):
        assert answer.status_code == 410
        assert "no-store" in answer["Cache-Control"]
