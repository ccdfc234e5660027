"""Purge the personal data of incidents closed more than INCIDENT_RETENTION_YEARS ago.

    python manage.py purge_incidents            # what the daily beat job does
    python manage.py purge_incidents --dry-run  # only list the incidents that are due

Statistics stay; the timeline keeps each event's digest, so verify_timeline passes.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from incidents import retention


class Command(BaseCommand):
    help = "Purge the personal data of incidents past their retention period."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="list, do not purge")

    def handle(self, *args, dry_run: bool = False, **options):
        now = timezone.now()
        years = settings.INCIDENT_RETENTION_YEARS
        if dry_run:
            for incident in retention.due(now).only("pk", "reference"):
                closed = f"{incident.closed_at:%Y-%m-%d}"
                self.stdout.write(f"due: {incident.reference} (closed {closed})")
            return
        count = retention.purge_due(now)
        self.stdout.write(f"purged: {count} incident(s) closed more than {years} years ago")
