"""Shared pieces of the benchmarks: the bare PTB baseline, timing, the machine."""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable
from typing import Any

from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from bot.console.bot_api import FakeTelegram, InProcessBotApi

BASELINE_TOKEN = "123456:TEST-token_abcdefghijklmnopqrstuvw"


async def echo(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    """Echo a text back: the whole job of the baseline bot."""
    message = update.effective_message
    if message is not None and message.text:
        await message.reply_text(message.text)


def bare_echo_application(fake: FakeTelegram) -> Application[Any, Any, Any, Any, Any, Any]:
    """A bare python-telegram-bot echo bot on the same in-process double (the baseline)."""
    app = Application.builder().token(BASELINE_TOKEN).request(InProcessBotApi(fake)).build()
    app.add_handler(MessageHandler(filters.ALL, echo))
    return app


async def updates_per_second(
    app: Application[Any, Any, Any, Any, Any, Any], updates: list[dict[str, Any]]
) -> float:
    """Process pre-built updates one after another; updates per second."""
    parsed = [Update.de_json(update, app.bot) for update in updates]
    started = time.perf_counter()
    for update in parsed:
        await app.process_update(update)
    return len(parsed) / (time.perf_counter() - started)


def median(values: list[float]) -> float:
    """The median of ``values``, as a float."""
    return statistics.median(values)


def machine() -> str:
    """One line describing where the figures were measured."""
    return (
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} cores, {platform.machine()}, {platform.system()} {platform.release()}"
    )


def rss_mib(pid: int | str = "self") -> float:
    """Resident memory of a process, in MiB (Linux)."""
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def timed(function: Callable[[], Any]) -> float:
    """Seconds ``function`` took to run once."""
    started = time.perf_counter()
    function()
    return time.perf_counter() - started
