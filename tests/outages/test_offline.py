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
