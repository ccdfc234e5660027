"""`make run` (issue 21): links follow ADDR, and the console shows what a person wants
to see: no kombu hostname warning, no Celery root warning, e-mails as one record."""

from __future__ import annotations

import logging
import subprocess
import sys

from django.core import mail
from django.test import override_settings

from beredskab.management.commands.run_demo import base_url_for


def test_the_demos_base_url_follows_addr():
    assert base_url_for("127.0.0.1:8101") == "http://127.0.0.1:8101"
    assert base_url_for("0.0.0.0:8101") == "http://127.0.0.1:8101"
    assert base_url_for("8102") == "http://127.0.0.1:8102"
    assert base_url_for("localhost:9000") == "http://localhost:9000"


def test_run_demo_hands_base_url_to_web_worker_and_beat(monkeypatch):
    from beredskab.management.commands import run_demo

    started: list[dict] = []

    class FakePopen:
        def __init__(self, cmd, env, start_new_session):
            started.append(env)
            self.returncode = 0
            self.pid = 0

        def poll(self):
            return 0  # "stopped": the loop ends at once

        def terminate(self):
            pass

        def wait(self, timeout=None):
            return 0

    monkeypatch.setattr(run_demo.subprocess, "Popen", FakePopen)
    monkeypatch.setattr(run_demo.signal, "signal", lambda *a: None)
    command = run_demo.Command()
    try:
        command.handle(addr="127.0.0.1:8101")
    except run_demo.CommandError:
        pass  # the fake child "stopped"
    assert started
    assert all(env["BASE_URL"] == "http://127.0.0.1:8101" for env in started)
    assert all(env["QUIET_CONSOLE"] == "1" for env in started)


def test_the_demo_broker_names_a_host_so_kombu_does_not_warn(caplog, settings):
    from kombu import Connection

    with caplog.at_level(logging.WARNING, logger="kombu.connection"):
        Connection(settings.CELERY_BROKER_URL)._info()
    assert "No hostname was supplied" not in caplog.text


def test_celerys_root_warning_is_silenced_in_the_demo_only():
    code = (
        "import warnings, beredskab.celery\n"
        "from celery.exceptions import SecurityWarning\n"
        "with warnings.catch_warnings(record=True) as caught:\n"
        "    warnings.warn(SecurityWarning('root'))\n"
        "print(len(caught))\n"
    )
    for env, expected in (("demo", "0"), ("production", "1")):
        result = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            env={"DJANGO_ENV": env, "PATH": "/usr/bin:/bin"},
        )
        assert result.stdout.strip().endswith(expected), (env, result.stdout, result.stderr)


@override_settings(EMAIL_BACKEND="beredskab.notify.email_log.LogEmailBackend")
def test_a_demo_email_is_one_log_record_with_its_text(caplog):
    with caplog.at_level(logging.INFO, logger="beredskab.email"):
        mail.send_mail("Nulstil adgangskode", "Åbn linket: http://x/", "a@x.dk", ["b@x.dk"])
    records = [r for r in caplog.records if r.name == "beredskab.email"]
    assert len(records) == 1
    assert records[0].levelno == logging.INFO
    text = records[0].getMessage()
    assert "b@x.dk" in text and "Nulstil adgangskode" in text and "Åbn linket" in text
    assert "Content-Type" not in text


def test_the_demo_worker_does_not_log_every_periodic_job(monkeypatch):
    from beredskab import celery as celery_app

    monkeypatch.setenv("QUIET_CONSOLE", "1")  # as run_demo sets it

    before = {name: logging.getLogger(name).level for name in celery_app.DEMO_QUIET_LOGGERS}
    try:
        celery_app._quiet_demo_console()
        for name in celery_app.DEMO_QUIET_LOGGERS:
            assert logging.getLogger(name).getEffectiveLevel() == logging.WARNING
        # Our own lines (an SMS or an e-mail in the demo) still show at INFO.
        assert logging.getLogger("beredskab.email").getEffectiveLevel() <= logging.INFO
    finally:
        for name, level in before.items():
            logging.getLogger(name).setLevel(level)
