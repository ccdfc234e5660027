"""Load the plan's own content: escalation chains, information-security links, and
whatever the feature apps add through their AppConfig.load_plan hook.

Safe in production and idempotent: it creates what is missing by a stable key and
never changes a row that exists, so staff's edits in the portal survive.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from beredskab.plan import load_plan


class CountingWriter:
    """Passes lines through to the command's stdout and counts them."""

    def __init__(self, out) -> None:
        self.out = out
        self.lines = 0

    def write(self, line: str) -> None:
        self.lines += 1
        self.out.write(line)


class Command(BaseCommand):
    help = "Load the IT-beredskabsplan's content (idempotent; keeps staff's edits)."

    def handle(self, *args, **options) -> None:
        writer = CountingWriter(self.stdout)
        try:
            load_plan(writer)
        except LookupError as error:
            raise CommandError(str(error)) from error
        if writer.lines:
            self.stdout.write(self.style.SUCCESS("The plan is loaded."))
        else:
            self.stdout.write(self.style.SUCCESS("The plan is loaded; nothing was missing."))
