"""Client-side pacing under Telegram's flood limits, on an injectable clock."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from datetime import UTC, datetime
from typing import Protocol

from bot.services.delivery.types import DeliverySettings


class Clock(Protocol):
    """Wall time for the database, monotonic time for pacing, and a way to wait."""

    def now(self) -> datetime: ...
    def monotonic(self) -> float: ...
    async def sleep(self, seconds: float) -> None: ...


class RealClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))


class Pacer:
    """Even spacing overall, one send per chat per interval, N per group per window, pauses.

    Memory stays bounded: chats are forgotten once their interval is over.
    """

    def __init__(self, settings: DeliverySettings, clock: Clock) -> None:
        self._settings = settings
        self._clock = clock
        self._spacing = 1.0 / settings.spacing_rate
        self._starts: deque[float] = deque()
        self._next_slot = 0.0
        self._paused_until = 0.0
        self._chat_last: dict[int, float] = {}
        self._groups: dict[int, deque[float]] = {}

    def chat_wait(self, chat_id: int) -> float:
        """Seconds before ``chat_id`` may receive another message (0: now)."""
        now = self._clock.monotonic()
        wait = 0.0
        last = self._chat_last.get(chat_id)
        if last is not None:
            wait = max(wait, last + self._settings.per_chat_interval - now)
        group = self._groups.get(chat_id)
        if group is not None:
            while group and group[0] <= now - self._settings.group_window:
                group.popleft()
            if len(group) >= self._settings.per_group_per_minute:
                wait = max(wait, group[0] + self._settings.group_window - now)
        return max(0.0, wait)

    async def take_slot(self) -> None:
        """Wait for the next overall slot (and the end of any 429 pause), then take it.

        Two rules together: sends are spaced evenly (no burst for Telegram to punish), and at
        most ``per_second_total`` of them start within any ``window`` seconds (a margin over
        Telegram's second, for the jitter between our clock and its). A loop that woke up a
        little late may catch up half a slot, so the timer's lateness does not lower the rate.
        """
        await self._slot(take=True)

    async def wait_for_slot(self) -> None:
        """Wait until the next overall slot is free, without taking it (claim the row, check
        :meth:`slot_free` again, then :meth:`take_slot`, which then does not wait)."""
        await self._slot(take=False)

    def slot_free(self) -> bool:
        """The next overall slot is free now (no 429 pause came meanwhile)."""
        return self._ready_in(self._clock.monotonic()) <= 0

    def _ready_in(self, now: float) -> float:
        settings = self._settings
        starts = self._starts
        while starts and starts[0] <= now - settings.window:
            starts.popleft()
        ready = max(self._next_slot, self._paused_until)
        if len(starts) >= settings.per_second_total:
            ready = max(ready, starts[0] + settings.window)
        return ready - now

    async def _slot(self, *, take: bool) -> None:
        while True:
            now = self._clock.monotonic()
            wait = self._ready_in(now)
            if wait <= 0:
                if take:
                    base = max(self._next_slot, now - self._spacing / 2)
                    self._next_slot = base + self._spacing
                    self._starts.append(now)
                return
            await self._clock.sleep(wait)

    def record(self, chat_id: int) -> None:
        """Count a send to ``chat_id`` now."""
        now = self._clock.monotonic()
        self._chat_last[chat_id] = now
        if chat_id < 0:
            self._groups.setdefault(chat_id, deque()).append(now)
        if len(self._chat_last) > 4096:
            horizon = now - self._settings.per_chat_interval
            self._chat_last = {c: t for c, t in self._chat_last.items() if t > horizon}

    def pause(self, seconds: float) -> None:
        """Telegram said 429: nothing leaves before ``seconds`` from now."""
        self._paused_until = max(self._paused_until, self._clock.monotonic() + seconds)
