"""Load the demo: departments, people and logins, suppliers and systems (never in
production). Idempotent: a second run creates nothing. Run `load_plan` first."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from beredskab.demo import load_demo
from beredskab.management.commands.load_plan import CountingWriter


class Command(BaseCommand):
    help = "Load fictitious demo people, logins, suppliers and systems (refuses in production)."

    def handle(self, *args, **options) -> None:
        if settings.PRODUCTION:
            raise CommandError(
                "load_demo refuses to run in production (DJANGO_ENV=production): "
                "it would add fictitious people and logins with a published password."
            )
        writer = CountingWriter(self.stdout)
        load_demo(writer)
        if writer.lines:
            self.stdout.write(self.style.SUCCESS("The demo is loaded."))
        else:
            self.stdout.write(self.style.SUCCESS("The demo is loaded; nothing was missing."))
