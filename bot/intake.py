"""Intake: every update is journaled before Telegram is told it arrived, then handled in order.

PTB's ``Updater`` puts a ``getUpdates`` batch in an in-memory queue and sends the next offset
(which confirms the batch to Telegram) on its next long poll, before the batch is handled: a
crash then loses whatever was in the queue. Its only seam between "batch received" and "offset
sent" is ``update_queue.put``, called once per update, so journaling there would cost one
commit per update and still rely on its private loop. This module replaces the Updater with a
short loop of its own (:class:`Polling`): ``getUpdates`` → one transaction for the whole batch
(:meth:`Intake.receive`) → only then the next ``getUpdates`` with the new offset. The webhook
(``bot/webhook.py``) answers 200 only after the same commit.

:class:`Intake` hands journaled updates to ``Application.process_update`` one at a time, in the
order they came (so in order per chat), and marks each done once handled. At start, what is not
done is handled first. A second delivery of an update (a webhook retry, a batch replayed after
a crash) is recognised by its ``update_id`` and not handled again. PTB's ``update_queue`` is not
used: a stop finishes the update in hand and leaves the rest in the journal for the next start.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import warnings
from collections.abc import Awaitable, Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from telegram import Bot, Update
from telegram.error import RetryAfter, TelegramError, TimedOut
from telegram.warnings import PTBUserWarning

from bot.context import AnyApp
from bot.services.intake.journal import Arrival, IntakeJournal

log = logging.getLogger(__name__)
LONG_POLL_SECONDS = 10
# Polling waits while this many updates are queued: the rest can wait at Telegram's (24 h).
MAX_BACKLOG = 1000
# Updates handled and not yet marked done, at most (see Intake.handle): the most a crash can
# have handled again, and only when that many are handled without the event loop turning.
MAX_UNMARKED = 32
# While another connection holds SQLite's write lock, marks are retried at each turn of the
# loop (the holder is usually the next update's own handler, which commits before replying),
# then, past this, written through the engine (which waits for the lock off the loop's thread).
LOCK_PATIENCE_SECONDS = 0.1
PRUNE_EVERY = timedelta(hours=1)
_BACKOFF_MAX_SECONDS = 30.0
# Polling asks getUpdates through do_api_request to get the updates' JSON as it came (see
# Polling._get_updates); PTB suggests get_updates for a method it knows, which would cost a
# to_dict() of every update to journal it.
warnings.filterwarnings("ignore", message=r"Please use 'Bot\.getUpdates'", category=PTBUserWarning)


@dataclass
class Handling:
    """The update this task is handling (ha mode): whether its "answering" mark is written."""

    update_id: int
    over: bool = False
    # A request of the handling was refused (the lease is lost): the update is left not done,
    # for the next leader.
    fenced: bool = False
    _marked: asyncio.Task[None] | None = field(default=None, repr=False)

    async def answering(self, mark: Callable[[int], Awaitable[None]]) -> None:
        """Before each request of the handling: the first writes the mark, all wait for it.

        Tasks started by a handler inherit the context: once the handling is over, their
        requests no longer concern this update.
        """
        if self.over:
            return
        if self._marked is None:
            self._marked = asyncio.ensure_future(mark(self.update_id))
        await asyncio.shield(self._marked)


HANDLING: ContextVar[Handling | None] = ContextVar("intake_handling", default=None)


def received(data: dict[str, Any], bot: Bot) -> tuple[Update, Arrival]:
    """An update as ``getUpdates`` gave it (decoded JSON): the Update and what the journal
    keeps, its JSON written back from ``data`` (a tenth of re-serialising the Update)."""
    update = Update.de_json(data, bot)
    return update, arrival(update, payload_of(data))


def payload_of(data: dict[str, Any]) -> str:
    """The JSON the journal keeps of an update given as decoded JSON."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def arrival(update: Update, payload: str | None = None) -> Arrival:
    """What the journal keeps of ``update`` (``payload``: its JSON as received, if at hand)."""
    user, chat = update.effective_user, update.effective_chat
    return Arrival(
        update_id=update.update_id,
        member_id=user.id if user else None,
        chat_id=chat.id if chat else None,
        payload=payload if payload is not None else json.dumps(update.to_dict()),
    )


class Intake:
    """The journal in front of the Application: receive (journal), then handle in order."""

    def __init__(self, app: AnyApp, journal: IntakeJournal, *, answering: bool = False) -> None:
        self._app = app
        self.journal = journal
        # ha mode: each handling is known to the requests it makes (bot/leadership.py).
        self._answering = answering
        self._queue: asyncio.Queue[Update] = asyncio.Queue()
        self._waiting: list[tuple[list[tuple[Update, Arrival]], asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None
        self._consumer: asyncio.Task[None] | None = None
        self._pruner: asyncio.Task[None] | None = None
        self._in_hand = False
        self._stopping = False
        # Handled, mark not committed yet (SQLite in a file; see handle).
        self._unmarked: list[int] = []
        self._marking_soon: asyncio.Handle | None = None
        self._marking: asyncio.Task[None] | None = None
        self._in_flight = 0  # marks being written through the engine
        self._locked_since: float | None = None
        self._room = asyncio.Event()
        self._room.set()

    @property
    def alive(self) -> bool:
        """Whether updates are being handled (the consumer runs)."""
        return self._consumer is not None and not self._consumer.done()

    @property
    def backlog(self) -> int:
        """Updates journaled and not yet handled by this process."""
        return self._queue.qsize()

    async def room(self) -> None:
        """Return once fewer than ``MAX_BACKLOG`` updates wait in this process."""
        await self._room.wait()

    def _enqueue(self, update: Update) -> None:
        self._queue.put_nowait(update)
        if self._queue.qsize() >= MAX_BACKLOG:
            self._room.clear()

    async def recover(self) -> int:
        """Prune old done rows, then queue the updates a previous run journaled but did not
        finish; returns how many.

        Pruning comes first: after a week without any update Telegram picks the next update id
        at random, which must not meet an old done row.
        """
        await self.journal.prune()
        waiting = await self.journal.waiting()
        for _update_id, payload in waiting:
            self._enqueue(Update.de_json(json.loads(payload), self._app.bot))
        if waiting:
            log.info("intake: %d update(s) from before the restart come first", len(waiting))
        return len(waiting)

    async def receive(self, items: Sequence[tuple[Update, Arrival]]) -> None:
        """Journal these updates (committed on return) and queue the ones not seen before.

        Calls made at the same moment (webhook requests) share one transaction.
        """
        if not items:
            return
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append((list(items), done))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write(), name="intake:writer")
        await done

    async def _write(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting, []
            try:
                new = await self.journal.record([a for items, _ in batch for _, a in items])
            except Exception as exc:
                for _, done in batch:
                    if not done.done():
                        done.set_exception(exc)
                continue
            for items, done in batch:
                for update, item in items:
                    if item.update_id in new:
                        new.discard(item.update_id)  # the same update twice in one batch
                        self._enqueue(update)
                if not done.done():
                    done.set_result(None)

    def start(self) -> None:
        """Handle queued updates (recovered ones first); prune done rows hourly."""
        self._consumer = asyncio.create_task(self._consume(), name="intake:consumer")
        self._pruner = asyncio.create_task(self._prune(), name="intake:pruner")

    async def stop(self) -> None:
        """Finish the update in hand; what is still queued stays in the journal."""
        self._stopping = True
        if self._pruner is not None:
            self._pruner.cancel()
        if self._writer is not None:
            await asyncio.gather(self._writer, return_exceptions=True)
        if self._consumer is None:
            return
        if not self._in_hand:
            self._consumer.cancel()
        await asyncio.gather(self._consumer, return_exceptions=True)
        await self.flush()
        if self._marking_soon is not None:
            self._marking_soon.cancel()
            self._marking_soon = None
        self.journal.close()

    async def idle(self) -> None:
        """Return once every queued update is handled and marked (benchmarks, tests)."""
        await self._queue.join()
        await self.flush()

    @property
    def unmarked(self) -> int:
        """Updates handled whose done mark is not committed yet."""
        return len(self._unmarked) + self._in_flight

    async def _consume(self) -> None:
        while not self._stopping:
            if self._queue.empty():
                await self.flush()  # nothing to do: commit the marks before waiting
            update = await self._queue.get()
            self._in_hand = True
            try:
                await self.handle(update)
            finally:
                self._in_hand = False
                self._queue.task_done()
                if self._queue.qsize() < MAX_BACKLOG:
                    self._room.set()

    async def handle(self, update: Update) -> None:
        """Handle one journaled update, then mark it done (even if a handler failed: the error
        handler has answered, and a second try would fail the same way).

        On SQLite in a file the mark is committed in the event loop's thread at the loop's next
        turn (``loop.call_soon``), without a hop to aiosqlite's thread: the next update's
        handling starts at once, and its first wait lets the mark through — over HTTP a request
        to Telegram yields to the loop before it is written, so the mark is committed before
        the next reply leaves (tests/test_intake_marks.py); waiting for the next update
        commits it too. Updates handled back to back without the loop turning (the in-process
        Bot API answers without waiting) are marked together, at most ``MAX_UNMARKED`` at a
        time. Elsewhere (PostgreSQL, in-memory SQLite) each mark is awaited here, as before.
        """
        handling = Handling(update.update_id) if self._answering else None
        token = HANDLING.set(handling) if handling is not None else None
        try:
            await self._app.process_update(update)
        except Exception:
            log.exception("intake: update %s could not be processed", update.update_id)
        finally:
            if handling is not None and token is not None:
                handling.over = True
                HANDLING.reset(token)
        if handling is not None and handling.fenced:
            log.warning("intake: update %s left to the next leader", update.update_id)
            return
        if not self.journal.marks_now:
            await self._mark_through_engine([update.update_id])
            return
        self._unmarked.append(update.update_id)
        if self.unmarked >= MAX_UNMARKED:
            await self.flush()
        elif self._marking_soon is None:
            self._marking_soon = asyncio.get_running_loop().call_soon(self._mark_soon)

    def _mark_soon(self) -> None:
        self._marking_soon = None
        if self._marking is not None and not self._marking.done():
            return  # marking through the engine: what came since goes with the next flush
        if self._mark_now():
            self._locked_since = None
            return
        loop = asyncio.get_running_loop()
        if self._locked_since is None:
            self._locked_since = loop.time()
        if loop.time() - self._locked_since < LOCK_PATIENCE_SECONDS:
            self._marking_soon = loop.call_soon(self._mark_soon)
        else:
            self._locked_since = None
            self._marking = asyncio.create_task(self.flush(), name="intake:marks")

    def _mark_now(self) -> bool:
        """Commit the pending marks in this thread; False if the database is locked."""
        if not self._unmarked:
            return True
        ids = self._unmarked
        try:
            if not self.journal.done_now(ids):
                return False
        except Exception:
            # Handled but not marked: the next start handles them again.
            log.exception("intake: updates %s handled but not marked done", ids)
        self._unmarked = []
        return True

    async def flush(self) -> None:
        """Commit the done marks of every update handled so far."""
        marking = self._marking
        if marking is not None and marking is not asyncio.current_task():
            await asyncio.gather(marking, return_exceptions=True)
        if self._mark_now():
            return
        ids, self._unmarked = self._unmarked, []
        self._in_flight += len(ids)
        try:
            await self._mark_through_engine(ids)
        except asyncio.CancelledError:
            self._unmarked[:0] = ids  # not known to be written: the next flush writes them
            raise
        finally:
            self._in_flight -= len(ids)

    async def _mark_through_engine(self, ids: list[int]) -> None:
        try:
            await self.journal.done(ids)
        except Exception:
            # Handled but not marked: the next start handles them again.
            log.exception("intake: updates %s handled but not marked done", ids)

    async def _prune(self) -> None:
        while True:
            await asyncio.sleep(PRUNE_EVERY.total_seconds())
            try:
                await self.journal.prune()
            except Exception:
                log.exception("intake: pruning the journal failed; trying again later")


class Polling:
    """Long polling that confirms a batch to Telegram only once it is journaled."""

    def __init__(
        self,
        intake: Intake,
        bot: Bot,
        allowed_updates: list[str],
        *,
        timeout: int = LONG_POLL_SECONDS,
    ) -> None:
        self._intake = intake
        self._bot = bot
        self._allowed = allowed_updates
        self._timeout = timeout
        self._task: asyncio.Task[None] | None = None
        self._offset: int | None = None

    async def start(self) -> None:
        """Make sure no webhook is set (updates would not come), then poll in the background."""
        await self._bot.delete_webhook(drop_pending_updates=False)
        self._task = asyncio.create_task(self._poll(), name="intake:polling")

    async def stop(self) -> None:
        """Stop polling; a batch received and not journaled is sent again by Telegram.

        As PTB's Updater does, one short call confirms the batches journaled so far (the next
        start is not sent them again) and ends the long poll left open on Telegram's side.
        """
        if self._task is None:
            return
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        try:
            await self._bot.get_updates(
                offset=self._offset, timeout=0, limit=1, allowed_updates=self._allowed
            )
        except TelegramError as exc:
            log.info("intake: last getUpdates at stop failed (%s); no harm done", exc)

    async def _poll(self) -> None:
        # No offset at first: Telegram sends what it was not told was received, and what the
        # journal already has is recognised by its update_id.
        failures = 0
        while True:
            await self._intake.room()
            try:
                updates = await self._get_updates()
            except TimedOut:
                continue
            except RetryAfter as exc:
                wait = exc.retry_after
                await asyncio.sleep(wait.total_seconds() if isinstance(wait, timedelta) else wait)
                continue
            except TelegramError as exc:
                failures += 1
                log.warning("intake: getUpdates failed (%s); trying again", exc)
                await asyncio.sleep(_backoff(failures))
                continue
            except Exception:
                failures += 1
                log.exception("intake: getUpdates answered something unreadable")
                await asyncio.sleep(_backoff(failures))
                continue
            if not updates:
                failures = 0
                continue
            try:
                await self._intake.receive(updates)
            except Exception:
                failures += 1
                # Not journaled, so not confirmed: the same offset asks for them again.
                log.exception("intake: could not journal %d update(s); asking again", len(updates))
                await asyncio.sleep(_backoff(failures))
                continue
            failures = 0
            self._offset = updates[-1][0].update_id + 1

    async def _get_updates(self) -> list[tuple[Update, Arrival]]:
        """``Bot.get_updates``, keeping each update's JSON (``received``)."""
        asked: dict[str, Any] = {"timeout": self._timeout, "allowed_updates": self._allowed}
        if self._offset is not None:
            asked["offset"] = self._offset
        # As Bot.get_updates: the long poll's duration on top of the usual read timeout.
        read_timeout = (self._bot.request.read_timeout or 0) + self._timeout
        result = await self._bot.do_api_request(
            "getUpdates", api_kwargs=asked, read_timeout=read_timeout
        )
        if not isinstance(result, list):
            raise TypeError(f"getUpdates answered {type(result).__name__}, not a list")
        items = [received(data, self._bot) for data in result]
        insert = getattr(self._bot, "insert_callback_data", None)  # as ExtBot.get_updates
        if insert is not None:
            for update, _ in items:
                insert(update)
        return items


def _backoff(failures: int) -> float:
    return float(min(_BACKOFF_MAX_SECONDS, 2 ** min(failures - 1, 5)))
