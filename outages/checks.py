"""Deployment checks of the outages app (`manage.py check --deploy`)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def campaign_approval_check(app_configs=None, **kwargs):
    """Without a second person's approval one account can text every citizen."""
    if getattr(settings, "CAMPAIGN_REQUIRE_APPROVAL", True):
        return []
    return [
        Warning(
            "CAMPAIGN_REQUIRE_APPROVAL is off: one account can send a booking-cancellation "
            "mass SMS without a second person's approval.",
            hint="Set CAMPAIGN_REQUIRE_APPROVAL=1 (the default) in production.",
            id="outages.W001",
        )
    ]
