"""scim2-tester (written by others) against the portal's /scim/v2/, in process through
scim2-client's WSGI engine: discovery, CRUD and PATCH end with no ERROR or CRITICAL."""

from __future__ import annotations

import pytest
from django.core.wsgi import get_wsgi_application
from scim2_client.engines.wsgi import WSGISCIMClient
from scim2_tester import Status, check_server

from tests.beredskab.scim_support import make_token


@pytest.mark.django_db(transaction=True)
def test_it_passes_scim2_tester_without_error_or_critical(settings):
    # The tester deletes and deactivates dozens of users in one go: exactly what the
    # mass-deactivation hold stops (tested in test_scim_hold.py), so it is lifted here.
    settings.SCIM_DEACTIVATION_HOLD_MIN = 10_000
    token = make_token()
    client = WSGISCIMClient(
        get_wsgi_application(),
        base_url="http://localhost/scim/v2",
        headers={"Authorization": f"Bearer {token}"},
    )
    results = check_server(client)
    bad = [r for r in results if r.status in (Status.ERROR, Status.CRITICAL)]
    assert results and not bad, "\n".join(
        f"{r.status.name} {r.title} {r.resource_type}: {r.reason}" for r in bad
    )
    assert sum(r.status == Status.SUCCESS for r in results) > 20
