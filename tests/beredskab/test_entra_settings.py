"""Production refuses half an Entra configuration and a plain-http authority."""

from __future__ import annotations

from beredskab.env import production_problems
from tests.test_settings import PRODUCTION_ENV


def test_it_refuses_half_an_entra_configuration():
    env = {**PRODUCTION_ENV, "ENTRA_TENANT_ID": "t", "ENTRA_CLIENT_ID": "c"}
    assert (
        "ENTRA_TENANT_ID, ENTRA_CLIENT_ID and ENTRA_CLIENT_SECRET go together"
        in production_problems(env)
    )


def test_it_accepts_a_whole_entra_configuration_or_none():
    whole = {"ENTRA_TENANT_ID": "t", "ENTRA_CLIENT_ID": "c", "ENTRA_CLIENT_SECRET": "s"}
    assert production_problems({**PRODUCTION_ENV, **whole}) == []
    assert production_problems(PRODUCTION_ENV) == []


def test_it_refuses_an_authority_without_tls():
    env = {**PRODUCTION_ENV, "ENTRA_AUTHORITY_URL": "http://login.example.invalid/t/v2.0"}
    assert "ENTRA_AUTHORITY_URL must start with https://" in production_problems(env)
