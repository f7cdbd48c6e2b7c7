"""Updates per second through the real Application vs a bare PTB echo bot, idle memory and
start-up time to the first getUpdates.

    python -m bench.updates [--updates 2000] [--rounds 5]

Targets (issue "Foundation"): /start of a returning member ≥ 0.50 × the bare echo bot, an unknown
command ≥ 0.70 ×; idle memory ≤ 90 MiB; start to first getUpdates ≤ 1.5 s (database migrated).
The targets apply to the ``… + journal`` rows, the path of the running bot (``bot/intake.py``):
batches of 100 as ``getUpdates`` gives them (their JSON kept, one commit per batch), then
handled in order and marked done (on SQLite at the event loop's next turn, grouped here since
the in-process double answers without a wait). The rows without it time ``process_update``
alone, as before the journal.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

from telegram import Update

from bench.common import bare_echo_application, machine, median, rss_mib, updates_per_second
from bot.app import build_application, build_deps
from bot.config import parse_config
from bot.console.bot_api import FakeTelegram, InProcessBotApi
from bot.context import BotApp, deps_of
from bot.intake import Intake, arrival, payload_of
from bot.runner import journal_of
from bot.services.intake.journal import IntakeJournal
from bot.startup import prepare_database
from tests.support.http_server import BotApiHttpServer

MEMBER = 4242
BATCH = 100  # the most one getUpdates gives
KINDS = ("start", "start_journal", "unknown_command", "unknown_command_journal", "text")


async def throughput(database_url: str, count: int, rounds: int) -> dict[str, list[float]]:
    """Updates per second of each kind, the echo baseline included, per round."""
    config = parse_config({"database": {"url": database_url}})
    deps = build_deps(config)
    await prepare_database(deps)
    results: dict[str, list[float]] = {key: [] for key in ("echo", *KINDS)}
    try:
        for _ in range(rounds):
            fake = FakeTelegram()
            fake.add_user(MEMBER, "Anne", language_code="fr")
            baseline = bare_echo_application(fake)
            async with baseline:
                updates = [fake.send_text(MEMBER, f"bonjour {i}") for i in range(count)]
                results["echo"].append(await updates_per_second(baseline, updates))
            fake = FakeTelegram()
            fake.add_user(MEMBER, "Anne", language_code="fr")
            app = build_application(deps, request=InProcessBotApi(fake))
            async with app:
                # The member has been seen before: a returning member.
                await updates_per_second(app, [fake.send_text(MEMBER, "/start")])
                for key, text in (
                    ("start", "/start"),
                    ("unknown_command", "/frobnicate"),
                    ("text", "bonjour"),
                ):
                    updates = [fake.send_text(MEMBER, text) for _ in range(count)]
                    results[key].append(await updates_per_second(app, updates))
                    if key != "text":
                        updates = [fake.send_text(MEMBER, text) for _ in range(count)]
                        results[f"{key}_journal"].append(await journaled_per_second(app, updates))
    finally:
        await deps.engine.dispose()
    return results


async def journaled_per_second(app: BotApp, updates: list[dict[str, Any]]) -> float:
    """Updates per second through the intake journal, batches of 100 as getUpdates gives."""
    # Each round's double numbers its updates from 1 again: forget the previous rounds' ids.
    await IntakeJournal(deps_of(app).engine, keep_done=timedelta(0)).prune()
    intake = Intake(app, journal_of(deps_of(app)))
    # Parsed beforehand, as for the other rows (Bot.get_updates parses for a bare bot too);
    # the JSON kept in the journal is written in the timed part, as Polling does.
    parsed = [(Update.de_json(update, app.bot), update) for update in updates]
    intake.start()
    try:
        started = time.perf_counter()
        for at in range(0, len(parsed), BATCH):
            batch = parsed[at : at + BATCH]
            await intake.receive([(u, arrival(u, payload_of(raw))) for u, raw in batch])
        await intake.idle()
        elapsed = time.perf_counter() - started
    finally:
        await intake.stop()
    return len(parsed) / elapsed


async def startup_and_memory(database_url: str, runs: int) -> tuple[list[float], list[float]]:
    """Seconds from process start to its first getUpdates, and its idle RSS after a /start."""
    fake = FakeTelegram()
    server = BotApiHttpServer(fake)
    await server.start()
    env = {k: v for k, v in os.environ.items() if not k.startswith("INNOVDEIZH_")}
    env |= {
        "INNOVDEIZH_TOKEN": fake.token,
        "INNOVDEIZH_BASE_URL": server.base_url,
        "INNOVDEIZH_DATABASE_URL": database_url,
    }
    starts: list[float] = []
    memory: list[float] = []
    fake.add_user(MEMBER, "Anne", language_code="fr")
    try:
        for _ in range(runs):
            seen = len(fake.calls)
            # A pending /start makes the first getUpdates answer at once (no long-poll wait),
            # so its record marks the moment the bot started serving.
            fake.send_text(MEMBER, "/start")
            replies = len(fake.bot_texts(MEMBER))
            started = time.perf_counter()
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", env=env, stderr=subprocess.DEVNULL
            )
            await fake.wait_for(partial(_polled_since, fake, seen), timeout=30)
            starts.append(time.perf_counter() - started)
            await fake.wait_for(partial(_replied_since, fake, replies))
            await asyncio.sleep(1.0)  # idle
            memory.append(rss_mib(process.pid))
            process.terminate()
            await process.wait()
    finally:
        await server.stop()
    return starts, memory


def _polled_since(fake: FakeTelegram, seen: int) -> bool:
    return any(call.method == "getUpdates" for call in fake.calls[seen:])


def _replied_since(fake: FakeTelegram, replies: int) -> bool:
    return len(fake.bot_texts(MEMBER)) > replies


def report(results: dict[str, list[float]], starts: list[float], memory: list[float]) -> None:
    """Print throughput against the echo baseline, start-up time and idle memory."""
    echo = median(results["echo"])
    print(f"machine: {machine()}")
    print(f"bare PTB echo: {echo:,.0f} updates/s (median of {len(results['echo'])} rounds)")
    targets: dict[str, Any] = {
        "start": None,
        "start_journal": 0.50,
        "unknown_command": None,
        "unknown_command_journal": 0.70,
        "text": None,
    }
    for key, target in targets.items():
        value = median(results[key])
        verdict = "" if target is None else (" OK" if value / echo >= target else " MISSED")
        goal = "" if target is None else f" (target ≥ {target:.2f})"
        print(f"{key:>24}: {value:,.0f} updates/s = {value / echo:.2f} × echo{goal}{verdict}")
    start, rss = median(starts), median(memory)
    print(f"start → first getUpdates: {start:.2f} s median of {len(starts)} (target ≤ 1.5 s)")
    print(f"idle memory after /start: {rss:.1f} MiB median (target ≤ 90 MiB)")


async def main(count: int, rounds: int, runs: int) -> None:
    """Measure on a fresh SQLite database, then print the report."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.sqlite3'}"
        results = await throughput(url, count, rounds)
        starts, memory = await startup_and_memory(url, runs)
    report(results, starts, memory)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(main(args.updates, args.rounds, args.runs))
