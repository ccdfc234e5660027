"""The circuit breaker between the SMS providers.

healthy → unhealthy: SMS_HEALTH_FAILURES failures (5xx, timeout, refused connection or
account) within SMS_HEALTH_WINDOW_SECONDS; new messages then go to the next provider.
unhealthy → testing: after SMS_HEALTH_PROBE_AFTER_SECONDS one real message is sent to it
(the probe holds a lease, so only one at a time); testing → healthy after
SMS_HEALTH_RECOVERY_SUCCESSES successes in a row; testing → unhealthy on a failure.

Kept in the database (ProviderHealth) so every worker shares it, also while Redis is
down. Each switch is a timeline event of the provider's row; /healthz/full and the
banner read the same rows.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from beredskab import timeline
from beredskab.models.provider_health import HealthState, ProviderHealth
from beredskab.notify.sms import SmsError

# A probe whose worker died gives its turn back after this long.
PROBE_LEASE = timedelta(seconds=60)

timeline.register_kind(
    "sms_provider.unhealthy",
    gettext_lazy("Unhealthy (failures within the window: %(failures)s); new SMS go to %(instead)s"),
)
timeline.register_kind("sms_provider.testing", gettext_lazy("Tested again with one real message"))
timeline.register_kind(
    "sms_provider.test_failed", gettext_lazy("The test message failed; unhealthy again")
)
timeline.register_kind(
    "sms_provider.healthy", gettext_lazy("Healthy again (successes in a row: %(successes)s)")
)


def counts_as_failure(exc: SmsError) -> bool:
    """The provider's fault, not the message's (permanent) and not a rate limit."""
    return not exc.permanent and not exc.rate_limited


def states(names: list[str]) -> dict[str, ProviderHealth]:
    return {row.name: row for row in ProviderHealth.objects.filter(name__in=names)}


def _row(name: str) -> ProviderHealth:
    row, _ = ProviderHealth.objects.get_or_create(name=name)
    return ProviderHealth.objects.select_for_update().get(pk=row.pk)


def take_probe(name: str, now: datetime | None = None) -> bool:
    """Become the one message that tests an unhealthy provider, if its time has come."""
    now = now or timezone.now()
    due = now - timedelta(seconds=settings.SMS_HEALTH_PROBE_AFTER_SECONDS)
    free = Q(probe_until__isnull=True) | Q(probe_until__lt=now)
    won = (
        ProviderHealth.objects.filter(name=name)
        .filter(
            Q(state=HealthState.UNHEALTHY, unhealthy_since__lte=due) | Q(state=HealthState.TESTING)
        )
        .filter(free)
        .update(probe_until=now + PROBE_LEASE)
    )
    if not won:
        return False
    with transaction.atomic():
        row = _row(name)
        if row.state == HealthState.UNHEALTHY:
            row.state = HealthState.TESTING
            row.successes = 0
            row.save(update_fields=["state", "successes", "changed_at"])
            timeline.record(row, "sms_provider.testing", at=now)
    return True


def failure(name: str, exc: SmsError, fallback: str = "", now: datetime | None = None) -> None:
    now = now or timezone.now()
    with transaction.atomic():
        row = _row(name)
        if row.state == HealthState.TESTING:
            row.state = HealthState.UNHEALTHY
            row.unhealthy_since = now
            row.probe_until = None
            row.successes = 0
            row.save()
            timeline.record(row, "sms_provider.test_failed", at=now, data={"error": exc.code})
            return
        if row.state == HealthState.UNHEALTHY:
            if row.successes:  # successes in a row only
                row.successes = 0
                row.save(update_fields=["successes", "changed_at"])
            return
        window = now.timestamp() - settings.SMS_HEALTH_WINDOW_SECONDS
        recent = [t for t in row.recent_failures if t > window] + [now.timestamp()]
        row.recent_failures = recent[-settings.SMS_HEALTH_FAILURES :]
        if len(recent) >= settings.SMS_HEALTH_FAILURES:
            row.state = HealthState.UNHEALTHY
            row.unhealthy_since = now
            row.successes = 0
            row.save()
            timeline.record(
                row,
                "sms_provider.unhealthy",
                at=now,
                data={"failures": len(recent), "error": exc.code, "instead": fallback or "-"},
            )
            return
        row.save(update_fields=["recent_failures", "changed_at"])


def success(name: str, now: datetime | None = None) -> None:
    """A message the provider took while it was being tested (or, with no other
    provider to turn to, while it was unhealthy)."""
    now = now or timezone.now()
    with transaction.atomic():
        row = _row(name)
        if row.state == HealthState.HEALTHY:
            return
        row.successes += 1
        row.probe_until = None
        if row.successes >= settings.SMS_HEALTH_RECOVERY_SUCCESSES:
            row.state = HealthState.HEALTHY
            row.recent_failures = []
            row.unhealthy_since = None
            row.save()
            timeline.record(row, "sms_provider.healthy", at=now, data={"successes": row.successes})
            return
        row.save(update_fields=["successes", "probe_until", "changed_at"])


def unhealthy(names: list[str]) -> list[ProviderHealth]:
    return [
        row
        for row in states(names).values()
        if row.state in (HealthState.UNHEALTHY, HealthState.TESTING)
    ]


def failures(names: list[str]) -> list[str]:
    """What /healthz/full reports as failing (no personal data)."""
    return [
        f"sms provider {row.name}: {row.state} since {row.unhealthy_since:%Y-%m-%dT%H:%M:%SZ}"
        for row in unhealthy(names)
        if row.unhealthy_since is not None
    ]


def banner_text(names: list[str]) -> str:
    """The banner's sentence, or "" while every provider is healthy."""
    from beredskab.notify.providers import display

    down = {row.name for row in unhealthy(names)}
    if not down:
        return ""
    if len(down) == len(names):
        return gettext(
            "No SMS provider is answering (%(names)s): SMS wait and are tried again, and may "
            "be late. Reach people by phone meanwhile."
        ) % {"names": ", ".join(display(name) for name in names)}
    return gettext("SMS go out through %(working)s: %(down)s failed and is being tested again.") % {
        "working": ", ".join(display(name) for name in names if name not in down),
        "down": ", ".join(display(name) for name in names if name in down),
    }
