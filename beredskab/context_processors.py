"""Template context every page needs: the navigation for the user's roles."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from beredskab.access import can


def navigation(user) -> list[dict]:
    if not user.is_authenticated:
        return []
    items = [
        {"url": reverse("home"), "label": _("Overview"), "name": "home"},
        {"url": reverse("infosec"), "label": _("Information security"), "name": "infosec"},
    ]
    if can(user, "manage_directory"):
        items.append(
            {"url": reverse("directory:index"), "label": _("Directory"), "name": "directory"}
        )
    return items


def portal(request) -> dict:
    return {"nav_items": navigation(request.user)}
