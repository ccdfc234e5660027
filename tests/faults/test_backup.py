"""make backup / make restore against PostgreSQL: the restored database has the same
rows and the same timeline heads, and verify_timeline passes on it; a damaged
archive or a database that is not empty is refused."""

from __future__ import annotations

import shutil
import uuid

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from beredskab import backup, timeline
from beredskab.models import Department, Supplier
from tests.conftest import need
from tests.workers import database_url

pytestmark = pytest.mark.services


@pytest.fixture
def empty_database(postgres):
    need(shutil.which("pg_dump") is not None, "pg_dump is not installed")
    url = database_url(postgres)
    admin = url.rsplit("/", 1)[0] + "/postgres"
    name = f"bk_restore_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield url.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
        )
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def counts(url: str) -> dict:
    with psycopg.connect(url) as conn:
        return {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
            for table in ("beredskab_department", "beredskab_supplier", "beredskab_timelineevent")
        }


def heads(url: str) -> list:
    with psycopg.connect(url) as conn:
        return conn.execute(
            "SELECT DISTINCT ON (subject_type, subject_id) subject_type, subject_id, seq, hash"
            " FROM beredskab_timelineevent ORDER BY subject_type, subject_id, seq DESC"
        ).fetchall()


def test_backup_then_restore_gives_the_same_rows_and_timeline_heads(
    postgres, transactional_db, empty_database, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    (settings.MEDIA_ROOT / "incidents").mkdir(parents=True)
    (settings.MEDIA_ROOT / "incidents" / "skærm.png").write_bytes(b"\x89PNG....")
    Department.objects.create(name="Borgerservice")
    for n in range(3):
        supplier = Supplier.objects.create(name=f"Leverandør {n}")
        with transaction.atomic():
            timeline.record(supplier, "note", data={"n": n})
            timeline.record(supplier, "note", data={"n": n + 1})
    source = database_url(postgres)

    call_command("backup", output=tmp_path / "backups")
    [archive] = (tmp_path / "backups").glob("beredskab-backup-*.tar")
    assert (tmp_path / "backups" / f"{archive.name}.sha256").exists()

    settings.MEDIA_ROOT = tmp_path / "restored-uploads"
    call_command("restore", str(archive), database_url=empty_database)
    assert counts(empty_database) == counts(source)
    assert heads(empty_database) == heads(source)
    assert len(heads(source)) >= 3
    assert (settings.MEDIA_ROOT / "incidents" / "skærm.png").read_bytes() == b"\x89PNG...."

    # Not twice into the same database, and never from a damaged archive.
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive), database_url=empty_database)
    with archive.open("r+b") as handle:
        handle.seek(2000)
        handle.write(b"tampered")
    with pytest.raises(CommandError, match="checksum"):
        call_command("restore", str(archive), database_url=empty_database)
    assert backup.database_url() == source
