"""The Bot API double as tests and benchmarks use it: the console's FakeTelegram plus Telegram's
bad days: flood limits (429), forced error answers, dropped connections and late answers.

The production double knows none of this; it plugs in through its seams: the ``flood`` hook
(a RateLimiter) and ``call``, which every transport goes through (wrapped here).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from telegram.error import NetworkError

from bot.console import bot_api
from bot.console.bot_api.records import ApiCall, ApiError, Upload
from tests.support.flood_limits import RateLimiter, RateLimits, max_in_window

__all__ = ["ConnectionDropped", "FakeTelegram", "RateLimits"]
T = TypeVar("T")


class ConnectionDropped(NetworkError):
    """The double hung up without answering: PTB sees a network error, the HTTP server closes
    the connection."""


@dataclass(frozen=True)
class _Fault:
    """A transport fault queued for a method: drop the connection or answer late."""

    kind: str  # "drop" or "delay"
    delay: float = 0.0


class FakeTelegram(bot_api.FakeTelegram):
    """The console's double with flood limits on ``clock`` and faults queued per method."""

    def __init__(
        self,
        *,
        token: str = "123456:TEST-token_abcdefghijklmnopqrstuvw",
        bot_id: int = 123456,
        bot_username: str = "innovdeizh_bot",
        limits: RateLimits | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        # Without limits the limiter refuses nothing but still logs the accepted sends.
        self.limiter = RateLimiter(limits)
        super().__init__(
            token=token, bot_id=bot_id, bot_username=bot_username, flood=self.limiter, clock=clock
        )
        self.failures: dict[str, list[ApiError]] = {}
        # Every refused request: (method, status, Telegram's description), oldest first.
        self.refused: list[tuple[str, int, str]] = []
        self.faults: dict[str, list[_Fault]] = {}

    @property
    def send_log(self) -> list[tuple[float, int | None]]:
        """Accepted sends as (time on the clock, chat id or None for inline messages)."""
        return self.limiter.send_log

    def max_sends_in_window(self, seconds: float = 1.0, chat_id: int | None = None) -> int:
        """Most accepted sends (all chats, or one) within any ``seconds`` on the clock."""
        times = sorted(t for t, chat in self.send_log if chat_id is None or chat == chat_id)
        return max_in_window(times, seconds)

    # --- failure injection ------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        status: int,
        description: str,
        *,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` with this error; they do nothing."""
        parameters = {"retry_after": retry_after} if retry_after is not None else None
        error = ApiError(status, description, parameters)
        self.failures.setdefault(method.lower(), []).extend([error] * times)

    def drop_connections(self, method: str, times: int = 1) -> None:
        """Close the connection of the next calls unanswered (and unperformed)."""
        self.faults.setdefault(method.lower(), []).extend([_Fault("drop")] * times)

    def accept_then_timeout(self, method: str, delay: float, times: int = 1) -> None:
        """Perform the next calls but answer only after ``delay`` seconds."""
        self.faults.setdefault(method.lower(), []).extend([_Fault("delay", delay)] * times)

    async def call(
        self,
        method: str,
        params: dict[str, Any],
        files: Mapping[str, bytes | Upload] | None = None,
    ) -> tuple[int, dict[str, Any]]:
        """The double's answer, after the queued faults: a dropped call is not performed (nor
        does it use up a forced error); a late one is performed, then answered late."""
        key = method.lower()
        fault = _pop(self.faults, key)
        if fault is not None and fault.kind == "drop":
            self._record(ApiCall(method, params, 0, self.clock()))
            raise ConnectionDropped("httpx.RemoteProtocolError: Server disconnected (double)")
        error = _pop(self.failures, key)
        if error is None:
            status, body = await super().call(method, params, files)
        else:
            status, body = error.status, error.body()
            self._record(ApiCall(method, params, status, self.clock()))
        if status != 200:
            self.refused.append((method, status, str(body.get("description", ""))))
        if fault is not None:
            await asyncio.sleep(fault.delay)
        return status, body

    def _record(self, call: ApiCall) -> None:
        self.calls.append(call)
        self.changed()


def _pop(queues: dict[str, list[T]], key: str) -> T | None:
    queue = queues.get(key)
    return queue.pop(0) if queue else None
