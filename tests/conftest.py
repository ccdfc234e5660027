"""Shared fixtures: the roles as named users, and service requirements.

Tests that need PostgreSQL, Redis, Chromium, pdftotext or Pango skip with the reason;
with REQUIRE_SERVICES=1 (CI) they fail instead.
"""

from __future__ import annotations

import os
import shutil
import socket
from urllib.parse import urlparse

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache

from beredskab import reauth
from beredskab.grants import grant_directly
from beredskab.models import Department, Person
from beredskab.roles import Role, sync_roles

# The test OpenID provider process and the Entra sign-in helpers' fixtures; the fake
# SMS providers' fixtures.
pytest_plugins = ["tests.entra_support", "tests.beredskab.provider_support"]

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PASSWORD = "test-password-1234"


def need(condition: bool, reason: str) -> None:
    """Skip when a service is missing; fail instead under REQUIRE_SERVICES=1."""
    if condition:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def _tcp_open(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname, parsed.port or default_port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("REDIS_URL", "")
    need(bool(url), "REDIS_URL is not set")
    need(_tcp_open(url, 6379), f"Redis at {url} does not answer")
    return url


@pytest.fixture
def postgres(db):
    from django.db import connection

    need(connection.vendor == "postgresql", "the tests run on SQLite (DATABASE_URL is not set)")
    return connection


@pytest.fixture(scope="session")
def chromium_path() -> str:
    need(os.path.exists(CHROMIUM), f"{CHROMIUM} is not installed")
    return CHROMIUM


@pytest.fixture(scope="session")
def redis_server_binary() -> str:
    path = shutil.which("redis-server")
    need(path is not None, "redis-server is not installed")
    return path


@pytest.fixture
def department(db) -> Department:
    parent, _ = Department.objects.get_or_create(
        name="Beskæftigelse og Borgerservice", defaults={"kind": Department.Kind.FORVALTNING}
    )
    unit, _ = Department.objects.get_or_create(name="Jobcenter", defaults={"parent": parent})
    return unit


@pytest.fixture
def make_user(db, department):
    """make_user('leder', username='...') → a login with a linked Person in that role."""
    counter = iter(range(1, 10_000))
    if Group.objects.count() < len(Role):  # a transactional test flushed the roles
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()
        sync_roles()

    def make(*roles: str, username: str | None = None, mobile: str = "", **person_fields):
        n = next(counter)
        username = username or f"{'-'.join(roles) or 'nobody'}-{n}"
        # The login has its own address from the start: the directory never writes it.
        user = User.objects.create_user(
            username=username, password=PASSWORD, email=f"{username}@example.invalid"
        )
        person = Person.objects.create(
            name=person_fields.pop("name", username.title()),
            department=person_fields.pop("department", department),
            mobile=mobile or f"+452198{n:04d}",  # valid, fictitious test series
            email=f"{username}@example.invalid",
            user=user,
            **person_fields,
        )
        # Straight in, as set-up; the rules of granting: tests/beredskab/test_grants*.py.
        grant_directly(person, *roles, reason="fixture")
        return user

    return make


@pytest.fixture
def employee(make_user):
    return make_user(Role.MEDARBEJDER, username="employee")


@pytest.fixture
def leader(make_user):
    return make_user(Role.MEDARBEJDER, Role.LEDER, username="leader")


@pytest.fixture
def systemkoordinator(make_user):
    return make_user(Role.MEDARBEJDER, Role.SYSTEMKOORDINATOR, username="koordinator")


@pytest.fixture
def outsider(make_user):
    """A login with no role at all (e.g. a deactivated person's old account)."""
    return make_user(username="outsider")


@pytest.fixture
def client_as(client):
    """Log in as `user` some time ago: outside the re-authentication window, so forms
    for dangerous actions ask for the password as in a session older than
    REAUTH_WINDOW_MINUTES (a fresh login opens the window; see beredskab/reauth.py)."""

    def login(user):
        client.force_login(user)
        session = client.session
        session.pop(reauth.SESSION_KEY, None)
        session.save()
        return client

    return login


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # allauth counts login and reset attempts in the cache; each test starts with none.
    cache.clear()
    yield


@pytest.fixture
def allow_orm_beside_playwright(monkeypatch):
    # Playwright's sync API runs an event loop in the test's thread; the live server's
    # thread (and the fixtures' teardown) still uses the ORM synchronously.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
