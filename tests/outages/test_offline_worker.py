"""The service worker's offline copy follows the session (issue 24, item 10), run for
real: the rendered /sw.js in Node with an in-memory CacheStorage, a fake network and a
fake clock (tests/outages/sw_harness.mjs). No browser needed; skipped without Node."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

HARNESS = Path(__file__).with_name("sw_harness.mjs")
OK = {"status": 200}


@pytest.fixture(scope="module")
def run(django_db_setup, django_db_blocker):
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (the service worker runs in Node here)")
    from django.test import Client

    with django_db_blocker.unblock():
        script = Client().get("/sw.js").content.decode()
    urls = {
        "page": reverse("outages:playbooks"),
        "binder": reverse("outages:binder"),
        "logout": reverse("logout"),
        "home": reverse("home"),
    }
    return script, urls, node


@pytest.fixture(scope="module")
def outcome(run, tmp_path_factory) -> dict:
    script, urls, node = run
    path = tmp_path_factory.mktemp("sw") / "sw.js"
    path.write_text(script)
    result = subprocess.run(
        [node, str(HARNESS), str(path), json.dumps(urls)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def served(response: dict) -> bool:
    return response.get("status") == 200


def test_it_keeps_the_pages_and_the_binder_of_a_live_session(outcome):
    assert served(outcome["online_page"])
    assert outcome["page_cached"] and outcome["binder_cached"]
    assert outcome["other_page_not_cached"]
    assert served(outcome["offline_page_in_session"])
    assert served(outcome["offline_binder_in_session"])


def test_it_drops_the_pages_but_keeps_the_binder_when_the_server_says_the_session_ended(
    outcome,
):
    assert outcome["page_cached_after_timeout"] is False
    assert outcome["binder_cached_after_timeout"] is True
    assert outcome["offline_page_after_timeout"] == {"error": True}
    assert served(outcome["offline_binder_after_timeout"])


def test_it_ends_the_session_offline_by_its_own_clock_after_the_idle_timeout(outcome):
    assert served(outcome["offline_page_idle_119"])
    assert outcome["offline_page_idle_121"] == {"error": True}
    assert outcome["page_cached_idle_121"] is False
    assert served(outcome["offline_binder_idle_121"])


def test_it_ends_the_session_offline_at_its_absolute_end(outcome):
    assert outcome["offline_page_after_absolute_end"] == {"error": True}


def test_it_expires_the_binder_after_the_days_without_a_refresh(outcome):
    assert served(outcome["offline_binder_day_29"])
    assert outcome["offline_binder_day_31"] == {"error": True}
    assert outcome["binder_cached_day_31"] is False


def test_it_refreshes_the_binder_while_the_portal_is_used(outcome):
    assert outcome["binder_refetched_after_a_day"] is True
    assert served(outcome["offline_binder_29_days_after_refresh"])


def test_it_forgets_everything_on_an_explicit_logout(outcome):
    assert outcome["page_cached_after_logout"] is False
    assert outcome["binder_cached_after_logout"] is False


def test_it_keeps_no_page_answered_without_a_session(outcome):
    assert outcome["page_cached_without_session"] is False
