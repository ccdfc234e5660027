"""{% open_outages %}: the home page's outages panel, without the core importing this app."""

from __future__ import annotations

from django import template
from django.db.models import Prefetch

from outages import access
from outages.models import AffectedSystem, PowerOutage, SystemOutage

register = template.Library()

SHOWN = 5


@register.inclusion_tag("outages/_open_outages.html", takes_context=True)
def open_outages(context) -> dict:
    """The live system outages the user may see, the power outages not yet closed
    (everyone logged in follows those) and, for those who confirm them, the reports
    awaiting confirmation: a few of each, with a link to the rest."""
    user = context["request"].user
    systems = list(
        access.outages_visible_to(user)
        .live()
        .prefetch_related(
            Prefetch("affected", queryset=AffectedSystem.objects.select_related("system"))
        )
        .order_by("declared_at", "pk")[: SHOWN + 1]
    )
    power = list(PowerOutage.objects.open().order_by("-declared_at", "-pk")[: SHOWN + 1])
    # IT and the systemkoordinator also see the reports they are to confirm or dismiss.
    reports = (
        list(
            SystemOutage.objects.awaiting_confirmation()
            .select_related("reported_system")
            .order_by("reported_at", "pk")[: SHOWN + 1]
        )
        if access.may_manage(user)
        else []
    )
    return {
        "systems": systems[:SHOWN],
        "power": power[:SHOWN],
        "reports": reports[:SHOWN],
        "more": any(len(rows) > SHOWN for rows in (systems, power, reports)),
    }
