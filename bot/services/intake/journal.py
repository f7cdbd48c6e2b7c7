"""The intake journal's rules: what is written before Telegram is told an update arrived, when
it is done, what waits after a crash, how long done rows stay, and whether intake is stuck.

Telegram-free: an update is its ``update_id``, who sent it, where, and its JSON.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.metrics import UPDATES_IN_DOUBT
from storage.models import utcnow
from storage.repositories.intake import IntakeRepository
from storage.repositories.intake_direct import DirectSqliteIntake

log = logging.getLogger(__name__)
# An update found not done at this many starts is given up (it kills the process every time).
MAX_STARTS = 3


@dataclass(frozen=True)
class Arrival:
    """An update as it arrived: id, sender and chat (for erasure), its JSON."""

    update_id: int
    member_id: int | None
    chat_id: int | None
    payload: str


class IntakeJournal:
    """Record arrivals, mark them done, hand back what waits, prune."""

    def __init__(self, engine: AsyncEngine, *, keep_done: timedelta) -> None:
        self._engine = engine
        self.keep_done = keep_done
        database = engine.url.database
        # SQLite in a file: the journal's writes on a plain connection in the loop's thread.
        self._direct = (
            DirectSqliteIntake(database)
            if engine.dialect.name == "sqlite" and database and database != ":memory:"
            else None
        )

    @property
    def marks_now(self) -> bool:
        """Whether :meth:`done_now` can mark without leaving the event loop's thread."""
        return self._direct is not None

    async def record(self, arrivals: Sequence[Arrival]) -> set[int]:
        """Write a batch in one transaction; returns the ids not seen before (to handle)."""
        if not arrivals:
            return set()
        now = utcnow()
        rows = [
            {
                "update_id": a.update_id,
                "member_id": a.member_id,
                "chat_id": a.chat_id,
                "payload": a.payload,
                "received_at": now,
                "attempts": 0,
            }
            for a in arrivals
        ]
        if self._direct is not None:
            new = self._direct.add_new(rows)
            if new is not None:
                return new
            # Another connection holds the write lock: wait for it through the engine.
        async with self._engine.begin() as conn:
            return await IntakeRepository(conn).add_new(rows)

    async def done(self, update_ids: Sequence[int]) -> None:
        """Handled: the rows keep only their ids and times."""
        async with self._engine.begin() as conn:
            await IntakeRepository(conn).mark_done(update_ids, utcnow())

    async def answering(self, update_id: int) -> None:
        """Before the first Bot API request of an update's handling (ha mode): committed, so a
        leader that dies before the done mark leaves the update in doubt, not to answer again.
        A failure is logged and the request goes on (answering matters more than the mark)."""
        try:
            async with self._engine.begin() as conn:
                await IntakeRepository(conn).mark_answering(update_id, utcnow())
        except Exception:
            log.exception("intake: update %s answered without its answering mark", update_id)

    def done_now(self, update_ids: Sequence[int]) -> bool:
        """As :meth:`done`, committed before returning, in this thread; False when it cannot
        (not SQLite in a file, or another connection holds the write lock)."""
        if self._direct is None:
            return False
        return self._direct.mark_done(update_ids, utcnow())

    def close(self) -> None:
        """Close the direct connection, if any."""
        if self._direct is not None:
            self._direct.close()

    async def waiting(self) -> list[tuple[int, str]]:
        """At start: (update_id, JSON) not done, in arrival order; counts the start, and gives
        up (logged) on updates found at more than ``MAX_STARTS`` starts, and on updates found
        being answered (ha mode: the previous leader may have answered them)."""
        async with self._engine.begin() as conn:
            repo = IntakeRepository(conn)
            in_doubt = await repo.give_up_answering(utcnow())
            await repo.count_start()
            given_up = await repo.give_up(MAX_STARTS, utcnow())
            waiting = await repo.pending()
        if in_doubt:
            UPDATES_IN_DOUBT.inc(len(in_doubt))
            log.warning(
                "intake: %d update(s) in doubt, not handled again (the previous leader was "
                "answering them when it stopped): %s",
                len(in_doubt),
                ", ".join(map(str, in_doubt[:20])),
            )
        if given_up:
            log.error(
                "intake: gave up %d update(s) found unhandled at %d starts: %s",
                len(given_up),
                MAX_STARTS + 1,
                ", ".join(map(str, given_up[:20])),
            )
        return waiting

    async def prune(self) -> int:
        """Delete done rows older than ``keep_done``; returns how many."""
        async with self._engine.begin() as conn:
            removed = await IntakeRepository(conn).prune(utcnow() - self.keep_done)
        if removed:
            log.info("intake: pruned %d handled update(s)", removed)
        return removed

    async def oldest_waiting(self) -> datetime | None:
        """When the oldest update not done arrived (None: nothing waits)."""
        async with self._engine.connect() as conn:
            return await IntakeRepository(conn).oldest_pending()

    async def ready(self, stuck_after: timedelta) -> tuple[bool, str]:
        """Database reachable and nothing waiting longer than ``stuck_after``: (ok, why)."""
        try:
            async with self._engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
                oldest = await IntakeRepository(conn).oldest_pending()
        except Exception as exc:  # any driver error means the same: not ready
            return False, f"database unreachable ({type(exc).__name__})"
        if oldest is not None and utcnow() - oldest > stuck_after:
            waited = int((utcnow() - oldest).total_seconds())
            return False, f"intake stuck: an update has waited {waited} s"
        return True, "ready"
