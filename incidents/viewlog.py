"""Who looked: every view of an incident's detail, draft, PDF or letters, logged."""

from __future__ import annotations

from django.utils import timezone

from beredskab.actors import actor_text
from incidents.models import Incident, ViewLogEntry


def log_view(user, incident: Incident, what: str) -> ViewLogEntry:
    """One row per view; called by the view after access was granted."""
    return ViewLogEntry.objects.create(
        incident=incident, user=user, user_text=actor_text(user), what=what, at=timezone.now()
    )
