"""SQLite backups (``innovdeizh backup`` / ``restore``) with the standard library's sqlite3.

A backup is SQLite's online backup API (``sqlite3.Connection.backup``) in one step: it copies
the pages of one read transaction, so the copy is a consistent snapshot even while the bot
writes (in WAL mode the bot's writers are not blocked meanwhile). Copying in several steps would
let other processes' writes restart it, possibly forever under load. The copy is written beside
its final name and renamed only once ``PRAGMA integrity_check`` says ``ok``.

A restore checks the file first (SQLite, intact, an Alembic revision this code knows), keeps the
current database aside under a timestamped name, then puts a copy of the backup in place; the
next start migrates it if it is older. The ``-wal`` and ``-shm`` files move with the database they
belong to: a WAL left beside a different database file would be replayed into it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from storage.models import Base

SIDECARS = ("-wal", "-shm", "-journal")
SQLITE_HEADER = b"SQLite format 3\x00"


class NotABackup(Exception):
    """The file cannot be restored: not SQLite, damaged, or not this bot's schema."""


@dataclass(frozen=True)
class Snapshot:
    """A checked SQLite file: its size, Alembic revision and rows per model table."""

    path: Path
    size: int
    revision: str
    rows: dict[str, int]


def backup(database: Path, destination: Path) -> Snapshot:
    """Write a consistent, checked copy of ``database`` to ``destination`` (not overwritten)."""
    if destination.exists():
        raise FileExistsError(f"{destination} already exists")
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(f"{destination.name}.partial")
    _remove_with_sidecars(partial)
    try:
        # A read-only URI: the backup never writes to the database it copies.
        uri = f"{database.resolve().as_uri()}?mode=ro"
        with (
            closing(sqlite3.connect(uri, uri=True, timeout=30)) as src,
            closing(sqlite3.connect(partial)) as dst,
        ):
            src.backup(dst, pages=-1)  # one step: one read transaction, one snapshot
        snapshot = inspect_file(partial)
        _fsync(partial)
        partial.replace(destination)
    finally:
        _remove_with_sidecars(partial)
    return Snapshot(destination, snapshot.size, snapshot.revision, snapshot.rows)


def inspect_file(path: Path, shown: Path | None = None) -> Snapshot:
    """Check ``path`` is an intact SQLite database of this bot; raise NotABackup otherwise
    (naming ``shown``, the file the organiser gave, when ``path`` is a copy of it)."""
    name = shown or path
    try:
        with path.open("rb") as file:
            header = file.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise NotABackup(f"cannot read {name}: {exc.strerror}") from None
    if header != SQLITE_HEADER:
        raise NotABackup(f"{name} is not an SQLite database")
    try:
        with closing(sqlite3.connect(path)) as conn:
            problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                raise NotABackup(f"{name} fails PRAGMA integrity_check: {problems[0]}")
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
            if "alembic_version" not in tables:
                raise NotABackup(f"{name} has no alembic_version: not an Innov'Deizh database")
            revisions = [row[0] for row in conn.execute("SELECT version_num FROM alembic_version")]
            rows = {
                table.name: conn.execute(f'SELECT count(*) FROM "{table.name}"').fetchone()[0]
                for table in Base.metadata.sorted_tables
                if table.name in tables
            }
    except sqlite3.DatabaseError as exc:
        raise NotABackup(f"{name} cannot be read as SQLite: {exc}") from None
    if len(revisions) != 1:
        raise NotABackup(f"{name} has {len(revisions)} Alembic revisions, expected one")
    return Snapshot(path, path.stat().st_size, revisions[0], rows)


def restore(backup_file: Path, database: Path, known_revisions: frozenset[str]) -> Path | None:
    """Put a checked copy of ``backup_file`` in place of ``database``; returns where the
    previous database was kept (None when there was none). The caller holds the process lock."""
    incoming = database.with_name(f"{database.name}.restoring")
    _remove_with_sidecars(incoming)
    database.parent.mkdir(parents=True, exist_ok=True)
    try:
        if not backup_file.is_file():
            raise NotABackup(f"{backup_file} is not a file")
        shutil.copyfile(backup_file, incoming)
        # The copy is checked, not the file given: opening it could leave -shm beside it.
        snapshot = inspect_file(incoming, shown=backup_file)
        if snapshot.revision not in known_revisions:
            raise NotABackup(
                f"{backup_file} is at revision {snapshot.revision}, which this version of the"
                " bot does not know (made by a newer version?)"
            )
        _remove_sidecars(incoming)
        _fsync(incoming)
        kept = _keep_aside(database)
        incoming.replace(database)
    finally:
        _remove_with_sidecars(incoming)
    return kept


def file_stamp(now: datetime | None = None) -> str:
    """Local time as file names carry it, sorting in time order: e.g. 20261202-033000:
    YYYYmmdd-HHMMSS (a file name, not a text for members: no Babel)."""
    local = (now or datetime.now(UTC)).astimezone()
    day = f"{local.year:04}{local.month:02}{local.day:02}"
    return f"{day}-{local.hour:02}{local.minute:02}{local.second:02}"


def _keep_aside(database: Path) -> Path | None:
    if not database.exists():
        return None
    stamp = file_stamp()
    kept = database.with_name(f"{database.name}.before-restore-{stamp}")
    for suffix in SIDECARS:  # first, so the database is never beside a WAL not its own
        sidecar = database.with_name(database.name + suffix)
        if sidecar.exists():
            sidecar.replace(kept.with_name(kept.name + suffix))
    database.replace(kept)
    return kept


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_sidecars(path: Path) -> None:
    for suffix in SIDECARS:
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def _remove_with_sidecars(path: Path) -> None:
    _remove_sidecars(path)
    path.unlink(missing_ok=True)
