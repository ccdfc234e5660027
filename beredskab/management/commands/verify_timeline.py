"""Verify every timeline hash chain; optionally against an exported heads file.

    python manage.py verify_timeline
    python manage.py verify_timeline --heads var/timeline-heads/heads-20260101T020000Z.json

Prints "OK: N chains, M events", or one line per broken chain naming its first
broken link (subject, seq, reason) and exits with status 1.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from beredskab import timeline


class Command(BaseCommand):
    help = "Verify every timeline hash chain and name the first broken link of each."

    def add_arguments(self, parser):
        parser.add_argument(
            "--heads",
            type=Path,
            help="a heads file written by the daily export: each head must still match",
        )

    def handle(self, *args, heads: Path | None = None, **options):
        exported = None
        if heads is not None:
            try:
                exported = json.loads(heads.read_text(encoding="utf-8"))
            except (OSError, ValueError) as error:
                raise CommandError(f"cannot read the heads file {heads}: {error}") from error
        result = timeline.verify_all()
        broken = list(result.broken)
        if exported is not None:
            broken += timeline.verify_heads(exported)
        if broken:
            for link in broken:
                self.stderr.write(f"BROKEN: {link}")
            raise CommandError(
                f"{len(broken)} broken link(s) in {result.chains} chains, {result.events} events"
            )
        self.stdout.write(f"OK: {result.chains} chains, {result.events} events")
        if exported is not None:
            self.stdout.write(f"OK: {len(exported)} exported heads match")
