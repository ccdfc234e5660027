"""Production settings refuse to start without their variables; with them, check --deploy
passes. Each case runs manage.py in a subprocess with a clean environment, because the
settings module is evaluated once per process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from beredskab.env import ConfigError, env_bool, parse_database_url, production_problems

ROOT = Path(__file__).resolve().parent.parent
STRIPPED_PREFIXES = ("DJANGO_", "DATABASE_URL", "REDIS_URL", "SMS_", "EMAIL_", "TWILIO_")

# Placeholders: check --deploy never connects to the database, Redis or the SMTP relay.
PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "x9!Kq2#vLm7$Pw4^Zr8&Tn1*Yb6(Hc3)Jd5_Fg0+Ns2-Qe7=Ua4~Vo9",
    "DATABASE_URL": "postgresql://portal:secret@db.example.invalid:5432/beredskab",
    "REDIS_URL": "redis://redis.example.invalid:6379/0",
    "ALLOWED_HOSTS": "beredskab.example.invalid",
    "BASE_URL": "https://beredskab.example.invalid",
    "EMAIL_HOST": "smtp.example.invalid",
    "DEFAULT_FROM_EMAIL": "beredskab@example.invalid",
    "SMS_BACKEND": "twilio",
    "TWILIO_ACCOUNT_SID": "AC00000000000000000000000000000000",
    "TWILIO_AUTH_TOKEN": "placeholder",
    "TWILIO_FROM": "Beredskab",
}
REQUIRED = [
    "SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "ALLOWED_HOSTS",
    "BASE_URL",
    "EMAIL_HOST",
    "DEFAULT_FROM_EMAIL",
]


def clean_env(**overrides: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(STRIPPED_PREFIXES)}
    env.pop("TESTING", None)
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production(**overrides: str | None) -> dict[str, str]:
    return clean_env(**{**PRODUCTION_ENV, **overrides})


def test_it_refuses_production_with_nothing_set_and_names_everything():
    result = manage("check", env=clean_env(DJANGO_ENV="production"))
    assert result.returncode != 0
    for name in [*REQUIRED, "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM"]:
        assert name in result.stderr, name
    # One message: the whole list comes in a single exception.
    assert result.stderr.count("Refusing to start") == 1


@pytest.mark.parametrize("missing", REQUIRED)
def test_it_names_each_missing_variable_alone(missing):
    result = manage("check", env=production(**{missing: None}))
    assert result.returncode != 0
    assert f"- {missing} is not set" in result.stderr
    others = [name for name in REQUIRED if name != missing]
    assert not any(f"- {name} is not set" in result.stderr for name in others)


@pytest.mark.parametrize("backend", ["console", "locmem"])
def test_it_refuses_a_non_sending_sms_backend(backend):
    result = manage("check", env=production(SMS_BACKEND=backend))
    assert result.returncode != 0
    assert "SMS_BACKEND must be 'twilio'" in result.stderr


@pytest.mark.parametrize("backend", ["console", "locmem"])
def test_it_refuses_a_non_sending_email_backend(backend):
    result = manage("check", env=production(EMAIL_BACKEND=backend))
    assert result.returncode != 0
    assert "EMAIL_BACKEND must be 'smtp'" in result.stderr


def test_it_refuses_a_mysql_database_url():
    result = manage("check", env=production(DATABASE_URL="mysql://u:p@db/beredskab"))
    assert result.returncode != 0
    assert "DATABASE_URL must be a PostgreSQL URL" in result.stderr


def test_it_refuses_a_short_secret_key():
    result = manage("check", env=production(SECRET_KEY="change-me"))
    assert result.returncode != 0
    assert "SECRET_KEY must be a random string of at least 50 characters" in result.stderr


def test_it_passes_check_deploy_with_everything_set():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production())
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_it_accepts_the_postgres_scheme_alias_in_production():
    env = production(DATABASE_URL="postgres://portal@db.example.invalid/beredskab")
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stderr


# --- Production is the default; the demo is asked for (issue 24, item 8) ---


def settings_of(env: dict[str, str], *names: str) -> dict:
    """The values of `names` as the settings module computes them in `env`."""
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {list(names)!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "beredskab.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_it_refuses_to_start_with_nothing_set_not_even_django_env():
    result = manage("check", env=clean_env())
    assert result.returncode != 0
    assert "Refusing to start" in result.stderr
    for name in [*REQUIRED, "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM"]:
        assert name in result.stderr, name
    # The message says how to get the demo instead.
    assert "DJANGO_ENV=demo" in result.stderr


def test_it_behaves_as_production_without_django_env():
    values = settings_of(
        production(DJANGO_ENV=None),
        "PRODUCTION",
        "DEBUG",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_HTTPONLY",
        "SECURE_HSTS_SECONDS",
        "SECURE_SSL_REDIRECT",
        "SMS_BACKEND",
        "EMAIL_BACKEND",
    )
    assert values == {
        "PRODUCTION": True,
        "DEBUG": False,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_SSL_REDIRECT": True,
        "SMS_BACKEND": "twilio",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    }


def test_it_passes_check_deploy_without_django_env():
    env = production(DJANGO_ENV=None)
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_it_runs_the_demo_only_when_asked_for():
    result = manage("check", env=clean_env(DJANGO_ENV="demo"))
    assert result.returncode == 0, result.stderr
    values = settings_of(clean_env(DJANGO_ENV="demo"), "PRODUCTION", "DEBUG", "SMS_BACKEND")
    # DEBUG off: the demo shows the portal's own error pages, as production does.
    assert values == {"PRODUCTION": False, "DEBUG": False, "SMS_BACKEND": "console"}


def test_the_demo_turns_debug_on_only_when_asked_for():
    values = settings_of(clean_env(DJANGO_ENV="demo", DEBUG="1"), "DEBUG")
    assert values == {"DEBUG": True}


def test_it_runs_the_tests_in_demo_mode_asked_for_explicitly(settings):
    # pytest's settings module asks for the demo before the portal's settings load, and
    # hands it on to the subprocesses the tests start.
    assert settings.PRODUCTION is False
    assert settings.DJANGO_ENV == "demo"
    assert os.environ["DJANGO_ENV"] == "demo"


def test_it_refuses_an_unknown_django_env():
    result = manage("check", env=clean_env(DJANGO_ENV="staging"))
    assert result.returncode != 0
    assert "DJANGO_ENV must be 'demo' or 'production'" in result.stderr


# --- beredskab/env.py ---


@pytest.mark.parametrize("scheme", ["postgres", "postgresql"])
def test_it_parses_a_postgresql_url(scheme):
    config = parse_database_url(
        f"{scheme}://portal:s%40cret%2Fx@db.example.invalid:6543/bered%20skab"
    )
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["USER"] == "portal"
    assert config["PASSWORD"] == "s@cret/x"
    assert config["HOST"] == "db.example.invalid"
    assert config["PORT"] == "6543"
    assert config["NAME"] == "bered skab"


def test_it_leaves_the_port_empty_when_the_url_has_none():
    config = parse_database_url("postgresql://postgres@127.0.0.1/beredskab")
    assert config["PORT"] == ""
    assert config["PASSWORD"] == ""


@pytest.mark.parametrize("url", ["mysql://u@h/db", "postgresql://u@h/", "redis://h:6379/0"])
def test_it_refuses_a_database_url_it_cannot_use(url):
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        parse_database_url(url)


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("yes", True), ("0", False)])
def test_it_reads_booleans(monkeypatch, raw, expected):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env_bool("SOME_FLAG") is expected


def test_it_fails_loudly_on_a_malformed_boolean(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "maybe")
    with pytest.raises(ConfigError, match="SOME_FLAG"):
        env_bool("SOME_FLAG")


def test_it_uses_the_default_for_an_empty_boolean(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "")
    assert env_bool("SOME_FLAG", default=True) is True


def test_it_finds_no_problem_in_a_complete_production_environment():
    assert production_problems(PRODUCTION_ENV) == []


def test_it_accepts_a_messaging_service_instead_of_a_sender():
    env = {**PRODUCTION_ENV, "TWILIO_FROM": "", "TWILIO_MESSAGING_SERVICE_SID": "MG0"}
    assert production_problems(env) == []


def test_it_refuses_debug_and_plain_http_in_production():
    env = {**PRODUCTION_ENV, "DEBUG": "1", "BASE_URL": "http://beredskab.example.invalid"}
    problems = production_problems(env)
    assert "DEBUG must be off in production" in problems
    assert "BASE_URL must start with https://" in problems


# --- Content-Security-Policy ---


@pytest.mark.django_db
def test_it_sends_a_strict_content_security_policy(client):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy
