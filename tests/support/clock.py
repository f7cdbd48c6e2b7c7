"""FakeClock: a Clock of the delivery engine (bot/services/delivery/pacing.py) tests move."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta


class FakeClock:
    """A clock tests move by hand: ``sleep`` advances it at once instead of waiting."""

    def __init__(self, start: datetime) -> None:
        self._start = start
        self._elapsed = 0.0

    def now(self) -> datetime:
        return self._start + timedelta(seconds=self._elapsed)

    def monotonic(self) -> float:
        return self._elapsed

    def advance(self, seconds: float) -> None:
        self._elapsed += max(0.0, seconds)

    async def sleep(self, seconds: float) -> None:
        # Let the sends already started reach the Bot API at the current time first, as they
        # would in real time (a few ms), then jump.
        for _ in range(50):
            await asyncio.sleep(0)
        self.advance(seconds)
