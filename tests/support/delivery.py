"""Helpers for delivery tests: a bot on the in-process double with a shared fake clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from telegram import Bot

from bot.app import OFFLINE_TOKEN
from bot.console.bot_api import InProcessBotApi
from tests.support.bot_api import FakeTelegram, RateLimits
from tests.support.clock import FakeClock

START = datetime(2027, 2, 10, 9, 0, tzinfo=UTC)


def limited_double(clock: FakeClock, users: range) -> FakeTelegram:
    """A double with Telegram's flood limits on ``clock``, knowing ``users``."""
    fake = FakeTelegram(limits=RateLimits(), clock=clock.monotonic)
    for user_id in users:
        fake.add_user(user_id, f"Membre {user_id}")
    return fake


@asynccontextmanager
async def bot_on(fake: FakeTelegram, read_timeout: float = 5.0) -> AsyncIterator[Bot]:
    request = InProcessBotApi(fake, read_timeout=read_timeout)
    bot = Bot(OFFLINE_TOKEN, request=request, get_updates_request=request)
    async with bot:
        yield bot
