"""Open-data speed at 10,000 published innovations (SQLite): each export (written, then served
again from the service's copy while nothing changed), and the dry-run import of that export
(which must report nothing to change), with the files' sizes.

    .venv/bin/python -m bench.open_data [--size 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from bench.common import machine, median
from bench.search_data import innovations, insert
from bot.config import OpenDataConfig
from bot.services.open_data.formats import Format
from bot.services.open_data.service import OpenDataService
from storage.db import create_engine, create_sessions
from storage.migrate import upgrade


async def _run(size: int, runs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite3"
        engine = create_engine(f"sqlite+aiosqlite:///{path}")
        await upgrade(engine)
        insert(path, innovations(size))
        sessions = create_sessions(engine)
        print(f"open data, {size:,} published innovations, SQLite — {machine()}")
        for fmt in Format:
            exports, cached, imports = [], [], []
            body = b""
            for _ in range(runs):
                service = OpenDataService(sessions, OpenDataConfig())  # nothing cached
                started = time.perf_counter()
                body = await service.export(fmt)
                exports.append(time.perf_counter() - started)
                started = time.perf_counter()
                await service.export(fmt)
                cached.append(time.perf_counter() - started)
                started = time.perf_counter()
                report = await service.import_file(fmt, body, dry_run=True)
                imports.append(time.perf_counter() - started)
                if not report.changes_nothing:
                    raise SystemExit(f"{fmt.value}: the round trip would change something")
            print(
                f"  {fmt.value:<8} {len(body) / 1e6:5.2f} MB  export {median(exports):.2f} s,"
                f" unchanged since {median(cached) * 1000:.0f} ms;"
                f" import --dry-run {median(imports):.2f} s (nothing to change)"
            )
        await engine.dispose()


def main() -> None:
    """Parse the options and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(_run(args.size, args.runs))


if __name__ == "__main__":
    main()
