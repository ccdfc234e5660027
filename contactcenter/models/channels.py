"""The contact centre's channels: each one's state, since when, who said so, and probes.

The channels are independent (separate power and network): a change to one never
touches another, so every transition below locks and writes one row only.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beredskab import timeline
from beredskab.actors import actor_text
from beredskab.cpr import mask_cpr

# A health endpoint is a web page: the probe never knocks on other services' ports
# (SSH, databases, Redis on the same network) even on an allowed host.
PROBE_PORTS = frozenset({80, 443})


def host_allowed(url: str) -> bool:
    """May the probe call this URL? http(s) on port 80 or 443 to a host on the
    allow-list, nothing else. (Where the name resolves to is checked at probe time.)"""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return False
    if parts.scheme not in {"http", "https"} or not host or parts.username or parts.password:
        return False
    if port is not None and port not in PROBE_PORTS:
        return False
    return host in settings.CONTACT_PROBE_ALLOWED_HOSTS


def validate_health_url(url: str) -> None:
    if url and not host_allowed(url):
        raise ValidationError(
            _(
                "The probe may only call http or https addresses on port 80 or 443 on these "
                "hosts: %(hosts)s. Ask IT to add the host to CONTACT_PROBE_ALLOWED_HOSTS."
            ),
            params={"hosts": ", ".join(settings.CONTACT_PROBE_ALLOWED_HOSTS) or _("(none)")},
            code="host_not_allowed",
        )


class ContactChannel(models.Model):
    """One way citizens reach the municipality (switchboard, phone robot, Teams, ...)."""

    class State(models.TextChoices):
        WORKING = "working", _("Working")
        DEGRADED = "degraded", _("Degraded")
        DOWN = "down", _("Down")
        UNKNOWN = "unknown", _("Unknown")

    # Consecutive probe answers needed before the probe changes the state.
    FAILURES_FOR_DEGRADED = 2
    FAILURES_FOR_DOWN = 4
    SUCCESSES_FOR_WORKING = 2
    # A job running every minute probes each channel at most this often.
    PROBE_INTERVAL = timedelta(seconds=50)
    PROBE_ACTOR = "Sundhedstjek"

    key = models.SlugField(
        _("key"), max_length=60, unique=True, help_text=_("Stable id used by load_plan.")
    )
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    state = models.CharField(_("state"), max_length=20, choices=State, default=State.UNKNOWN)
    state_since = models.DateTimeField(_("state since"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)
    # Display text, not a foreign key: who said so stays readable after a login is
    # deactivated, like the timeline's actor_text.
    updated_by_text = models.CharField(_("updated by"), max_length=200, blank=True)
    # When someone (or the probe) last said the state still holds; old means stale.
    confirmed_at = models.DateTimeField(_("confirmed"), default=timezone.now)
    # The probe changes back only what it changed itself: a person's "down" stands
    # until a person changes it, even if the health URL answers.
    state_set_by_probe = models.BooleanField(default=False, editable=False)
    health_url = models.URLField(
        _("health URL"),
        blank=True,
        validators=[validate_health_url],
        help_text=_("Optional. Checked every minute; only hosts IT has allowed."),
    )
    probe_failures = models.PositiveIntegerField(default=0, editable=False)
    probe_successes = models.PositiveIntegerField(default=0, editable=False)
    last_probe_at = models.DateTimeField(_("last probed"), null=True, blank=True, editable=False)
    last_probe_ok = models.BooleanField(_("last probe answered"), null=True, editable=False)
    last_probe_detail = models.CharField(max_length=200, blank=True, editable=False)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("contact channel")
        verbose_name_plural = _("contact channels")

    def __str__(self) -> str:
        return self.name

    def is_stale(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return now - self.confirmed_at > timedelta(minutes=settings.CONTACT_STATUS_STALE_MINUTES)

    @property
    def stale(self) -> bool:
        return self.is_stale()

    # --- Transitions: each locks this one row and writes a timeline event ---

    def set_state(self, state: str, *, note: str = "", actor, at: datetime | None = None) -> None:
        """A person says what state the channel is in (or confirms it still holds)."""
        if state not in self.State.values:
            raise ValueError(f"unknown channel state {state!r}")
        at = at or timezone.now()
        note = mask_cpr(note.strip())
        with transaction.atomic():
            row = type(self).objects.select_for_update().get(pk=self.pk)
            previous = row.state
            changed = previous != state
            row.state = state
            if changed:
                row.state_since = at
            row.note = note
            row.confirmed_at = at
            row.updated_by_text = actor_text(actor)
            row.state_set_by_probe = False
            row.probe_failures = row.probe_successes = 0
            row.save()
            timeline.record(
                row,
                "channel.state_changed" if changed else "channel.confirmed",
                actor=actor,
                at=at,
                data={"from": previous, "to": state, "note": note},
            )
        self.refresh_from_db()

    def set_health_url(self, url: str, *, actor) -> None:
        validate_health_url(url)
        with transaction.atomic():
            row = type(self).objects.select_for_update().get(pk=self.pk)
            if row.health_url == url:
                return
            row.health_url = url
            row.probe_failures = row.probe_successes = 0
            row.save(update_fields=["health_url", "probe_failures", "probe_successes"])
            timeline.record(row, "channel.health_url_changed", actor=actor, data={"url": url})
        self.refresh_from_db()

    def claim_probe(self, now: datetime) -> bool:
        """Take this channel's probe for `now`; False if another run already took it.

        A conditional update on the last probe time, so two beat runs at once (or a
        run repeated after a restart) probe each channel once.
        """
        due = now - self.PROBE_INTERVAL
        claimed = (
            type(self)
            .objects.filter(pk=self.pk)
            .filter(models.Q(last_probe_at__isnull=True) | models.Q(last_probe_at__lte=due))
            .update(last_probe_at=now)
        )
        return claimed == 1

    def record_probe(self, ok: bool, detail: str, now: datetime) -> str | None:
        """Count one probe answer; change the state after enough in a row.

        Returns the new state when it changed, else None.
        """
        with transaction.atomic():
            row = type(self).objects.select_for_update().get(pk=self.pk)
            row.last_probe_ok = ok
            row.last_probe_detail = detail[:200]
            if ok:
                row.probe_successes += 1
                row.probe_failures = 0
            else:
                row.probe_failures += 1
                row.probe_successes = 0
            new_state = row._probe_verdict()
            if new_state is not None:
                previous = row.state
                row.state, row.state_since = new_state, now
                row.state_set_by_probe = True
                row.note = ""
                row.updated_by_text = self.PROBE_ACTOR
            if new_state is not None or row.state_set_by_probe:
                # The probe's own verdict still holds: it confirms it.
                row.confirmed_at = now
            row.save()
            if new_state is not None:
                timeline.record(
                    row,
                    "channel.probe_changed",
                    actor=self.PROBE_ACTOR,
                    at=now,
                    data={
                        "from": previous,
                        "to": new_state,
                        "in_a_row": row.probe_successes if ok else row.probe_failures,
                        "detail": detail[:200],
                    },
                )
        self.refresh_from_db()
        return new_state

    def _probe_verdict(self) -> str | None:
        S = self.State
        if self.probe_successes >= self.SUCCESSES_FOR_WORKING:
            if self.state == S.UNKNOWN or (self.state != S.WORKING and self.state_set_by_probe):
                return S.WORKING
            return None
        if self.probe_failures >= self.FAILURES_FOR_DOWN:
            # Failures only ever make the state worse, whoever set it.
            return S.DOWN if self.state != S.DOWN else None
        if self.probe_failures >= self.FAILURES_FOR_DEGRADED:
            if self.state in (S.WORKING, S.UNKNOWN):
                return S.DEGRADED
        return None


_STATES = {"from": ContactChannel.State, "to": ContactChannel.State}
timeline.register_kind(
    "channel.state_changed",
    _("State changed from %(from)s to %(to)s. %(note)s"),
    labels=_STATES,
)
timeline.register_kind("channel.confirmed", _("State confirmed: %(to)s. %(note)s"), labels=_STATES)
timeline.register_kind(
    "channel.probe_changed",
    _("The health check changed the state from %(from)s to %(to)s (%(detail)s)"),
    labels=_STATES,
)
timeline.register_kind("channel.health_url_changed", _("Health URL set to %(url)s"))
