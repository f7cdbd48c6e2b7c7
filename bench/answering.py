"""The cost of ha mode's "answering" marks: updates per second through the intake journal on
PostgreSQL, each update's done mark committed alone (as on PostgreSQL always), with and without
the answering mark committed before the update's first Bot API request.

    python -m bench.answering [--updates 1000] [--rounds 3] [--database-url postgresql+asyncpg://…]

Without ``--database-url`` a scratch database is created on the local server and dropped.
Both rows go through the leader's fenced requests (bot/leadership.py) to the in-process double,
so the difference is the mark alone: one UPDATE and its commit per update that answers.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from datetime import timedelta

from telegram import Update

from bench.common import machine, median
from bot.app import build_application, build_deps
from bot.config import parse_config
from bot.console.bot_api import FakeTelegram, InProcessBotApi
from bot.context import Deps
from bot.intake import Intake, arrival, payload_of
from bot.leadership import leader_requests
from bot.runner import journal_of
from bot.services.intake.journal import IntakeJournal
from bot.services.leadership.lease import Term
from bot.startup import prepare_database
from tests.support.databases import create_postgres_database, drop_postgres_database

MEMBER = 4242
BATCH = 100


async def per_second(deps: Deps, count: int, *, answering: bool) -> float:
    """Updates ("/aide", one reply each) per second, journaled in batches as getUpdates gives."""
    await IntakeJournal(deps.engine, keep_done=timedelta(0)).prune()
    fake = FakeTelegram()
    fake.add_user(MEMBER, "Anne", language_code="fr")
    journal = journal_of(deps)
    term = Term("bench", 1, time.monotonic() + 3600)
    inner = (InProcessBotApi(fake), InProcessBotApi(fake))
    requests, updates = leader_requests(term, journal if answering else None, inner)
    app = build_application(deps, request=requests, updates_request=updates)
    async with app:
        raw = [fake.send_text(MEMBER, "/aide") for _ in range(count)]
        parsed = [(Update.de_json(update, app.bot), update) for update in raw]
        intake = Intake(app, journal, answering=answering)
        intake.start()
        try:
            started = time.perf_counter()
            for at in range(0, len(parsed), BATCH):
                batch = parsed[at : at + BATCH]
                await intake.receive([(u, arrival(u, payload_of(data))) for u, data in batch])
            await intake.idle()
            elapsed = time.perf_counter() - started
        finally:
            await intake.stop()
    if len(fake.bot_messages(MEMBER)) != count:
        raise RuntimeError("not every update was answered: the figure would mean nothing")
    return count / elapsed


async def main(count: int, rounds: int, url: str) -> None:
    """Measure both rows ``rounds`` times and print their medians."""
    deps = build_deps(parse_config({"database": {"url": url}}))
    try:
        await prepare_database(deps)
        await per_second(deps, 100, answering=False)  # warm-up: connections, caches
        plain, marked = [], []
        for _ in range(rounds):
            plain.append(await per_second(deps, count, answering=False))
            marked.append(await per_second(deps, count, answering=True))
    finally:
        await deps.engine.dispose()
    base, with_marks = median(plain), median(marked)
    print(f"machine: {machine()}; {count} updates × {rounds} rounds, PostgreSQL")
    for name, rate in (("done marks only", base), ("+ answering marks", with_marks)):
        print(f"  {name:<20} {rate:8.0f} updates/s  {1000 / rate:6.2f} ms/update")
    print(f"  {'cost of the mark':<20} {1000 / with_marks - 1000 / base:+17.2f} ms/update")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    scratch = args.database_url is None
    url = args.database_url or create_postgres_database()
    try:
        asyncio.run(main(args.updates, args.rounds, url))
    finally:
        if scratch:
            drop_postgres_database(url)
