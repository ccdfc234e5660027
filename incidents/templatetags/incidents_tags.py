"""{% your_open_incidents %}: the home page's panel, without the core importing this app."""

from __future__ import annotations

from django import template

from incidents import access

register = template.Library()

SHOWN = 5


@register.inclusion_tag("incidents/_your_open_incidents.html", takes_context=True)
def your_open_incidents(context) -> dict:
    user = context["request"].user
    incidents = (
        access.incidents_visible_to(user)
        .open()
        .only("pk", "reference", "kind", "status", "reported_at", "reporter_id")
        .order_by("-reported_at", "-pk")[: SHOWN + 1]
    )
    rows = list(incidents)
    return {
        "incidents": rows[:SHOWN],
        "more": len(rows) > SHOWN,
        "reads_log": access.can(user, "view_incident_log"),
    }
