"""SQLite only: the intake journal's writes (a batch recorded, done marks) on a plain sqlite3
connection in the event loop's thread.

Why: through aiosqlite a done mark is a transaction of hand-overs to the driver's thread
(begin, execute, commit), about 1.4 ms of CPU and 2.7 ms of wall time on the busy 2-core
machine, five times what handling the update costs; a batch of 100 recorded cost ~36 µs an
update. Here a mark is one autocommitted ``UPDATE … WHERE update_id IN (…)`` and a batch one
short transaction (WAL, ``synchronous=NORMAL`` as the engine's connections: a commit appends to
the WAL without fsync, and survives a killed process as theirs do), microseconds an update.

It never waits for SQLite's write lock (``busy_timeout`` 0): another connection of this process
may hold it across an ``await``, and waiting here would stop the very loop that must release it.
A locked database answers ``False`` and the caller marks through the engine instead.
"""

from __future__ import annotations

import sqlite3
import weakref
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.dialects import sqlite

from storage.models import InboundUpdate

# As the ORM writes the column on SQLite (naive UTC, SQLAlchemy's text format).
_PROCESS = InboundUpdate.__table__.c.done_at.type.bind_processor(sqlite.dialect())
# SQLite's default limit on host parameters is 999 (older builds) or 32,766.
_CHUNK = 500


_COLUMNS = ("update_id", "member_id", "chat_id", "payload", "received_at", "attempts")
_INSERT = (
    f"INSERT INTO inbound_updates ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * 6)})"
    " ON CONFLICT (update_id) DO NOTHING"
)


class DirectSqliteIntake:
    def __init__(self, database: str) -> None:
        self._database = database
        self._connection: sqlite3.Connection | None = None

    def _open(self) -> sqlite3.Connection:
        if self._connection is None:
            connection = sqlite3.connect(
                self._database, timeout=0, isolation_level=None, check_same_thread=False
            )
            # As storage/db.py's connections: same durability, erased text overwritten.
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute("PRAGMA secure_delete=ON")
            self._connection = connection
            weakref.finalize(self, connection.close)
        return self._connection

    def add_new(self, rows: Sequence[dict[str, Any]]) -> set[int] | None:
        """As IntakeRepository.add_new, committed on return; None if another connection holds
        the write lock (nothing written)."""
        ids = [int(row["update_id"]) for row in rows]
        values = [
            (*(row[column] for column in _COLUMNS[:4]), _datetime(row["received_at"]), 0)
            for row in rows
        ]
        connection = self._open()
        try:
            connection.execute("BEGIN IMMEDIATE")
            seen = {
                int(found)
                for start in range(0, len(ids), _CHUNK)
                for (found,) in connection.execute(
                    "SELECT update_id FROM inbound_updates WHERE update_id IN"
                    f" ({', '.join('?' * len(ids[start : start + _CHUNK]))})",
                    ids[start : start + _CHUNK],
                )
            }
            connection.executemany(_INSERT, values)
            connection.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            if _locked(exc):
                return None
            raise
        return set(ids) - seen

    def mark_done(self, update_ids: Sequence[int], at: datetime) -> bool:
        """Done (only the id and the times stay), committed on return; False if another
        connection holds the write lock (nothing written)."""
        if not update_ids:
            return True
        when = _datetime(at)
        connection = self._open()
        ids = list(update_ids)
        try:
            if len(ids) > _CHUNK:
                connection.execute("BEGIN IMMEDIATE")
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start : start + _CHUNK]
                marks = ", ".join("?" * len(chunk))
                connection.execute(
                    "UPDATE inbound_updates SET done_at = ?, payload = NULL, chat_id = NULL,"
                    f" member_id = NULL WHERE update_id IN ({marks})",
                    (when, *chunk),
                )
            if connection.in_transaction:
                connection.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            if _locked(exc):
                return False
            raise
        return True

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def _datetime(value: datetime) -> Any:
    return _PROCESS(value) if _PROCESS is not None else value


def _locked(exc: sqlite3.OperationalError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}
    return "locked" in str(exc) or "busy" in str(exc)
