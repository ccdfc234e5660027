"""Who looked: every view of an incident's detail, draft, PDF or letters, logged."""

from __future__ import annotations

from django.utils import timezone

from beredskab.access import person_of
from incidents.models import Incident, ViewLogEntry


def log_view(user, incident: Incident, what: str) -> ViewLogEntry:
    """One row per view; called by the view after access was granted."""
    person = person_of(user)
    text = person.name if person is not None else user.get_username()
    return ViewLogEntry.objects.create(
        incident=incident, user=user, user_text=text[:200], what=what, at=timezone.now()
    )
