"""Typed environment helpers that fail loudly (after healthchecks' hc/settings.py).

Settings read every value through these helpers, so a missing or malformed variable
is reported by name instead of surfacing later as a confusing runtime error.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from urllib.parse import unquote, urlparse


class ConfigError(Exception):
    """Raised when the environment cannot configure the portal."""


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def django_env() -> str:
    """'production' unless the demo is asked for: a forgotten variable must never leave the
    internet-facing portal in DEBUG, sending nothing, with its ack links on /demo/sms/."""
    value = env_str("DJANGO_ENV", "production")
    if value not in {"demo", "production"}:
        raise ConfigError(f"DJANGO_ENV must be 'demo' or 'production', not {value!r}")
    return value


def env_bool(name: str, default: bool = False) -> bool:
    return env_bool_from(os.environ, name, default)


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be an integer, not {raw!r}") from None


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, not {raw!r}") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in env_str(name, default).split(",") if part.strip()]


def parse_database_url(url: str) -> dict:
    """Turn postgres:// or postgresql:// (or sqlite:///path) into a DATABASES entry."""
    parsed = urlparse(url)
    if parsed.scheme in {"postgres", "postgresql"}:
        if not parsed.path.lstrip("/"):
            raise ConfigError("DATABASE_URL must name a database: postgresql://user@host/name")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    if parsed.scheme == "sqlite":
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": url.removeprefix("sqlite:///")}
    raise ConfigError(
        f"DATABASE_URL must start with postgres:// or postgresql://, not {parsed.scheme!r}"
    )


# What production needs before it may start. The e-mail settings are the relay and the
# sender; SMTP credentials stay optional (a relay may trust the host instead).
PRODUCTION_REQUIRED = (
    "SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "ALLOWED_HOSTS",
    "BASE_URL",
    "EMAIL_HOST",
    "DEFAULT_FROM_EMAIL",
)
# Backends that send nothing anywhere: fine for the demo, a silent disaster in a crisis.
NON_SENDING_BACKENDS = {"console", "locmem"}


def production_problems(environ: Mapping[str, str] | None = None) -> list[str]:
    """Everything that stops DJANGO_ENV=production from starting, each naming its variable.

    Settings raise ONE ConfigError listing all of them, so an operator fixes the
    environment in one go instead of one restart per missing variable.
    """
    environ = os.environ if environ is None else environ

    def get(name: str, default: str = "") -> str:
        return environ.get(name, default).strip()

    problems = [f"{name} is not set" for name in PRODUCTION_REQUIRED if not get(name)]

    secret = get("SECRET_KEY")
    # The same bar as Django's check --deploy (security.W009), checked up front.
    if secret and (
        len(secret) < 50 or len(set(secret)) < 5 or secret.startswith("django-insecure")
    ):
        problems.append("SECRET_KEY must be a random string of at least 50 characters")

    database_url = get("DATABASE_URL")
    if database_url and urlparse(database_url).scheme not in {"postgres", "postgresql"}:
        problems.append("DATABASE_URL must be a PostgreSQL URL (postgres:// or postgresql://)")

    redis_url = get("REDIS_URL")
    if redis_url and urlparse(redis_url).scheme not in {"redis", "rediss"}:
        problems.append("REDIS_URL must be a redis:// or rediss:// URL")

    base_url = get("BASE_URL")
    if base_url and not base_url.startswith("https://"):
        problems.append("BASE_URL must start with https://")

    email_backend = get("EMAIL_BACKEND", "smtp")
    if email_backend != "smtp":
        problems.append(f"EMAIL_BACKEND must be 'smtp' in production, not {email_backend!r}")

    sms_backend = get("SMS_BACKEND", "twilio")
    if sms_backend != "twilio":
        problems.append(f"SMS_BACKEND must be 'twilio' in production, not {sms_backend!r}")
    else:
        for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN"):
            if not get(name):
                problems.append(f"{name} is not set")
        if not (get("TWILIO_MESSAGING_SERVICE_SID") or get("TWILIO_FROM")):
            problems.append("TWILIO_MESSAGING_SERVICE_SID or TWILIO_FROM is not set")

    providers = {get("SMS_PRIMARY_PROVIDER"), get("SMS_SECONDARY_PROVIDER")}
    if "gatewayapi" in providers:
        for name in ("GATEWAYAPI_TOKEN", "GATEWAYAPI_WEBHOOK_SECRET"):
            if not get(name):
                problems.append(f"{name} is not set (GatewayAPI is an SMS provider)")
        if 0 < len(get("GATEWAYAPI_WEBHOOK_SECRET")) < 32:
            problems.append("GATEWAYAPI_WEBHOOK_SECRET must be at least 32 characters")
    if providers & {"locmem", "console"}:
        problems.append("SMS_PRIMARY_PROVIDER and SMS_SECONDARY_PROVIDER: no test senders")

    # Entra ID sign-in: all three or none (half a configuration would hide the button
    # silently), and the authority over TLS only.
    entra = ("ENTRA_TENANT_ID", "ENTRA_CLIENT_ID", "ENTRA_CLIENT_SECRET")
    if any(get(name) for name in entra) and not all(get(name) for name in entra):
        problems.append("ENTRA_TENANT_ID, ENTRA_CLIENT_ID and ENTRA_CLIENT_SECRET go together")
    authority = get("ENTRA_AUTHORITY_URL")
    if authority and not authority.startswith("https://"):
        problems.append("ENTRA_AUTHORITY_URL must start with https://")

    if env_bool_from(environ, "DEBUG"):
        problems.append("DEBUG must be off in production")
    return problems


def env_bool_from(environ: Mapping[str, str], name: str, default: bool = False) -> bool:
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name} must be a boolean (1/0, true/false), not {raw!r}")
