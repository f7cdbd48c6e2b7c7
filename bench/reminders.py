"""10,000 reminders due within one minute, through the real bot runtime (JobQueue + outbox).

Run with ``python -m bench.reminders [reminders]`` (default 10000). Each measurement runs in a
child process: the database gets N events whose 2-hours-before reminder falls within one minute
(one member coming to each), then the real Application starts on the in-process Bot API double
with Telegram's limits, and we wait until every reminder is delivered. Reported: lateness
beyond the rate-limit queueing (each send compared with the earliest time the 29 sends/s pace
allowed it), raw lateness, the JobQueue's job count, and the process memory per pending
reminder (RSS with N pending minus RSS of the same start with none, divided by N).
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select

from bench.common import machine, rss_mib

SPREAD = 60.0
LEAD = 25.0  # seconds between the start of the app and the first due reminder
PACE = 29 / 1.02


async def child(count: int) -> dict[str, float]:
    """The figures of one start with ``count`` reminders due (run in a child process)."""
    from bot.app import build_application, build_deps
    from bot.config import parse_config
    from bot.console.bot_api import InProcessBotApi
    from storage.db import create_engine
    from storage.migrate import upgrade
    from storage.models import Event, EventReminder, Member, OutboxMessage, Rsvp
    from tests.support.bot_api import FakeTelegram, RateLimits

    folder = tempfile.mkdtemp()
    url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.sqlite3'}"
    engine = create_engine(url)
    await upgrade(engine)
    first_due = datetime.now(UTC) + timedelta(seconds=LEAD)
    dues = [first_due + timedelta(seconds=SPREAD * i / max(count, 1)) for i in range(count)]
    async with engine.begin() as conn:
        now = datetime.now(UTC)
        if count:
            await conn.execute(insert(Member), [
                {"telegram_id": i + 1, "first_name": "M", "last_name": "", "username": "",
                 "language": "", "telegram_language": "fr", "roles": "",
                 "opt_in_announcements": True, "is_reachable": True, "created_at": now,
                 "last_seen_at": now} for i in range(count)])  # fmt: skip
            await conn.execute(insert(Event), [
                {"id": i + 1, "slug": f"bench-{i}", "title": f"Rencontre {i}", "description": "",
                 "place": "Rennes", "address": "", "commune": "", "theme": "",
                 "starts_at": due + timedelta(hours=2), "reminder_offsets": "120",
                 "repeats_yearly": False, "schedule_rev": 0, "created_at": now,
                 "updated_at": now} for i, due in enumerate(dues)])  # fmt: skip
            await conn.execute(insert(EventReminder), [
                {"event_id": i + 1, "offset_minutes": 120, "due_at": due, "state": "pending",
                 "rev": 0} for i, due in enumerate(dues)])  # fmt: skip
            await conn.execute(insert(Rsvp), [
                {"event_id": i + 1, "member_id": i + 1, "answer": "yes", "remind": True,
                 "updated_at": now}
                for i in range(count)])  # fmt: skip
    await engine.dispose()

    fake = FakeTelegram(limits=RateLimits())
    for i in range(count):
        fake.add_user(i + 1, "M")
    deps = build_deps(parse_config({"database": {"url": url}}))
    app = build_application(deps, request=InProcessBotApi(fake))
    await app.initialize()
    await app.start()
    await asyncio.sleep(3)  # the start-up job has run; nothing is due yet
    if app.job_queue is None:
        raise RuntimeError("no JobQueue: install python-telegram-bot[job-queue]")
    jobs = len(app.job_queue.jobs())
    rss = rss_mib()
    deadline = time.monotonic() + LEAD + SPREAD + count / 10 + 60
    sent_rows = 0
    while count and time.monotonic() < deadline and sent_rows < count:
        await asyncio.sleep(2)
        async with deps.sessions() as session:
            query = select(func.count()).where(OutboxMessage.sent_at.is_not(None))
            sent_rows = int(await session.scalar(query) or 0)
    async with deps.sessions() as session:
        result = await session.execute(select(OutboxMessage.due_at, OutboxMessage.sent_at))
        rows: list[tuple[datetime, datetime | None]] = [(r[0], r[1]) for r in result]
    await app.stop()
    await app.shutdown()
    await deps.engine.dispose()
    delivered = [row for row in rows if row[1] is not None]
    figures = {"rss_mib": rss, "jobs": float(jobs), "delivered": float(len(delivered))}
    if delivered:
        figures.update(_lateness(delivered))
    return figures


def _lateness(rows: list[tuple[datetime, datetime | None]]) -> dict[str, float]:
    ordered = sorted((due, sent) for due, sent in rows if sent is not None)
    raw, beyond, ideal = [], [], None
    for due, sent in ordered:
        ideal = due if ideal is None else max(due, ideal + timedelta(seconds=1 / PACE))
        raw.append((sent - due).total_seconds())
        beyond.append((sent - ideal).total_seconds())

    def p(values: list[float], q: float) -> float:
        values = sorted(values)
        return values[min(len(values) - 1, int(q * len(values)))]

    return {
        "beyond_p50": p(beyond, 0.5),
        "beyond_p99": p(beyond, 0.99),
        "raw_p50": p(raw, 0.5),
        "raw_p99": p(raw, 0.99),
        "queueing_s": (ideal - ordered[0][0]).total_seconds() if ideal else 0.0,
    }


def run_child(count: int) -> dict[str, float]:
    """The figures of :func:`child` for ``count``, measured in a fresh process."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.reminders", "--child", str(count)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    figures: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return figures


def main(count: int) -> None:
    """Print lateness, job count and memory per pending reminder for ``count`` reminders."""
    print(f"bench.reminders on {machine()}: {count} reminders due within {SPREAD:.0f} s")
    empty = run_child(0)
    full = run_child(count)
    per_reminder = (full["rss_mib"] - empty["rss_mib"]) * 1024 * 1024 / max(count, 1)
    print(
        f"JobQueue jobs with {count} pending: {full['jobs']:.0f} (with none: {empty['jobs']:.0f})"
    )
    print(
        f"memory: {full['rss_mib']:.1f} MiB with {count} pending vs {empty['rss_mib']:.1f} MiB "
        f"with none -> {per_reminder:.0f} bytes per pending reminder (target ≤ 2048)"
    )
    print(f"delivered {full['delivered']:.0f}/{count}")
    if "beyond_p99" in full:
        print(
            f"lateness beyond rate-limit queueing: p50 {full['beyond_p50']:.2f} s, "
            f"p99 {full['beyond_p99']:.2f} s (target ≤ 2 s); raw lateness p50 "
            f"{full['raw_p50']:.1f} s, p99 {full['raw_p99']:.1f} s; queueing at 28.4/s "
            f"{full['queueing_s']:.0f} s"
        )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(asyncio.run(child(int(sys.argv[2])))))
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
