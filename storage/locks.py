"""Cluster-wide locks: several bot instances may share one PostgreSQL database.

On PostgreSQL a session-level advisory lock serialises the holders; on SQLite (one machine, one
bot process by design) that lock is a no-op, and ``single_process`` refuses a second process.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

# Arbitrary, fixed keys: one per purpose.
STARTUP_LOCK = 0x1D_2013


@asynccontextmanager
async def exclusive(engine: AsyncEngine, key: int) -> AsyncIterator[None]:
    """Hold the lock ``key`` for the duration of the block (waits for other holders)."""
    if engine.dialect.name != "postgresql":
        yield
        return
    async with engine.connect() as conn:
        await conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
        await conn.commit()
        try:
            yield
        finally:
            await conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
            await conn.commit()


class DatabaseInUse(Exception):
    """Another process holds the single-process lock of this SQLite file."""

    def __init__(self, database: str, pid: int | None) -> None:
        self.database, self.pid = database, pid
        holder = f"pid {pid}" if pid else "pid unknown"
        super().__init__(f"another bot process is already using {database} ({holder})")


def sqlite_file(url: str) -> Path | None:
    """The file a SQLite URL names (None for PostgreSQL and in-memory databases)."""
    if not url.startswith("sqlite"):
        return None
    database = make_url(url).database
    return Path(database) if database and database != ":memory:" else None


@contextmanager
def single_process(url: str) -> Iterator[None]:
    """Hold this SQLite file's process lock for the block; raise DatabaseInUse if another
    process holds it. PostgreSQL and in-memory databases: nothing to hold.

    An OS lock (``flock``) on ``<database>.lock``, not a PID file: the kernel releases it when
    the process ends, however it ends (SIGKILL, OOM, power loss), so a stale file never blocks
    a start, and no PID-reuse guess is needed. The PID written inside is only for the message.
    Python opens files non-inheritable (PEP 446), so a child process never keeps the lock.
    """
    database = sqlite_file(url)
    if database is None:
        yield
        return
    database.parent.mkdir(parents=True, exist_ok=True)
    real = database.resolve()  # one lock per file, whatever path or symbolic link names it
    fd = os.open(real.with_name(f"{real.name}.lock"), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DatabaseInUse(str(database), _pid_in(fd)) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock; the file stays (removing it would race a newcomer)


def _pid_in(fd: int) -> int | None:
    content = os.pread(fd, 32, 0).decode(errors="replace").strip()
    return int(content) if content.isdigit() else None
