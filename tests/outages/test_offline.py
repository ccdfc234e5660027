"""The offline copy: the service worker at /sw.js, its allowlist, and logging out."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.urls import reverse


def test_it_serves_the_service_worker_for_the_whole_site(client, db):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    body = response.content.decode()
    for url in ("outages:playbooks", "outages:appendix", "outages:power_list", "outages:binder"):
        assert f'"{reverse(url)}"' in body
    # Pages that may hold citizens' personal data are never on the list.
    assert "/incidents/" not in body and "/contactcenter/" not in body
    assert 'includes("no-store")' in body


def test_it_clears_the_offline_copy_on_logout(employee, client_as):
    client = client_as(employee)
    response = client.post(reverse("logout"))
    assert '"cache"' in response["Clear-Site-Data"]
    assert '"storage"' in response["Clear-Site-Data"]


def test_it_registers_the_worker_from_the_offline_pages(employee, client_as, db):
    page = client_as(employee).get(reverse("outages:playbooks")).content.decode()
    assert "outages/offline.js" in page
    script = Path(settings.BASE_DIR, "static", "outages", "offline.js").read_text()
    assert 'register("/sw.js", { scope: "/" })' in script


# --- the copy follows the session (issue 24, item 10) ---


def test_it_gives_the_service_worker_the_timeouts_from_the_settings(client, db, settings):
    settings.SESSION_IDLE_MINUTES = 45
    settings.BINDER_CACHE_DAYS = 9
    body = client.get("/sw.js").content.decode()
    assert "const IDLE_MS = 45 * 60 * 1000;" in body
    assert "const BINDER_MAX_AGE_MS = 9 * 24 * 60 * 60 * 1000;" in body
    assert 'const STATE_HEADER = "X-Portal-Session";' in body


def test_it_keeps_the_binder_apart_from_the_pages_a_timeout_clears(client, db):
    body = client.get("/sw.js").content.decode()
    pages = body.split("const PAGE_PREFIXES = [", 1)[1].split("];", 1)[0]
    assert f'"{reverse("outages:playbooks")}"' in pages
    assert f'"{reverse("outages:power_list")}"' in pages
    assert reverse("outages:binder") not in pages
    assert f'const BINDER_URL = "{reverse("outages:binder")}";' in body
    # A session that ended drops the pages; only an explicit logout drops everything.
    assert "await caches.delete(PAGES);" in body
    assert "OURS.map((name) => caches.delete(name))" in body


def test_it_serves_the_service_worker_without_a_session_cookie_of_its_own(client, db):
    response = client.get("/sw.js")
    assert response["X-Portal-Session"] == "anonymous"
    assert "Set-Cookie" not in response
