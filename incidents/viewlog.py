"""Who looked: every view of an incident's detail, draft, PDF or letters, logged."""

from __future__ import annotations

from django.utils import timezone

from beredskab.access import person_of
from incidents.models import Incident, ViewLogEntry


def actor_text(user) -> str:
    """The person's name (or the login's username when it has no person)."""
    person = person_of(user)
    return (person.name if person is not None else user.get_username())[:200]


def log_view(user, incident: Incident, what: str) -> ViewLogEntry:
    """One row per view; called by the view after access was granted."""
    return ViewLogEntry.objects.create(
        incident=incident, user=user, user_text=actor_text(user), what=what, at=timezone.now()
    )
