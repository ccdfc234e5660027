"""A PostgreSQL outage mid-campaign (a cluster of the test's own, stopped and started):
sending resumes within 30 s of its return, nothing is lost or sent twice, and the
campaign page and Twilio's callback answer 503 with Retry-After meanwhile, not 500."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from tests.conftest import need
from tests.workers import BASE_DIR

pytestmark = pytest.mark.services


def test_a_campaign_resumes_within_30_s_of_the_database_returning():
    need(shutil.which("redis-server") is not None, "redis-server is not installed")
    need(shutil.which("initdb") is not None or shutil.which("pg_ctl") is not None, "no initdb")
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin",
        "HOME": "/tmp",
        "LANG": "C.UTF-8",
    }
    done = subprocess.run(
        [sys.executable, "-m", "tests.faults.scenarios", "db_outage"]
        + ["--messages", "300", "--outage", "8", "--rate", "20"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["campaign_page"] == 503, result
    assert result["campaign_page_retry_after"] == "10"
    assert result["callback"] == 503, result
    assert result["callback_retry_after"] == "10"
    assert result["resume_s"] < 30, result
    assert result["lost"] == 0, result
    assert result["duplicates"] == 0, result
