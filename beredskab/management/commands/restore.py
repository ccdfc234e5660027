"""python manage.py restore ARCHIVE [--database-url URL]: into an empty database,
then migrate and verify_timeline against the backup's heads (beredskab/backup.py)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from beredskab import backup


class Command(BaseCommand):
    help = "Restore a backup archive into an empty database, migrate, verify the timeline."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument("--database-url", default="", help="default: DATABASE_URL")

    def handle(self, *args, archive: Path, database_url: str = "", **options):
        try:
            backup.restore(archive, database_url or backup.database_url(), out=self.stdout)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
