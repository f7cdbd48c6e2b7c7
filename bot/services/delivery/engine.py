"""The delivery loop: claim due outbox rows one by one at Telegram's pace and send them.

At most ``concurrency`` sends are in flight (claimed, not yet recorded) at any instant, and a
row is claimed only right before its request leaves, which bounds what a hard crash can leave
in doubt to the requests actually started. A clean stop stops claiming and waits for the
sends in flight to be recorded, so it leaves nothing in doubt.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta

from bot.metrics import SENDS, TELEGRAM_429
from bot.services.delivery.outbox import DeliveryService
from bot.services.delivery.pacing import Clock, Pacer, RealClock
from bot.services.delivery.types import (
    Claimed,
    InDoubt,
    Rejected,
    RetryLater,
    Sender,
    TransientError,
    Unreachable,
)

log = logging.getLogger(__name__)
Blocked = Callable[[int], Awaitable[None]]


STOP_CHECK = 0.1  # seconds between two looks at ``should_stop`` while idle


class DeliveryEngine:
    """Sends what the outbox says is due, through ``sender``, until told to stop."""

    def __init__(
        self,
        service: DeliveryService,
        sender: Sender,
        *,
        clock: Clock | None = None,
        on_blocked: Blocked | None = None,
        worker_id: str | None = None,
    ) -> None:
        self._service = service
        self._sender = sender
        self._settings = service.settings
        self._clock = clock or RealClock()
        self._pacer = Pacer(self._settings, self._clock)
        self._on_blocked = on_blocked
        self.worker_id = worker_id or f"worker-{uuid.uuid4().hex[:12]}"
        self._slots = asyncio.Semaphore(self._settings.concurrency)
        self._in_flight: dict[int, asyncio.Task[None]] = {}
        self._wake = asyncio.Event()
        service.on_planned(self._wake.set)

    def wake(self) -> None:
        """Look at the outbox now (something was planned)."""
        self._wake.set()

    async def run(self, should_stop: Callable[[], bool]) -> None:
        """Recover crashed sends, then send until ``should_stop()``; finish what is in flight."""
        await self._service.recover()
        try:
            while not should_stop():
                if not await self._step(should_stop):
                    await self._idle(self._settings.idle_poll, should_stop)
        finally:
            await self._finish_in_flight()

    async def drain(self, *, recover: bool = True) -> None:
        """Send everything due now and later, then return (tests, benches, the CLI)."""
        if recover:
            await self._service.recover()
        while True:
            if await self._step(lambda: False):
                continue
            if self._in_flight:
                await asyncio.wait(list(self._in_flight.values()))
                continue
            next_due = await self._service.next_due_at()
            if next_due is None:
                return
            await self._clock.sleep((next_due - self._clock.now()).total_seconds())

    async def _step(self, should_stop: Callable[[], bool]) -> bool:
        """Start every due send the limits allow now; False when nothing could start.

        A row is claimed ("sending") only once its turn has come: the pacer's next slot is free,
        then the row is claimed, then the slot is taken and the request leaves. So a hard crash
        leaves "sending" (hence in doubt) only requests that were handed to the network; rows
        still waiting their turn stay "pending" and are sent after the restart. The pacer is
        still the last gate before the request, so the database's latency never brings two
        sends closer than it spaced them.
        """
        now = self._clock.now()
        batch = await self._service.due(now, self._settings.batch_size, self._in_flight)
        started = False
        soonest: float | None = None
        ready: list[tuple[int, int]] = []
        for row_id, chat_id in batch:
            wait = self._pacer.chat_wait(chat_id)
            if wait > 0:
                soonest = wait if soonest is None else min(soonest, wait)
            elif all(chat_id != chat for _, chat in ready):  # one per chat per pass
                ready.append((row_id, chat_id))
        for row_id, _ in ready:
            if should_stop():
                break
            await self._slots.acquire()
            row = await self._claim_on_time(row_id)
            if row is None:  # taken or gone meanwhile
                self._slots.release()
                continue
            await self._pacer.take_slot()  # free: checked right after the claim
            self._pacer.record(row.chat_id)
            self._in_flight[row.id] = asyncio.create_task(self._send(row))
            started = True
        if not started and soonest is not None:
            # Only chats still inside their interval are due: wait for the first to free up.
            await self._clock.sleep(soonest)
            return True
        return started

    async def _claim_on_time(self, row_id: int) -> Claimed | None:
        """Claim the row once the pacer lets a send leave, and only if it still does after the
        claim (a 429 may have paused everything meanwhile: the row goes back to pending)."""
        while True:
            await self._pacer.wait_for_slot()
            claimed = await self._service.claim([row_id], self.worker_id, self._clock.now())
            if not claimed:
                return None
            if self._pacer.slot_free():
                return claimed[0]
            await self._service.release(row_id)

    async def _send(self, row: Claimed) -> None:
        try:
            await self._deliver(row)
        except Exception:  # the outcome could not be recorded: the row stays "sending"
            log.exception("send %s to %s could not be recorded; in doubt", row.id, row.chat_id)
        finally:
            self._in_flight.pop(row.id, None)
            self._slots.release()
            self._wake.set()

    async def _deliver(self, row: Claimed) -> None:
        service = self._service
        try:
            message_id = await self._sender(row)
        except RetryLater as exc:
            TELEGRAM_429.inc()
            SENDS.labels("retry").inc()
            self._pacer.pause(exc.seconds)
            due = self._clock.now() + timedelta(seconds=exc.seconds)
            await service.record_retry(row.id, due, f"429: {exc}")
        except Unreachable as exc:
            SENDS.labels("blocked").inc()
            await service.record_blocked(row.id, f"403: {exc}")
            if self._on_blocked is not None and row.chat_id > 0:
                await self._on_blocked(row.chat_id)
        except TransientError as exc:
            if row.attempts >= self._settings.max_attempts:
                SENDS.labels("failed").inc()
                await service.record_failed(row.id, f"network, gave up: {exc}")
            else:
                SENDS.labels("retry").inc()
                due = self._clock.now() + service.backoff(row.attempts)
                await service.record_retry(row.id, due, f"network: {exc}")
        except InDoubt as exc:
            SENDS.labels("doubt").inc()
            await service.record_doubt(row.id, row.purpose, f"timeout: {exc}")
        except Rejected as exc:
            SENDS.labels("failed").inc()
            await service.record_failed(row.id, f"rejected: {exc}")
        except Exception as exc:  # a bug in a payload or sender must not stop the others
            SENDS.labels("failed").inc()
            log.exception("send %s failed unexpectedly", row.id)
            await service.record_failed(row.id, f"error: {type(exc).__name__}: {exc}")
        else:
            SENDS.labels("sent").inc()
            await service.record_sent(row.id, message_id, self._clock.now())

    async def _idle(self, longest: float, should_stop: Callable[[], bool] = lambda: False) -> None:
        """Wait for a plan, the next due row or ``longest``; a stop is seen within STOP_CHECK
        seconds (the Application's stop awaits this loop: Ctrl-C must not wait a whole poll)."""
        self._wake.clear()
        next_due = await self._service.next_due_at()
        if next_due is not None:
            longest = min(longest, max(0.0, (next_due - self._clock.now()).total_seconds()))
        loop = asyncio.get_running_loop()
        deadline = loop.time() + longest
        while not should_stop() and (remaining := deadline - loop.time()) > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), min(remaining, STOP_CHECK))
                return

    async def _finish_in_flight(self) -> None:
        if self._in_flight:
            await asyncio.gather(*self._in_flight.values(), return_exceptions=True)
