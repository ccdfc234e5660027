"""/healthz for the load balancer and docker-compose: the database and the broker answer.

No login (the prober has none), no personal data, and a bounded answer time: a dead
broker must turn this into a quick 503, not a hanging probe that takes the web tier
out of rotation for the wrong reason.
"""

from __future__ import annotations

import threading

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from beredskab.celery import app as celery_app

# Seconds one probe of the broker may take, connecting included.
BROKER_TIMEOUT = 2


def check_database() -> str | None:
    """None when the database answers, else the name of what went wrong."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        return exc.__class__.__name__
    return None


def check_broker() -> str | None:
    """None when the Celery broker accepts a connection, else what went wrong.

    Bounded twice: the connection's own timeouts (BROKER_TIMEOUT_SECONDS, also when
    Redis accepts the connection and then never answers, as a SIGSTOPped one does) and
    a thread this request waits for at most BROKER_TIMEOUT seconds, whatever happens."""
    outcome: list[str | None] = []

    def probe() -> None:
        try:
            with celery_app.connection_for_write(connect_timeout=1) as conn:
                # max_retries=0: one attempt; kombu's retry loop would otherwise sleep.
                conn.ensure_connection(max_retries=0, timeout=BROKER_TIMEOUT)
                # Redis: one command answered, so a frozen server (which still accepts
                # connections) counts as down. The demo's filesystem transport has none.
                client = getattr(conn.default_channel, "client", None)
                if client is not None:
                    client.ping()
        except Exception as exc:  # noqa: BLE001
            outcome.append(exc.__class__.__name__)
        else:
            outcome.append(None)

    thread = threading.Thread(target=probe, name="healthz-broker", daemon=True)
    thread.start()
    thread.join(BROKER_TIMEOUT)
    return outcome[0] if outcome else "TimeoutError"


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": check_database(), "broker": check_broker()}
    failing = [f"{part}: {error}" for part, error in checks.items() if error]
    return JsonResponse(
        {
            "ok": not failing,
            "checks": {part: error or "ok" for part, error in checks.items()},
            "failing": failing,
        },
        status=503 if failing else 200,
    )


@login_not_required
@never_cache
@require_GET
def healthz_full(request: HttpRequest) -> JsonResponse:
    """Also the machinery: each queue's workers and beat checked in within 2 minutes,
    no escalation message has waited 2 minutes, and bulk sending is moving."""
    from beredskab import machinery

    checks = {"database": check_database(), "broker": check_broker()}
    failing = [f"{part}: {error}" for part, error in checks.items() if error]
    from beredskab.notify import providers
    from beredskab.notify.providers import health

    body: dict = {}
    sms_providers: dict[str, str] = {}
    if checks["database"] is None:
        failing += machinery.failures()
        body["bulk"] = machinery.bulk_progress()
        # Each SMS provider's state (healthy, unhealthy, testing): a switch shows here.
        names = providers.allowed("escalation") + providers.allowed("bulk")
        names = list(dict.fromkeys(names))
        states = health.states(names)
        sms_providers = {
            name: states[name].state if name in states else "healthy" for name in names
        }
        failing += health.failures(names)
    body.update(ok=not failing, failing=failing, sms_providers=sms_providers)
    return JsonResponse(body, status=503 if failing else 200)
