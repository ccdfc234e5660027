"""The registry the feature apps fill from their AppConfig.ready(): menu items, page
panels, beat entries and permissions (beredskab.extensions)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Permission as AuthPermission
from django.urls import reverse

from beredskab import authority, extensions
from beredskab.celery import app as celery_app
from beredskab.context_processors import navigation
from beredskab.escalation import access as escalation_access
from beredskab.extensions import MenuItem, Panel, Permission
from beredskab.roles import CORE_PERMISSIONS, Role, all_permissions, perm, role_permissions


@pytest.fixture
def empty_registry(monkeypatch):
    """The core alone, as if no feature app were installed."""
    monkeypatch.setattr(extensions, "_registry", extensions._Registry())


def _nav_urls(html: str) -> list[str]:
    nav = re.search(r'<nav class="site-nav".*?</nav>', html, re.S).group(0)
    return re.findall(r'href="([^"]+)"', nav)


@pytest.mark.django_db
def test_the_menu_keeps_its_order_with_the_apps_items_in_their_places(client_as, make_user):
    superuser = make_user(Role.ADMIN, username="root")
    superuser.is_superuser = True
    superuser.save()
    html = client_as(superuser).get(reverse("home")).content.decode()
    assert _nav_urls(html) == [
        reverse(name)
        for name in (
            "home",
            "infosec",
            "incidents:report",
            "outages:index",
            "contactcenter:index",
            "training:index",
            "escalation:run_list",
            "broadcast:list",
            "outages:campaigns",
            "incidents:log",
            "directory:index",
            "pending",
            "emergency_mode",
            "admin:index",
        )
    ]


@pytest.mark.django_db
def test_a_campaign_page_marks_its_own_item_not_the_outages(client_as, make_user):
    frontdesk = make_user(Role.FRONTDESK, username="desk")
    html = client_as(frontdesk).get(reverse("outages:campaigns")).content.decode()
    assert f'href="{reverse("outages:campaigns")}" aria-current="page"' in html
    assert f'href="{reverse("outages:index")}" aria-current' not in html
    html = client_as(frontdesk).get(reverse("outages:index")).content.decode()
    assert f'href="{reverse("outages:index")}" aria-current="page"' in html
    assert f'href="{reverse("outages:campaigns")}" aria-current' not in html


@pytest.mark.django_db
def test_the_core_works_alone_without_any_feature_app(empty_registry, client_as, make_user):
    leader = make_user(Role.LEDER, username="boss")
    client = client_as(leader)
    home = client.get(reverse("home"))
    infosec = client.get(reverse("infosec"))
    assert home.status_code == 200 and infosec.status_code == 200
    html = home.content.decode()
    assert _nav_urls(html) == [
        reverse(n) for n in ("home", "infosec", "escalation:run_list", "broadcast:list")
    ]
    assert "entry-point" not in html and "entry-point" not in infosec.content.decode()
    assert "Venter på dig" in html  # the core's own panel stays
    # The apps' permissions are unknown to a core on its own; the core's are all there.
    with pytest.raises(KeyError):
        perm("manage_outages")
    assert set(all_permissions()) == set(CORE_PERMISSIONS)
    assert role_permissions()[Role.ADMIN] == list(CORE_PERMISSIONS)
    assert authority.privileged_roles() == frozenset(
        {Role.ADMIN, Role.SYSTEMKOORDINATOR, Role.IT, Role.LEDER, Role.KONTAKTCENTER}
        | {Role.KONTAKTCENTERLEDER}
    )
    assert escalation_access.overseer_perms() == ("test_chain",)


@pytest.mark.django_db
def test_the_apps_permissions_keep_their_codenames_on_the_shared_content_type():
    contributed = {p.codename for p in extensions.permissions()}
    assert {"manage_outages", "view_incident_log", "publish_robot_message"} <= contributed
    stored = AuthPermission.objects.filter(codename__in=contributed)
    assert {p.content_type.app_label for p in stored} == {"beredskab"}
    assert {p.codename for p in stored} == contributed


def test_apps_mark_their_outside_and_overseeing_permissions():
    assert {"send_mass_sms", "approve_mass_sms", "publish_robot_message"} <= (
        authority.outside_permissions()
    )
    assert Role.FRONTDESK in authority.privileged_roles()  # mass SMS reaches citizens
    assert set(escalation_access.overseer_perms()) == {
        "manage_incident_log",
        "manage_outages",
        "test_chain",
    }


def test_every_contributed_beat_entry_is_on_the_celery_schedule():
    entries = extensions.beat_entries()
    assert {"incidents-clock-reminders", "contactcenter-probes"} <= set(entries)
    for name, entry in entries.items():
        assert celery_app.conf.beat_schedule[name] == entry


def test_contributing_twice_adds_once(empty_registry):
    item = MenuItem("home", "Somewhere", "somewhere")
    permission = Permission("do_it", "Can do it", roles=(Role.LEDER,))
    for _ in range(2):
        extensions.contribute(menu=[item], permissions=[permission])
    assert extensions.menu_items() == [item]
    assert role_permissions()[Role.LEDER].count("do_it") == 1


def test_a_codename_contributed_with_two_meanings_is_refused(empty_registry):
    extensions.contribute(permissions=[Permission("do_it", "Can do it")])
    with pytest.raises(ValueError, match="do_it"):
        extensions.contribute(permissions=[Permission("do_it", "Can do something else")])
    with pytest.raises(ValueError, match="manage_directory"):
        extensions.contribute(permissions=[Permission("manage_directory", "Mine now")])
        all_permissions()


def test_a_panel_for_an_unknown_place_is_refused(empty_registry):
    with pytest.raises(ValueError, match="sidebar"):
        extensions.contribute(panels=[Panel("sidebar", "x.html")])


def test_panels_come_in_their_order(empty_registry):
    extensions.contribute(
        panels=[
            Panel(extensions.HOME_OPEN_NOW, "b.html", order=20),
            Panel(extensions.HOME_OPEN_NOW, "a.html", order=10),
            Panel(extensions.HOME_ENTRY_POINTS, "c.html"),
        ]
    )
    assert extensions.panels(extensions.HOME_OPEN_NOW) == ["a.html", "b.html"]


@pytest.mark.django_db
def test_an_anonymous_visitor_has_no_menu(rf):
    from django.contrib.auth.models import AnonymousUser

    assert navigation(AnonymousUser(), rf.get("/")) == []
