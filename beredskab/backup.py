"""Backup and restore: one dated archive with the database, the uploads and the
timeline heads, and its checksum; a restore into an empty database that migrates and
verifies every timeline chain against the heads taken with the backup.

The archive (`beredskab-backup-<UTC time>.tar`) holds:
    database.dump          pg_dump --format=custom
    uploads/               MEDIA_ROOT
    timeline-heads/        VAR_DIR/timeline-heads (the daily exports)
    backup-heads.json      every chain's head at the backup's time
    manifest.json          created, and the SHA-256 of every member
and `<archive>.sha256` beside it (sha256sum's format).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from django.conf import settings


class BackupError(Exception):
    pass


def database_url(alias: str = "default") -> str:
    """The URL of a configured PostgreSQL database (for pg_dump and a subprocess)."""
    sd = settings.DATABASES[alias]
    if "postgresql" not in sd["ENGINE"]:
        raise BackupError("backups need PostgreSQL (DATABASE_URL)")
    user = quote(sd.get("USER") or "", safe="")
    password = quote(sd.get("PASSWORD") or "", safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    port = f":{sd['PORT']}" if sd.get("PORT") else ""
    return f"postgresql://{auth}{sd.get('HOST') or '127.0.0.1'}{port}/{sd['NAME']}"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-2000:]}")


def backup(folder: Path, now: datetime | None = None) -> Path:
    """Write the archive and its checksum file into `folder`; returns the archive."""
    from beredskab import timeline

    now = now or datetime.now(UTC)
    folder.mkdir(parents=True, exist_ok=True)
    archive = folder / f"beredskab-backup-{now.astimezone(UTC):%Y%m%dT%H%M%SZ}.tar"
    with tempfile.TemporaryDirectory(prefix="backup-") as work:
        dump = Path(work) / "database.dump"
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", database_url()])
        heads = Path(work) / "backup-heads.json"
        heads.write_text(json.dumps(timeline.heads(), indent=1), encoding="utf-8")
        members = {"database.dump": dump, "backup-heads.json": heads}
        for name, root in (
            ("uploads", Path(settings.MEDIA_ROOT)),
            ("timeline-heads", Path(settings.VAR_DIR) / "timeline-heads"),
        ):
            if root.is_dir():
                for path in sorted(p for p in root.rglob("*") if p.is_file()):
                    members[f"{name}/{path.relative_to(root).as_posix()}"] = path
        manifest = {
            "created": now.astimezone(UTC).isoformat(),
            "sha256": {name: _sha256(path) for name, path in members.items()},
        }
        partial = archive.with_name(f".{archive.name}.{os.getpid()}.tmp")
        with tarfile.open(partial, "w") as tar:
            for name, path in members.items():
                tar.add(path, arcname=name, recursive=False)
            data = json.dumps(manifest, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        os.replace(partial, archive)
    archive.with_name(archive.name + ".sha256").write_text(
        f"{_sha256(archive)}  {archive.name}\n", encoding="utf-8"
    )
    return archive


def _check(archive: Path) -> None:
    checksum = archive.with_name(archive.name + ".sha256")
    if not checksum.exists():
        raise BackupError(f"{checksum.name} is missing: the archive cannot be checked")
    expected = checksum.read_text(encoding="utf-8").split()[0]
    if _sha256(archive) != expected:
        raise BackupError(f"{archive.name} does not match its checksum: do not restore it")


def _is_empty(url: str) -> bool:
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
    return row[0] == 0


def restore(archive: Path, target_url: str, out=sys.stdout) -> None:
    """Into an EMPTY database: pg_restore, migrate, verify_timeline against the heads
    taken with the backup; uploads and the daily head exports back into place."""
    _check(archive)
    if not _is_empty(target_url):
        raise BackupError("the target database is not empty: restore only into a new one")
    with tempfile.TemporaryDirectory(prefix="restore-") as work, tarfile.open(archive) as tar:
        tar.extractall(work, filter="data")
        root = Path(work)
        manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
        for name, digest in manifest["sha256"].items():
            if _sha256(root / name) != digest:
                raise BackupError(f"{name} in the archive does not match the manifest")
        _run(
            ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={target_url}"]
            + [str(root / "database.dump")]
        )
        env = {**os.environ, "DATABASE_URL": target_url}
        manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
        for step in (
            ["migrate", "--noinput"],
            ["verify_timeline", "--heads", str(root / "backup-heads.json")],
        ):
            done = subprocess.run(manage + step, env=env, capture_output=True, text=True)
            out.write(done.stdout)
            if done.returncode != 0:
                raise BackupError(f"{step[0]} after the restore failed: {done.stderr[-2000:]}")
        for name, dest in (
            ("uploads", Path(settings.MEDIA_ROOT)),
            ("timeline-heads", Path(settings.VAR_DIR) / "timeline-heads"),
        ):
            for path in sorted((root / name).rglob("*")) if (root / name).is_dir() else []:
                if path.is_file():
                    target = dest / path.relative_to(root / name)
                    if not target.exists():
                        target.parent.mkdir(parents=True, exist_ok=True)
                        target.write_bytes(path.read_bytes())
        out.write(f"restored {archive.name} (taken {manifest['created']})\n")
