"""The SMS provider settings: production refuses half a GatewayAPI configuration, and
an unknown provider name stops the portal from starting."""

from __future__ import annotations

import subprocess
import sys

from beredskab.env import production_problems
from tests.test_settings import PRODUCTION_ENV

SECRET = "x" * 40


def test_it_accepts_gatewayapi_as_secondary_with_its_token_and_secret():
    env = {
        **PRODUCTION_ENV,
        "SMS_SECONDARY_PROVIDER": "gatewayapi",
        "GATEWAYAPI_TOKEN": "token",
        "GATEWAYAPI_WEBHOOK_SECRET": SECRET,
    }
    assert production_problems(env) == []


def test_it_names_gatewayapis_missing_token_and_secret():
    env = {**PRODUCTION_ENV, "SMS_SECONDARY_PROVIDER": "gatewayapi"}
    assert production_problems(env) == [
        "GATEWAYAPI_TOKEN is not set (GatewayAPI is an SMS provider)",
        "GATEWAYAPI_WEBHOOK_SECRET is not set (GatewayAPI is an SMS provider)",
    ]


def test_it_refuses_a_short_webhook_secret():
    env = {
        **PRODUCTION_ENV,
        "SMS_PRIMARY_PROVIDER": "gatewayapi",
        "GATEWAYAPI_TOKEN": "token",
        "GATEWAYAPI_WEBHOOK_SECRET": "short",
    }
    assert production_problems(env) == ["GATEWAYAPI_WEBHOOK_SECRET must be at least 32 characters"]


def test_it_refuses_a_test_sender_as_a_provider_in_production():
    env = {**PRODUCTION_ENV, "SMS_SECONDARY_PROVIDER": "console"}
    assert production_problems(env) == [
        "SMS_PRIMARY_PROVIDER and SMS_SECONDARY_PROVIDER: no test senders"
    ]


def test_it_refuses_to_start_with_an_unknown_provider():
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={
            "DJANGO_SETTINGS_MODULE": "beredskab.settings",
            "DJANGO_ENV": "demo",
            "SMS_SECONDARY_PROVIDER": "carrier-pigeon",
            "PATH": "/usr/bin:/bin",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "unknown SMS provider 'carrier-pigeon'" in result.stderr
