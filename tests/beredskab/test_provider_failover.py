"""Failover between the SMS providers with both fake servers and both real clients:
Twilio fails, the next messages arrive at GatewayAPI each exactly once, the banner and
/healthz/full show the switch, and traffic returns to Twilio when it recovers."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from beredskab.models import HealthState, OutboxMessage, ProviderHealth, Status, TimelineEvent
from beredskab.notify import delivery, outbox, sweeper
from beredskab.roles import Role
from tests.beredskab.provider_support import closed_port_url, sms, test_due


def state(name: str) -> str:
    row = ProviderHealth.objects.filter(name=name).first()
    return row.state if row else HealthState.HEALTHY


def test_it_sends_through_the_primary_while_it_is_healthy(db, two_providers):
    twilio, gateway = two_providers
    pk = sms("a")
    msg = OutboxMessage.objects.get(pk=pk)
    assert (msg.status, msg.provider) == (Status.ACCEPTED, "twilio")
    assert len(twilio.messages) == 1 and gateway.messages == []


def test_it_switches_to_the_secondary_and_back(db, two_providers, make_user, client, settings):
    twilio, gateway = two_providers
    twilio.server_error_next(1000)  # Twilio answers 500 from now on
    first = [sms(f"fail-{n}", to=f"+452000000{n}") for n in range(3)]
    # Three 500s: unknown outcomes (a 500 may come after the message was made), and
    # the provider is unhealthy: the next messages go to GatewayAPI.
    assert {OutboxMessage.objects.get(pk=pk).status for pk in first} == {Status.UNKNOWN}
    assert state("twilio") == HealthState.UNHEALTHY
    after = [sms(f"next-{n}", to=f"+452100000{n}") for n in range(5)]
    rows = OutboxMessage.objects.filter(pk__in=after)
    assert {(r.status, r.provider) for r in rows} == {(Status.ACCEPTED, "gatewayapi")}
    assert twilio.messages == []
    assert sorted(m.to for m in gateway.messages) == [f"+452100000{n}" for n in range(5)]
    assert gateway.duplicates() == {}
    assert {r.provider_id for r in rows} == {f"GW{m.id}" for m in gateway.messages}

    # The unknown ones are reconciled at Twilio first (not there), then sent once.
    sweeper.sweep(now=timezone.now() + outbox.RECONCILE_AFTER + timedelta(seconds=1))
    assert {OutboxMessage.objects.get(pk=pk).provider for pk in first} == {"gatewayapi"}
    assert len(gateway.messages) == 8 and gateway.duplicates() == {}
    assert twilio.requests["GET 200"] >= 3 and twilio.messages == []

    # The banner and /healthz/full show the switch.
    client.force_login(make_user(Role.MEDARBEJDER, Role.LEDER))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("home")).content.decode()
    assert "SMS go out through GatewayAPI: Twilio failed" in page
    health = client.get(reverse("healthz_full")).json()
    assert health["sms_providers"] == {"twilio": "unhealthy", "gatewayapi": "healthy"}
    assert any(line.startswith("sms provider twilio: unhealthy") for line in health["failing"])

    # Twilio recovers; after the probe time real messages test it, one at a time.
    twilio.server_error_next(0)
    test_due("twilio")
    back = [sms(f"back-{n}", to=f"+452200000{n}") for n in range(5)]
    assert [OutboxMessage.objects.get(pk=pk).provider for pk in back] == ["twilio"] * 5
    assert state("twilio") == HealthState.HEALTHY
    assert len(twilio.messages) == 5 and len(gateway.messages) == 8
    assert "SMS go out through" not in client.get(reverse("home")).content.decode()

    kinds = list(
        TimelineEvent.objects.filter(subject_type="beredskab.providerhealth")
        .order_by("seq")
        .values_list("kind", flat=True)
    )
    assert kinds == ["sms_provider.unhealthy", "sms_provider.testing", "sms_provider.healthy"]


def test_it_does_not_count_failures_outside_the_window(db, two_providers, settings):
    twilio, gateway = two_providers
    twilio.server_error_next(1000)
    sms("a")
    sms("b")
    row = ProviderHealth.objects.get(name="twilio")
    row.recent_failures = [t - 120 for t in row.recent_failures]  # two minutes ago
    row.save()
    sms("c")
    assert state("twilio") == HealthState.HEALTHY
    assert len(ProviderHealth.objects.get(name="twilio").recent_failures) == 1


def test_a_failed_test_message_makes_it_unhealthy_again(db, two_providers):
    twilio, gateway = two_providers
    twilio.server_error_next(1000)
    for n in range(3):
        sms(f"a{n}")
    test_due("twilio")
    probe = sms("probe")
    assert OutboxMessage.objects.get(pk=probe).provider == "twilio"  # the test message
    assert state("twilio") == HealthState.UNHEALTHY
    assert OutboxMessage.objects.get(pk=sms("next")).provider == "gatewayapi"


def test_it_sends_only_one_test_message_at_a_time(db, two_providers):
    from beredskab.notify.providers import health

    twilio, gateway = two_providers
    twilio.server_error_next(1000)
    for n in range(3):
        sms(f"a{n}")
    test_due("twilio")
    assert health.take_probe("twilio") is True
    assert health.take_probe("twilio") is False  # the first one holds the lease
    assert OutboxMessage.objects.get(pk=sms("b")).provider == "gatewayapi"


def test_it_keeps_citizens_traffic_on_the_eu_provider(db, two_providers, settings):
    twilio, gateway = two_providers
    settings.SMS_BULK_PROVIDERS = ["gatewayapi"]
    bulk = sms("campaign-1", to="+4520000077", priority="bulk")
    escalation = sms("alarm-1", to="+4520000078")
    assert OutboxMessage.objects.get(pk=bulk).provider == "gatewayapi"
    assert OutboxMessage.objects.get(pk=escalation).provider == "twilio"
    assert [m.to for m in gateway.messages] == ["+4520000077"]
    assert [m.to for m in twilio.messages] == ["+4520000078"]


def test_citizens_traffic_never_falls_back_to_a_provider_it_may_not_use(
    db, two_providers, settings
):
    twilio, gateway = two_providers
    settings.SMS_BULK_PROVIDERS = ["gatewayapi"]
    gateway.server_error_next(1000)
    for n in range(4):
        sms(f"c{n}", to=f"+452000001{n}", priority="bulk")
    assert twilio.messages == []  # never to the US provider, even with GatewayAPI down


def test_it_holds_messages_when_both_providers_are_down(
    db, two_providers, make_user, client, settings
):
    from tests.workers import publishing_to

    twilio, gateway = two_providers
    twilio.server_error_next(1000)
    gateway.server_error_next(1000)
    for n in range(3):
        sms(f"t{n}")  # Twilio: unhealthy
    for n in range(3):
        sms(f"g{n}")  # GatewayAPI: unhealthy
    with publishing_to("memory://"):  # the wait is re-published, not run inline
        pk = sms("waits")
        assert delivery.deliver(pk) == "rate-limited"
    msg = OutboxMessage.objects.get(pk=pk)
    # Not sent anywhere, not failed, not an attempt used up: it waits.
    assert (msg.status, msg.attempts, msg.provider) == (Status.PENDING, 0, "")
    assert msg.not_before is not None
    client.force_login(make_user(Role.MEDARBEJDER, Role.SYSTEMKOORDINATOR))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("home")).content.decode()
    assert "No SMS provider is answering (Twilio, GatewayAPI)" in page
    assert client.get(reverse("healthz_full")).status_code == 503


def test_an_unknown_escalation_goes_to_the_secondary_after_five_minutes(
    db, two_providers, settings
):
    twilio, gateway = two_providers
    pk = sms("a")
    # The send's outcome is unknown and Twilio cannot be asked.
    OutboxMessage.objects.filter(pk=pk).update(status=Status.UNKNOWN, provider_id="")
    settings.TWILIO_API_BASE_URL = closed_port_url()  # Twilio cannot be reached
    started = OutboxMessage.objects.get(pk=pk).send_started_at
    sweeper.sweep(now=started + timedelta(minutes=1))
    assert OutboxMessage.objects.get(pk=pk).status == Status.UNKNOWN  # reconcile first
    sweeper.sweep(now=started + timedelta(minutes=5, seconds=1))
    msg = OutboxMessage.objects.get(pk=pk)
    assert (msg.status, msg.provider, msg.maybe_duplicate) == (
        Status.ACCEPTED,
        "gatewayapi",
        True,
    )
    assert len(gateway.messages) == 1


def test_an_unknown_bulk_message_waits_for_reconciliation(db, two_providers, settings):
    twilio, gateway = two_providers
    pk = sms("a", priority="bulk")
    OutboxMessage.objects.filter(pk=pk).update(status=Status.UNKNOWN, provider_id="")
    settings.TWILIO_API_BASE_URL = closed_port_url()  # Twilio cannot be reached
    started = OutboxMessage.objects.get(pk=pk).send_started_at
    sweeper.sweep(now=started + timedelta(hours=1))
    msg = OutboxMessage.objects.get(pk=pk)
    assert (msg.status, msg.maybe_duplicate) == (Status.UNKNOWN, False)
    assert gateway.messages == []


def test_an_unknown_send_found_at_the_primary_is_not_sent_again(db, two_providers):
    twilio, gateway = two_providers
    pk = sms("a", to="+4520000055", body="Alarm")
    sid = twilio.messages[0].sid
    OutboxMessage.objects.filter(pk=pk).update(status=Status.UNKNOWN, provider_id="")
    twilio.server_error_next(1000)  # sends fail, lookups still answer
    started = OutboxMessage.objects.get(pk=pk).send_started_at
    sweeper.sweep(now=started + timedelta(minutes=6))
    msg = OutboxMessage.objects.get(pk=pk)
    assert (msg.status, msg.provider_id, msg.maybe_duplicate) == (Status.ACCEPTED, sid, False)
    assert gateway.messages == [] and len(twilio.messages) == 1


def test_a_refused_twilio_account_counts_against_its_health_not_the_message(
    db, two_providers, settings
):
    from tests.workers import publishing_to

    twilio, gateway = two_providers
    settings.TWILIO_AUTH_TOKEN = "revoked"  # Twilio answers 401 / 20003
    with publishing_to("memory://"):  # retries are published, not run inline
        first = [sms(f"a{n}") for n in range(3)]
        assert [delivery.deliver(pk) for pk in first] == ["retry"] * 3
        last = sms("b")
        assert delivery.deliver(last) == "accepted"
    # Not failed for good (the message is fine), tried again later.
    assert {OutboxMessage.objects.get(pk=pk).status for pk in first} == {Status.PENDING}
    assert twilio.requests["POST 401"] == 3
    assert state("twilio") == HealthState.UNHEALTHY
    assert OutboxMessage.objects.get(pk=last).provider == "gatewayapi"


def test_a_message_that_failed_at_a_provider_does_not_test_it_again(db, two_providers):
    twilio, gateway = two_providers
    twilio.server_error_next(1000)
    first = [sms(f"a{n}") for n in range(3)]  # unknown at Twilio; Twilio unhealthy
    test_due("twilio")
    # Reconciled (not at Twilio) and sent again: elsewhere, though Twilio's test is due.
    sweeper.sweep(now=timezone.now() + outbox.RECONCILE_AFTER + timedelta(seconds=1))
    assert {OutboxMessage.objects.get(pk=pk).provider for pk in first} == {"gatewayapi"}
    # A fresh message is the test.
    assert OutboxMessage.objects.get(pk=sms("fresh")).provider == "twilio"
