"""``innovdeizh migrate-db``, ``backup`` and ``restore``: moving and keeping the database.

Each prints what it did and exits 0, or one line on stderr and exit 2 when it refuses (a bot is
running on the file, the target is not empty, the file is not a backup…), 1 when a copy does not
check out. URLs are printed without their password (``storage.db.safe_url``).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import Config
from storage.backup import NotABackup, backup, file_stamp, restore
from storage.db import create_engine, safe_url
from storage.locks import DatabaseInUse, single_process, sqlite_file
from storage.migrate import known_revisions, upgrade
from storage.transfer import CountMismatch, TargetNotEmpty, copy_database

COMMANDS = frozenset({"migrate-db", "backup", "restore"})
EXIT_FAILED, EXIT_REFUSED = 1, 2
DRIVERS = frozenset({"postgresql+asyncpg", "sqlite+aiosqlite"})  # the drivers the bot ships


def add_parser(sub: Any) -> None:
    """The ``migrate-db``, ``backup`` and ``restore`` sub-commands."""
    migrate = sub.add_parser(
        "migrate-db", help="copy the database into an empty one (SQLite to PostgreSQL)"
    )
    migrate.add_argument("--to", required=True, help="postgresql+asyncpg://user@host/dbname")
    migrate.add_argument("--from", dest="source", help="default: the configured database")
    save = sub.add_parser("backup", help="a consistent copy of the SQLite database, while it runs")
    save.add_argument("file", nargs="?", type=Path, help="default: backups/ beside the database")
    back = sub.add_parser("restore", help="put a backup in place of the SQLite database")
    back.add_argument("file", type=Path)


def run(args: argparse.Namespace, config: Config) -> int:
    """Run one of the three; returns the exit code."""
    try:
        if args.command == "migrate-db":
            return _migrate_db(args.source or config.database.url, args.to)
        if args.command == "backup":
            return _backup(config.database.url, args.file)
        return _restore(config.database.url, args.file)
    except DatabaseInUse as exc:
        return _refuse(f"{args.command}: {exc}; stop it first")


def _refuse(line: str, code: int = EXIT_REFUSED) -> int:
    print(line, file=sys.stderr)
    return code


def _migrate_db(source_url: str, target_url: str) -> int:
    for option, url in (("--to", target_url), ("--from", source_url)):
        try:
            driver = make_url(url).drivername
        except ArgumentError:
            driver = ""
        if driver not in DRIVERS:
            return _refuse(f"migrate-db: {option} must be a {' or '.join(sorted(DRIVERS))} URL")
    if safe_url(source_url) == safe_url(target_url):
        return _refuse("migrate-db: --to names the source database itself")
    source_file = sqlite_file(source_url)
    if source_file is not None and not source_file.is_file():
        return _refuse(f"migrate-db: no database at {source_file}")
    # The source's lock: no bot writes what the copy would miss, nor starts on the target.
    with single_process(source_url), single_process(target_url):
        return asyncio.run(_copy(source_url, target_url))


async def _copy(source_url: str, target_url: str) -> int:
    source, target = create_engine(source_url), create_engine(target_url)
    shown = safe_url(target_url)
    try:
        for url, engine in ((source_url, source), (target_url, target)):
            if reason := await _unreachable(engine):
                return _refuse(f"migrate-db: cannot connect to {safe_url(url)} ({reason})")
        print(f"copying {safe_url(source_url)} into {shown}")
        started = time.perf_counter()
        await upgrade(source)  # what the next start would do; the copy needs the newest schema
        copied = await copy_database(source, target)
        seconds = time.perf_counter() - started
    except TargetNotEmpty as exc:
        return _refuse(f"migrate-db: refused, {exc} ({shown}); nothing was copied")
    except CountMismatch as exc:
        return _refuse(f"migrate-db: {exc}", EXIT_FAILED)
    finally:
        await source.dispose()
        await target.dispose()
    _print_counts(copied.rows)
    total = sum(copied.rows.values())
    print(f"{total} rows in {len(copied.rows)} tables copied and counted in {seconds:.1f} s")
    if copied.sequences:
        print(f"{len(copied.sequences)} id sequences set past the largest id (checked)")
    print(f"next: set INNOVDEIZH_DATABASE_URL (or [database] url) to {shown} and start the bot")
    return 0


async def _unreachable(engine: AsyncEngine) -> str | None:
    try:
        async with asyncio.timeout(10), engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception as exc:  # any driver error means the same thing to the organiser
        return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return None


def _backup(url: str, file: Path | None) -> int:
    database = sqlite_file(url)
    if database is None:
        return _refuse(f"backup: {safe_url(url)} is PostgreSQL, use pg_dump:\n{_pg_dump(url)}")
    if not database.is_file():
        return _refuse(f"backup: no database at {database}")
    destination = file or database.parent / "backups" / f"innovdeizh-{file_stamp()}.sqlite3"
    started = time.perf_counter()
    try:
        snapshot = backup(database, destination)
    except FileExistsError:
        return _refuse(f"backup: {destination} already exists (nothing written)")
    except (OSError, NotABackup) as exc:
        return _refuse(f"backup: failed, nothing written ({exc})", EXIT_FAILED)
    seconds = time.perf_counter() - started
    print(
        f"{snapshot.path}: {_size(snapshot.size)}, integrity ok, revision {snapshot.revision},"
        f" {seconds:.2f} s"
    )
    _print_counts(snapshot.rows)
    return 0


def _restore(url: str, file: Path) -> int:
    database = sqlite_file(url)
    if database is None:
        return _refuse(
            f"restore: {safe_url(url)} is PostgreSQL, use pg_restore:\n{_pg_restore(url, file)}"
        )
    with single_process(url):  # refused while a bot runs; no bot starts mid-restore
        try:
            kept = restore(file, database, known_revisions())
        except NotABackup as exc:
            return _refuse(f"restore: refused, {exc}; nothing changed")
        except OSError as exc:
            return _refuse(f"restore: failed ({exc}); nothing changed", EXIT_FAILED)
    print(f"{database} restored from {file}")
    if kept is not None:
        print(f"the previous database is kept as {kept}")
    print("migrations, if the backup is older, run at the next start")
    return 0


def _pg_args(url: str) -> str:
    parts = make_url(url)
    args = [f"-h {parts.host or 'localhost'}", f"-p {parts.port or 5432}"]
    if parts.username:
        args.append(f"-U {parts.username}")
    return " ".join([*args, f"-d {parts.database}"])


def _pg_dump(url: str) -> str:
    return (
        f"  pg_dump -Fc {_pg_args(url)} -f innovdeizh-$(date +%Y%m%d-%H%M%S).dump\n"
        "(the password from PGPASSWORD or ~/.pgpass; see README, « Backup and restore »)"
    )


def _pg_restore(url: str, file: Path) -> str:
    return (
        f"  pg_restore --clean --if-exists --no-owner {_pg_args(url)} {file}\n"
        "(stop every instance first; the password from PGPASSWORD or ~/.pgpass)"
    )


def _size(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MiB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KiB"


def _print_counts(rows: Mapping[str, int]) -> None:
    filled = {table: count for table, count in rows.items() if count}
    width = max(map(len, filled), default=5)
    for table, count in sorted(filled.items()):
        print(f"  {table:<{width}}  {count:>8}")
    if empty := len(rows) - len(filled):
        print(f"  ({empty} other tables empty)")
