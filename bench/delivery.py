"""Mass sending under Telegram's limits: our delivery worker vs PTB's AIORateLimiter.

Run with ``python -m bench.delivery [recipients] [baseline_recipients]`` (default 10000, 900).
Both send through the loopback HTTP Bot API double configured with Telegram's limits (it
answers 429 beyond 30 sends/s overall, 1/s per chat). Ours is the real worker process
(``python -m bot.delivery_process``) on a migrated SQLite outbox; the baseline is a bare
python-telegram-bot ``Bot`` with ``AIORateLimiter`` sending the same message with
``asyncio.gather`` (its documented use), measured in the same run on fewer recipients.
Reported: achieved rate, most sends in any 1-second window, 429 answers, duplicates, lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from telegram import Bot
from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter, ExtBot

from bench.common import BASELINE_TOKEN, machine
from bot.services.delivery.outbox import DeliveryService
from storage.db import create_engine, create_sessions
from storage.migrate import upgrade
from tests.support.bot_api import FakeTelegram, RateLimits
from tests.support.http_server import BotApiHttpServer

TEXT = "⏰ Rappel : débriefing jeudi 13 février à 14h, Maison des associations de Rennes."
CEILING = 30.0


def _double(recipients: int) -> FakeTelegram:
    fake = FakeTelegram(limits=RateLimits())
    for chat in range(1, recipients + 1):
        fake.add_user(chat, f"Membre {chat}")
    return fake


def _report(name: str, fake: FakeTelegram, recipients: int) -> dict[str, float]:
    accepted = sorted(t for t, _ in fake.send_log)
    per_chat = Counter(chat for _, chat in fake.send_log)
    span = accepted[-1] - accepted[0] if len(accepted) > 1 else 1.0
    figures = {
        "rate": (len(accepted) - 1) / span,
        "max_in_1s": float(fake.max_sends_in_window(1.0)),
        "first_second": float(len([t for t in accepted if t < accepted[0] + 1.0])),
        "tried_first_second": float(
            len([c for c in fake.calls if c.method == "sendMessage" and c.at < accepted[0] + 1.0])
        ),
        "answers_429": float(len([c for c in fake.calls if c.status == 429])),
        "duplicates": float(sum(n - 1 for n in per_chat.values() if n > 1)),
        "lost": float(recipients - len(per_chat)),
    }
    print(
        f"{name:<22} {recipients:>6} sent  rate {figures['rate']:5.2f}/s "
        f"({figures['rate'] / CEILING:.3f} of 30/s)  max in 1 s {figures['max_in_1s']:.0f}  "
        f"first second {figures['first_second']:.0f} accepted of "
        f"{figures['tried_first_second']:.0f} tried  429s {figures['answers_429']:.0f}  "
        f"duplicates {figures['duplicates']:.0f}  lost {figures['lost']:.0f}"
    )
    return figures


async def ours(recipients: int) -> dict[str, float]:
    """Our delivery worker's figures for ``recipients`` sends through the HTTP double."""
    fake = _double(recipients)
    server = BotApiHttpServer(fake)
    base_url = await server.start()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'outbox.sqlite3'}"
        engine = create_engine(url)
        await upgrade(engine)
        await DeliveryService(create_sessions(engine)).plan("bench:1", range(1, recipients + 1), {
            "kind": "text", "text": TEXT,
        })  # fmt: skip
        await engine.dispose()
        started = time.perf_counter()
        worker = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.delivery_process", "--database", url,
            "--base-url", base_url, "--until-idle", stdout=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        await worker.wait()
        elapsed = time.perf_counter() - started
    await server.stop()
    print(f"(our worker process: {elapsed:.1f} s wall time, start-up included)")
    return _report("ours (outbox worker)", fake, recipients)


async def baseline(recipients: int) -> dict[str, float]:
    """PTB's AIORateLimiter figures for ``recipients`` sends through the HTTP double."""
    fake = _double(recipients)
    server = BotApiHttpServer(fake)
    base_url = await server.start()
    limiter: AIORateLimiter = AIORateLimiter(max_retries=5)
    bot: Bot = ExtBot(BASELINE_TOKEN, base_url=base_url, rate_limiter=limiter)
    async with bot:

        async def send(chat: int) -> None:
            with contextlib.suppress(RetryAfter):  # given up after max_retries: counted lost
                await bot.send_message(chat, TEXT)

        await asyncio.gather(*(send(chat) for chat in range(1, recipients + 1)))
    await server.stop()
    return _report("PTB AIORateLimiter", fake, recipients)


async def main(recipients: int, baseline_recipients: int) -> None:
    """Print both runs' figures, their ratios and whether ours meets its targets."""
    print(f"bench.delivery on {machine()}")
    base = await baseline(baseline_recipients)
    mine = await ours(recipients)
    print(
        f"ratios ours/baseline: rate {mine['rate'] / base['rate']:.2f}, "
        f"max in 1 s {mine['max_in_1s'] / base['max_in_1s']:.2f}"
    )
    ok = (
        mine["rate"] >= 0.95 * CEILING
        and mine["max_in_1s"] <= CEILING
        and mine["answers_429"] == mine["duplicates"] == mine["lost"] == 0
    )
    print(
        "targets (rate ≥ 28.5/s, ≤ 30 in any second, no 429/duplicate/loss):",
        "met" if ok else "NOT met",
    )


if __name__ == "__main__":
    arguments = [int(a) for a in sys.argv[1:3]]
    asyncio.run(main(*(arguments + [10_000, 900][len(arguments) :])))
