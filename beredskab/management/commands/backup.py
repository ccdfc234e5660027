"""python manage.py backup [--output DIR]: database, uploads and timeline heads in one
dated archive with a checksum (beredskab/backup.py)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from beredskab import backup


class Command(BaseCommand):
    help = "Write a dated backup archive (pg_dump, uploads, timeline heads) and its checksum."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, default=None)

    def handle(self, *args, output: Path | None = None, **options):
        try:
            archive = backup.backup(output or Path(settings.VAR_DIR) / "backups")
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(archive))
