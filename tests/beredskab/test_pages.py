"""The base layout, the home page, the accessibility statement and the login pages."""

from __future__ import annotations

import gzip
import re

import pytest
from django.contrib.auth.models import User
from django.contrib.staticfiles import finders
from django.core import mail
from django.urls import reverse

from beredskab.roles import Role
from tests.conftest import PASSWORD


def _nav(html: str) -> str:
    match = re.search(r'<nav class="site-nav".*?</nav>', html, re.S)
    return match.group(0) if match else ""


def test_it_shows_the_home_page_in_danish_with_landmarks(client_as, employee):
    response = client_as(employee).get(reverse("home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Language"] == "da"
    assert '<html lang="da">' in html
    for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
        assert landmark in html
    assert 'class="skip-link" href="#main"' in html


def test_it_greets_the_person_and_shows_the_entry_points(client_as, employee):
    html = client_as(employee).get(reverse("home")).content.decode()
    assert "Employee" in html  # the Person's name, made by the fixture
    assert f'href="{reverse("incidents:index")}"' in html
    assert f'href="{reverse("outages:index")}"' in html
    assert html.count('class="empty"') >= 2  # nothing open yet: the empty states


def test_it_marks_the_current_page_in_the_menu(client_as, employee):
    html = client_as(employee).get(reverse("infosec")).content.decode()
    assert re.search(rf'href="{reverse("infosec")}" aria-current="page"', _nav(html))
    assert not re.search(rf'href="{reverse("home")}" aria-current', _nav(html))


def test_it_hides_the_directory_from_an_employee(client_as, employee):
    nav = _nav(client_as(employee).get(reverse("home")).content.decode())
    assert reverse("directory:index") not in nav
    assert reverse("admin:index") not in nav
    for name in ("infosec", "incidents:index", "outages:index", "contactcenter:index"):
        assert reverse(name) in nav
    assert reverse("training:index") in nav


def test_it_shows_the_directory_to_the_systemkoordinator(client_as, systemkoordinator):
    html = client_as(systemkoordinator).get(reverse("home")).content.decode()
    assert reverse("directory:index") in _nav(html)


def test_it_shows_the_django_admin_link_to_superusers_only(client_as, make_user):
    # Issue 24: Django admin is for superusers; an admin-role staff login gets no link.
    staff = make_user(Role.ADMIN)
    staff.is_staff = True
    staff.save()
    assert reverse("admin:index") not in _nav(
        client_as(staff).get(reverse("home")).content.decode()
    )
    staff.is_superuser = True
    staff.save()
    assert reverse("admin:index") in _nav(client_as(staff).get(reverse("home")).content.decode())


def test_it_switches_the_language_to_english(client_as, employee):
    client = client_as(employee)
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assert response.status_code == 302
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in html
    assert 'name="language" value="da"' in html  # the way back


def test_it_uses_no_inline_script_or_style(client_as, systemkoordinator):
    client = client_as(systemkoordinator)
    for name in ("home", "infosec", "accessibility", "password_change"):
        html = client.get(reverse(name)).content.decode()
        assert " style=" not in html, name
        assert "<style" not in html, name
        for script in re.findall(r"<script[^>]*>", html):
            assert "src=" in script, (name, script)


def test_it_keeps_a_page_well_under_50_kb_compressed(client_as, systemkoordinator):
    html = client_as(systemkoordinator).get(reverse("home")).content
    with open(finders.find("css/portal.css"), "rb") as css:
        size = len(gzip.compress(html + css.read()))
    assert size < 20 * 1024


@pytest.mark.django_db
def test_it_serves_the_accessibility_statement_without_login(client):
    response = client.get(reverse("accessibility"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "WCAG 2.1" in html
    assert "Digitaliseringsstyrelsen" in html


@pytest.mark.django_db
def test_it_shows_the_login_form_with_labels(client):
    html = client.get(reverse("login")).content.decode()
    for field in ("id_login", "id_password"):
        assert f'for="{field}"' in html
    assert 'autocomplete="current-password"' in html
    assert reverse("password_reset") in html


def test_it_logs_in_through_the_form(client, employee):
    response = client.post(reverse("login"), {"login": "employee", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_it_answers_a_wrong_password_with_400_and_an_error(client, employee):
    response = client.post(reverse("login"), {"login": "employee", "password": "wrong"})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_logs_out_by_post_only(client_as, employee):
    client = client_as(employee)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_it_changes_the_password(client_as, employee):
    client = client_as(employee)
    response = client.post(
        reverse("password_change"),
        {
            "oldpassword": PASSWORD,
            "password1": "a-new-long-passphrase-42",
            "password2": "a-new-long-passphrase-42",
        },
    )
    assert response.status_code == 302
    employee.refresh_from_db()
    assert employee.check_password("a-new-long-passphrase-42")


def test_it_rejects_a_wrong_old_password_with_400(client_as, employee):
    response = client_as(employee).post(
        reverse("password_change"),
        {
            "oldpassword": "nope",
            "password1": "x-long-one-123",
            "password2": "x-long-one-123",
        },
    )
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    employee.refresh_from_db()
    assert employee.check_password(PASSWORD)


def test_it_sends_a_password_reset_link_that_works(client, employee):
    employee.email = "employee@example.invalid"
    employee.save()
    response = client.post(reverse("password_reset"), {"email": "employee@example.invalid"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/password/reset/key/\S+/", mail.outbox[0].body).group(0)
    assert "employee" in mail.outbox[0].body
    response = client.get(link, follow=True)
    assert response.status_code == 200
    response = client.post(
        response.redirect_chain[-1][0],
        {"password1": "fresh-passphrase-77", "password2": "fresh-passphrase-77"},
    )
    assert response.status_code == 302
    assert User.objects.get(pk=employee.pk).check_password("fresh-passphrase-77")


@pytest.mark.django_db
def test_it_says_nothing_about_unknown_reset_addresses(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.invalid"})
    assert response.status_code == 302
    assert mail.outbox == []


@pytest.mark.django_db
def test_it_explains_an_invalid_reset_link(client):
    url = reverse("password_reset_confirm", kwargs={"uidb36": "1", "key": "bad-token"})
    response = client.get(url)
    assert response.status_code == 200
    assert reverse("password_reset") in response.content.decode()
