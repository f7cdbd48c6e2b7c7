"""The outbox: plan a message to many chats once, claim each send, record what Telegram said.

Guarantees: a (purpose, chat) pair is planned at most once (unique key, a second ``plan`` is a
no-op); a row is claimed (state "sending") in the database before it leaves and recorded with
Telegram's message id after. Only rows in flight at a hard crash can be in doubt: ``recover``
finds them at the next start and applies the purpose's policy (resend, or keep as "doubt");
either way ``in_doubt`` stays set on the row and is counted in progress reports.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.delivery.announcements import AnnouncementService
from bot.services.delivery.types import Claimed, DeliverySettings, DoubtPolicy
from storage.db import Sessions
from storage.models import utcnow
from storage.repositories.delivery import OutboxRepository

log = logging.getLogger(__name__)
RECORD_ATTEMPTS = 5


@dataclass(frozen=True)
class Progress:
    """Where a mass send stands: how many sent, blocked, failed, in doubt, still to go."""

    total: int
    sent: int
    blocked: int
    failed: int
    doubt: int
    missed: int
    cancelled: int
    pending: int
    in_doubt: int

    @property
    def done(self) -> bool:
        return self.pending == 0


@dataclass(frozen=True)
class Recovery:
    """Sends found in flight at start-up (a crash): how many were resent or kept as doubt."""

    resent: int = 0
    skipped: int = 0


def outbox_rows(
    purpose: str,
    chat_ids: Iterable[int],
    payload: dict[str, Any],
    due_at: datetime | None = None,
    expires_at: datetime | None = None,
) -> list[dict[str, object]]:
    """The outbox rows of one payload to several chats (each chat once)."""
    if len(purpose) > 64 or not purpose:
        raise ValueError(f"purpose must be 1-64 characters: {purpose!r}")
    now = utcnow()
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return [
        {
            "purpose": purpose,
            "chat_id": chat_id,
            "payload": body,
            "due_at": due_at or now,
            "expires_at": expires_at,
            "state": "pending",
            "in_doubt": False,
            "attempts": 0,
            "claimed_by": "",
            "last_error": "",
            "created_at": now,
        }
        for chat_id in dict.fromkeys(chat_ids)
    ]


class DeliveryService:
    """Plan sends into the outbox and keep each row's state; the engine does the sending."""

    def __init__(self, sessions: Sessions, settings: DeliverySettings | None = None) -> None:
        self._sessions = sessions
        self.settings = settings or DeliverySettings()
        self.announcements = AnnouncementService(sessions, self)
        self._listeners: list[Callable[[], None]] = []
        # The lease epoch claims are made under (ha mode, set by lead()); 0: single mode.
        self.epoch = 0
        # SQLite has one writer at a time and makes the others busy-wait in sleeps of up to
        # tens of ms: the worker's own writes queue here instead (no effect on PostgreSQL).
        bind = sessions.kw.get("bind")
        is_sqlite = bind is not None and bind.dialect.name == "sqlite"
        self._writes: contextlib.AbstractAsyncContextManager[object] = (
            asyncio.Lock() if is_sqlite else contextlib.nullcontext()
        )

    def lead(self, epoch: int) -> None:
        """This process leads under ``epoch`` (ha mode): claims name it and need its lease."""
        self.epoch = epoch

    def on_planned(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` after each plan that added rows (the engine wakes up)."""
        self._listeners.append(listener)

    async def plan(
        self,
        purpose: str,
        chat_ids: Iterable[int],
        payload: dict[str, Any],
        due_at: datetime | None = None,
        *,
        expires_at: datetime | None = None,
    ) -> int:
        """Plan ``payload`` to every chat once; returns how many rows are new."""
        async with self._writes, self._sessions.begin() as session:
            added = await self.plan_in(
                session, purpose, chat_ids, payload, due_at, expires_at=expires_at
            )
        if added:
            self.notify()
        return added

    async def plan_in(
        self,
        session: AsyncSession,
        purpose: str,
        chat_ids: Iterable[int],
        payload: dict[str, Any],
        due_at: datetime | None = None,
        *,
        expires_at: datetime | None = None,
    ) -> int:
        """``plan`` inside the caller's transaction (call :meth:`notify` after the commit)."""
        rows = outbox_rows(purpose, chat_ids, payload, due_at, expires_at)
        return await self.insert_in(session, rows)

    async def insert_in(self, session: AsyncSession, rows: list[dict[str, object]]) -> int:
        """Insert rows built by :func:`outbox_rows` (many purposes at once); returns new rows."""
        return await OutboxRepository(session).add_ignoring_duplicates(rows) if rows else 0

    def exclusive(self) -> contextlib.AbstractAsyncContextManager[object]:
        """Hold while writing with another service (reminders) so SQLite writers take turns."""
        return self._writes

    def notify(self) -> None:
        """Wake the delivery engine: new rows are in the outbox."""
        for listener in self._listeners:
            listener()

    async def due(
        self, now: datetime, limit: int, exclude: Iterable[int] = ()
    ) -> list[tuple[int, int]]:
        """(row id, chat id) of pending sends due by ``now``; expired ones become "missed"."""
        async with self._writes, self._sessions.begin() as session:
            repo = OutboxRepository(session)
            await repo.expire(now)
            return await repo.due(now, limit, list(exclude))

    async def next_due_at(self) -> datetime | None:
        async with self._sessions.begin() as session:
            return await OutboxRepository(session).next_due_at()

    async def claim(self, row_ids: Sequence[int], worker: str, now: datetime) -> list[Claimed]:
        """Take these rows for sending if still pending (others may be gone or taken)."""
        async with self._writes, self._sessions.begin() as session:
            rows = await OutboxRepository(session).claim(row_ids, worker, now, self.epoch)
        order = {row_id: n for n, row_id in enumerate(row_ids)}
        return [
            Claimed(
                id=row.id,
                purpose=row.purpose,
                chat_id=row.chat_id,
                payload=json.loads(row.payload),
                attempts=row.attempts,
                in_doubt=row.in_doubt,
            )
            for row in sorted(rows, key=lambda row: order[row.id])
        ]

    async def release(self, row_id: int) -> None:
        """A claimed row that did not leave after all: pending again, as if never claimed."""
        async with self._writes, self._sessions.begin() as session:
            await OutboxRepository(session).release(row_id)

    async def record_sent(self, row_id: int, message_id: int, now: datetime) -> None:
        await self._set(row_id, "sent", message_id=message_id, sent_at=now, last_error="")

    async def record_blocked(self, row_id: int, error: str) -> None:
        await self._set(row_id, "blocked", last_error=error[:300])

    async def record_failed(self, row_id: int, error: str) -> None:
        await self._set(row_id, "failed", last_error=error[:300])

    async def record_retry(self, row_id: int, due_at: datetime, error: str) -> None:
        await self._set(row_id, "pending", due_at=due_at, last_error=error[:300])

    async def record_doubt(self, row_id: int, purpose: str, error: str) -> DoubtPolicy:
        """A send that may have arrived: resend or keep as "doubt", per the purpose's policy."""
        policy = self.settings.policy_for(purpose)
        state = "pending" if policy is DoubtPolicy.RESEND else "doubt"
        await self._set(row_id, state, in_doubt=True, last_error=error[:300])
        return policy

    async def recover(self) -> Recovery:
        """At start-up: rows left "sending" by a crashed process are in doubt; apply policies.

        Assumes one delivery worker at a time (one process in single mode; in ha mode the
        leader), so every "sending" row at start is orphaned: in ha mode, the rows claimed
        under an older epoch (a leader killed, or one that lost its lease mid-send).
        """
        resent = skipped = 0
        epochs: set[int] = set()
        async with self._writes, self._sessions.begin() as session:
            repo = OutboxRepository(session)
            for row in await repo.in_flight(before_epoch=self.epoch):
                epochs.add(row.claim_epoch)
                policy = self.settings.policy_for(row.purpose)
                row.in_doubt = True
                row.last_error = "in flight at a crash"
                if policy is DoubtPolicy.RESEND:
                    row.state = "pending"
                    resent += 1
                else:
                    row.state = "doubt"
                    skipped += 1
        if resent or skipped:
            log.warning(
                "sends in doubt after a crash: %s resent, %s kept as doubt%s",
                resent,
                skipped,
                f" (claimed under epoch {', '.join(map(str, sorted(epochs)))})"
                if self.epoch
                else "",
            )
        return Recovery(resent=resent, skipped=skipped)

    async def cancel_pending(self, purpose_prefix: str) -> int:
        """Pending sends whose purpose starts with ``purpose_prefix`` will not leave."""
        async with self._writes, self._sessions.begin() as session:
            return await OutboxRepository(session).cancel_pending(purpose_prefix)

    async def progress(self, purpose: str) -> Progress:
        """Counts of one mass send, for the organiser's progress message."""
        async with self._sessions.begin() as session:
            counts = await OutboxRepository(session).counts(purpose)
        states = ("sent", "blocked", "failed", "doubt", "missed", "cancelled")
        pending = counts.get("pending", 0) + counts.get("sending", 0)
        return Progress(
            total=sum(v for k, v in counts.items() if k != "in_doubt"),
            pending=pending,
            in_doubt=counts.get("in_doubt", 0),
            **{state: counts.get(state, 0) for state in states},
        )

    def backoff(self, attempts: int) -> timedelta:
        """Wait before retrying after a network error: doubling, capped."""
        seconds = self.settings.backoff_base * 2 ** max(0, attempts - 1)
        return timedelta(seconds=min(seconds, self.settings.backoff_max))

    async def _set(self, row_id: int, state: str, **values: object) -> None:
        # The message has left: recording it must not give up on a busy database, or the row
        # would stay "sending" and be reported in doubt at the next start.
        for attempt in range(RECORD_ATTEMPTS):
            try:
                async with self._writes, self._sessions.begin() as session:
                    await OutboxRepository(session).set_state(row_id, state, **values)
                return
            except OperationalError:
                if attempt == RECORD_ATTEMPTS - 1:
                    raise
                log.warning("recording send %s failed, retrying", row_id, exc_info=True)
                await asyncio.sleep(0.5 * (attempt + 1))
