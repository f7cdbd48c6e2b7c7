"""Search speed at 1k, 10k and 100k synthetic innovations (SQLite).

Prints, for each size: p50/p99 latency of 2-word searches through the search service, and
/search round trips per second through the real Application on the in-process Bot API double,
next to a bare python-telegram-bot echo bot measured in the same run (and their ratio).

    .venv/bin/python -m bench.search [--sizes 1000,10000,100000] [--queries 500] [--trips 300]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from bench.common import bare_echo_application, machine, updates_per_second
from bench.search_data import innovations, insert, two_word_queries
from bot.app import build_application, build_deps
from bot.config import parse_config
from bot.console.bot_api import FakeTelegram, InProcessBotApi
from bot.services.search.service import SearchService
from storage.db import create_engine, create_sessions
from storage.migrate import upgrade
from storage.seeding import import_catalogue

MEMBER = 4242
TARGETS = {100_000: "p50 ≤ 3 ms, p99 ≤ 20 ms, ratio ≥ 0.02", 10_000: "ratio ≥ 0.10"}


async def build(folder: Path, size: int) -> str:
    """A migrated, seeded database with ``size`` synthetic innovations, index merged."""
    url = f"sqlite+aiosqlite:///{folder / f'search-{size}.sqlite3'}"
    engine = create_engine(url)
    try:
        await upgrade(engine)
        await import_catalogue(create_sessions(engine))
    finally:
        await engine.dispose()
    insert(folder / f"search-{size}.sqlite3", innovations(size))
    engine = create_engine(url)
    try:
        await SearchService(create_sessions(engine)).warm(optimize=True)
    finally:
        await engine.dispose()
    return url


async def service_latency(url: str, queries: list[str]) -> tuple[float, float]:
    """(p50, p99) in milliseconds of SearchService.search over the queries."""
    engine = create_engine(url)
    try:
        service = SearchService(create_sessions(engine))
        await service.warm()
        for text in queries[:20]:  # warm the connection pool and caches
            await service.search(text)
        times = []
        for text in queries:
            started = time.perf_counter()
            await service.search(text)
            times.append((time.perf_counter() - started) * 1000)
    finally:
        await engine.dispose()
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))]


async def round_trips(url: str, queries: list[str]) -> float:
    """/search round trips per second through the real Application and the double."""
    fake = FakeTelegram()
    fake.add_user(MEMBER, "Anne", language_code="fr")
    deps = build_deps(parse_config({"database": {"url": url}}))
    try:
        await deps.search.warm()
        app = build_application(deps, request=InProcessBotApi(fake))
        async with app:
            updates = [fake.send_text(MEMBER, f"/search {text}") for text in queries]
            await updates_per_second(app, updates[:20])  # warm-up
            return await updates_per_second(app, updates[20:])
    finally:
        await deps.engine.dispose()


async def echo_baseline(count: int) -> float:
    """Round trips per second of a bare PTB echo bot on ``count`` updates."""
    fake = FakeTelegram()
    fake.add_user(MEMBER, "Anne", language_code="fr")
    app = bare_echo_application(fake)
    async with app:
        updates = [fake.send_text(MEMBER, f"echo {n}") for n in range(count)]
        await updates_per_second(app, updates[:20])
        return await updates_per_second(app, updates[20:])


async def main(sizes: list[int], query_count: int, trip_count: int) -> None:
    """Print search latency and round trips per second for each catalogue size."""
    print(f"machine: {machine()}")
    queries = two_word_queries(max(query_count, trip_count) + 20)
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            started = time.perf_counter()
            url = await build(Path(folder), size)
            built = time.perf_counter() - started
            p50, p99 = await service_latency(url, queries[:query_count])
            bots, echoes = [], []
            for _ in range(3):  # interleaved, medians: the machine is noisy
                bots.append(await round_trips(url, queries[: trip_count + 20]))
                echoes.append(await echo_baseline(trip_count + 20))
            bot, echo = statistics.median(bots), statistics.median(echoes)
            print(
                f"{size:>7} innovations (built in {built:.0f} s): search p50 {p50:.2f} ms, "
                f"p99 {p99:.2f} ms | /search {bot:.0f}/s, bare echo {echo:.0f}/s, "
                f"ratio {bot / echo:.3f}"
                + (f"  [target {TARGETS[size]}]" if size in TARGETS else "")
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--trips", type=int, default=300)
    args = parser.parse_args()
    asyncio.run(main([int(s) for s in args.sizes.split(",")], args.queries, args.trips))
