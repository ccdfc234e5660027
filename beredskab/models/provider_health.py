"""The health of each SMS provider: a circuit breaker shared by every worker (in the
database, so it works while Redis is down). Its switches are on its own timeline."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class HealthState(models.TextChoices):
    HEALTHY = "healthy", _("Healthy")
    UNHEALTHY = "unhealthy", _("Unhealthy")
    TESTING = "testing", _("Being tested again")


class ProviderHealth(models.Model):
    name = models.CharField(_("provider"), max_length=20, unique=True)
    state = models.CharField(
        _("state"), max_length=12, choices=HealthState, default=HealthState.HEALTHY
    )
    # Times (epoch seconds) of the failures within the window, newest last, at most
    # SMS_HEALTH_FAILURES of them.
    recent_failures = models.JSONField(default=list, blank=True)
    unhealthy_since = models.DateTimeField(null=True, blank=True)
    # Half-open: the one message testing the provider holds this lease.
    probe_until = models.DateTimeField(null=True, blank=True)
    successes = models.PositiveSmallIntegerField(default=0)
    changed_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("SMS provider health")
        verbose_name_plural = _("SMS provider health")

    def __str__(self) -> str:
        return f"SMS provider {self.name}"
