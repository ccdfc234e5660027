"""Settings for the SMS providers: which provider is primary, which is the secondary,
which traffic may use each, GatewayAPI's credentials, and the health (circuit breaker)
thresholds that move new messages to the secondary.

Part of beredskab/settings.py (star-imported after the SMS block); kept apart because it
is one idea and the settings file is past 400 lines. Limits have safe defaults.
"""

from __future__ import annotations

from beredskab.env import ConfigError, env_float, env_int, env_list, env_str

# The providers this portal knows. "twilio", "locmem" and "console" are the SMS_BACKEND
# senders (the real one, the unit tests' and the demo's); "gatewayapi" is GatewayAPI,
# an EU (Danish) processor reached over its REST API.
SMS_PROVIDER_NAMES = ("twilio", "locmem", "console", "gatewayapi")

# Empty: SMS_BACKEND (today's sender) is the primary, and there is no secondary.
SMS_PRIMARY_PROVIDER = env_str("SMS_PRIMARY_PROVIDER")
SMS_SECONDARY_PROVIDER = env_str("SMS_SECONDARY_PROVIDER")
# Which providers each kind of traffic may use (comma-separated names); empty: both.
# Bulk is citizens' campaign SMS, staff broadcasts and reminders: SMS_BULK_PROVIDERS=gatewayapi
# keeps citizens' numbers inside the EU (no transfer to a US processor).
SMS_ESCALATION_PROVIDERS = env_list("SMS_ESCALATION_PROVIDERS")
SMS_BULK_PROVIDERS = env_list("SMS_BULK_PROVIDERS")
for _name in [
    SMS_PRIMARY_PROVIDER,
    SMS_SECONDARY_PROVIDER,
    *SMS_ESCALATION_PROVIDERS,
    *SMS_BULK_PROVIDERS,
]:
    if _name and _name not in SMS_PROVIDER_NAMES:
        raise ConfigError(f"unknown SMS provider {_name!r}: one of {', '.join(SMS_PROVIDER_NAMES)}")
if SMS_SECONDARY_PROVIDER and SMS_SECONDARY_PROVIDER == SMS_PRIMARY_PROVIDER:
    raise ConfigError("SMS_SECONDARY_PROVIDER must differ from SMS_PRIMARY_PROVIDER")

# GatewayAPI (https://gatewayapi.com/docs/): an API token (sent as HTTP Basic user name),
# the sender shown on the phone, and the secret its webhook signs delivery reports with
# (a JWT in the X-Gwapi-Signature header). The EU host by default.
GATEWAYAPI_TOKEN = env_str("GATEWAYAPI_TOKEN")
GATEWAYAPI_SENDER = env_str("GATEWAYAPI_SENDER", "Beredskab")
GATEWAYAPI_WEBHOOK_SECRET = env_str("GATEWAYAPI_WEBHOOK_SECRET")
# Tests and benchmarks point the client at a fake server.
GATEWAYAPI_API_BASE_URL = env_str("GATEWAYAPI_API_BASE_URL", "https://gatewayapi.eu")

# Health: a provider is unhealthy after SMS_HEALTH_FAILURES failures (5xx, timeout,
# refused connection) within SMS_HEALTH_WINDOW_SECONDS; new messages then go to the
# secondary. After SMS_HEALTH_PROBE_AFTER_SECONDS one real message tests it again
# (half-open); SMS_HEALTH_RECOVERY_SUCCESSES successes in a row make it healthy again.
SMS_HEALTH_FAILURES = env_int("SMS_HEALTH_FAILURES", 3)
SMS_HEALTH_WINDOW_SECONDS = env_float("SMS_HEALTH_WINDOW_SECONDS", 60.0)
SMS_HEALTH_PROBE_AFTER_SECONDS = env_float("SMS_HEALTH_PROBE_AFTER_SECONDS", 30.0)
SMS_HEALTH_RECOVERY_SUCCESSES = env_int("SMS_HEALTH_RECOVERY_SUCCESSES", 3)
# An escalation message whose send is still unknown at its provider after this long is
# sent through another provider, marked "may be a duplicate" (a missed alarm is worse
# than a double one). Bulk messages wait for reconciliation.
SMS_FAILOVER_UNKNOWN_AFTER_SECONDS = env_float("SMS_FAILOVER_UNKNOWN_AFTER_SECONDS", 300.0)
if SMS_HEALTH_FAILURES < 1 or SMS_HEALTH_RECOVERY_SUCCESSES < 1:
    raise ConfigError("SMS_HEALTH_FAILURES and SMS_HEALTH_RECOVERY_SUCCESSES must be >= 1")
if min(SMS_HEALTH_WINDOW_SECONDS, SMS_HEALTH_PROBE_AFTER_SECONDS) <= 0:
    raise ConfigError("SMS_HEALTH_WINDOW_SECONDS and SMS_HEALTH_PROBE_AFTER_SECONDS must be > 0")
if SMS_FAILOVER_UNKNOWN_AFTER_SECONDS < 60:
    raise ConfigError("SMS_FAILOVER_UNKNOWN_AFTER_SECONDS must be at least 60")
