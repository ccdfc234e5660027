"""Fakes of outside services that speak their real protocols (for tests and benchmarks)."""

from tests.fakes.gatewayapi_server import WEBHOOK_SECRET as WEBHOOK_SECRET_GATEWAYAPI
from tests.fakes.gatewayapi_server import FakeGatewayApi, GwMessage
from tests.fakes.twilio_server import ACCOUNT_SID, AUTH_TOKEN, FakeMessage, FakeTwilio

__all__ = [
    "ACCOUNT_SID",
    "AUTH_TOKEN",
    "FakeGatewayApi",
    "FakeMessage",
    "FakeTwilio",
    "GwMessage",
    "WEBHOOK_SECRET_GATEWAYAPI",
]
