"""Flood limits of the Bot API as sliding windows on an injected clock (tests, benchmarks).

RateLimiter is the FloodControl the double's sends pass through (bot/console/bot_api/store.py).
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class RateLimits:
    """Telegram's flood limits; ``retry_after=None`` answers with the time until a slot frees."""

    per_second_total: int = 30
    per_chat_per_second: int = 1
    per_group_per_minute: int = 20
    retry_after: int | None = None


class _Window:
    """Times of accepted sends within the last ``seconds`` (half-open: (now - seconds, now])."""

    __slots__ = ("limit", "seconds", "times")

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit = limit
        self.seconds = seconds
        self.times: deque[float] = deque()

    def wait(self, now: float) -> float:
        """Seconds until one more send fits, 0 if it fits now."""
        while self.times and self.times[0] <= now - self.seconds:
            self.times.popleft()
        if len(self.times) < self.limit:
            return 0.0
        return self.times[len(self.times) - self.limit] + self.seconds - now


class RateLimiter:
    """Refuses sends over the limits (none: refuses nothing) and records the accepted ones."""

    def __init__(self, limits: RateLimits | None) -> None:
        self.limits = limits
        self.send_log: list[tuple[float, int | None]] = []  # accepted sends (time, chat)
        self._total = _Window(limits.per_second_total, 1.0) if limits else None
        self._per_chat: dict[int, _Window] = {}
        self._per_group: dict[int, _Window] = {}

    def _windows(self, chat_id: int | None) -> list[_Window]:
        limits = self.limits
        if limits is None or self._total is None:
            return []
        windows = [self._total]
        if chat_id is not None:
            chat = self._per_chat.get(chat_id)
            if chat is None:
                chat = self._per_chat[chat_id] = _Window(limits.per_chat_per_second, 1.0)
            windows.append(chat)
            if chat_id < 0:
                group = self._per_group.get(chat_id)
                if group is None:
                    group = self._per_group[chat_id] = _Window(limits.per_group_per_minute, 60.0)
                windows.append(group)
        return windows

    def admit(self, chat_id: int | None, now: float) -> int | None:
        """Take a slot for a send at ``now``; if none is free, return the retry_after to answer."""
        windows = self._windows(chat_id)
        wait = max((window.wait(now) for window in windows), default=0.0)
        if wait > 0:
            assert self.limits is not None
            fixed = self.limits.retry_after
            # Telegram never answers retry_after 0, and PTB ignores a zero value.
            return fixed if fixed is not None else max(1, math.ceil(wait))
        for window in windows:
            window.times.append(now)
        self.send_log.append((now, chat_id))
        return None


def max_in_window(times: Sequence[float], seconds: float) -> int:
    """The largest number of ``times`` (sorted) falling in any window [t, t + seconds)."""
    best = 0
    for i, start in enumerate(times):
        end = bisect_left(times, start + seconds, lo=i)
        best = max(best, end - i)
    return best
