"""/stats on a regional network's database, on SQLite and PostgreSQL.

Run with ``python -m bench.stats [runs]``. The database holds 10,000 members, 2,000 proposals,
200 gatherings (50 ahead) with 50,000 RSVPs, 20 surveys with 4,000 responses, 20,000 outbox
rows (mostly sent) and 5,000 journal rows (mostly done). Writing it is timed apart; measured:
the figures' queries alone (``StatsService.stats``), the text, the chart, and the whole command
through the real Application and the in-process Bot API double. The first command pays
matplotlib's import; it is reported apart from the median of the following runs.
"""

from __future__ import annotations

import asyncio
import random
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import create_async_engine

from bench.common import machine, median
from bot.app import build_application, build_deps
from bot.config import parse_config
from bot.console.bot_api import FakeTelegram, InProcessBotApi
from bot.context import Deps
from bot.services.stats.chart import bars_chart
from bot.services.stats.report import StatsReport
from bot.startup import prepare_database
from bot.texts import visible_length
from storage.models import (
    Event,
    InboundUpdate,
    Member,
    OutboxMessage,
    Proposal,
    Rsvp,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
)
from tests.support.driver import MemberChat

POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432"
ADMIN = 1
MEMBERS, PROPOSALS, EVENTS, AHEAD, RSVPS = 10_000, 2_000, 200, 50, 50_000
SURVEYS, RESPONSES, OUTBOX, JOURNAL = 20, 200, 20_000, 5_000
ANSWERS = ("yes", "yes", "yes", "maybe", "no", "wait", "")


async def populate(deps: Deps, now: datetime) -> None:
    """The regional network, written in bulk (seeded random: the same data every run)."""
    rng = random.Random(12)
    async with deps.sessions.begin() as session:
        await session.execute(
            insert(Member),
            [
                {
                    "telegram_id": ADMIN + n,
                    "last_seen_at": now - timedelta(days=rng.randrange(400)),
                    "is_reachable": rng.random() > 0.03,
                }
                for n in range(1, MEMBERS + 1)
            ],
        )
        statuses = ("pending", "published", "published", "refused", "draft")
        await session.execute(
            insert(Proposal),
            [
                {"status": rng.choice(statuses), "name": f"P{n}", "member_id": 2 + n % MEMBERS}
                for n in range(PROPOSALS)
            ],
        )
        event_ids = list(
            await session.scalars(
                insert(Event).returning(Event.id),
                [
                    {
                        "slug": f"bench-{n}",
                        "title": f"Rencontre {n}",
                        "starts_at": now + timedelta(days=n - (EVENTS - AHEAD)),
                        "capacity": 300 if n % 3 == 0 else None,
                    }
                    for n in range(EVENTS)
                ],
            )
        )
        per_event = RSVPS // EVENTS
        rows = [
            {"event_id": event_id, "member_id": 2 + m, "answer": rng.choice(ANSWERS)}
            for event_id in event_ids
            for m in rng.sample(range(MEMBERS), per_event)
        ]
        for start in range(0, len(rows), 10_000):
            await session.execute(insert(Rsvp), rows[start : start + 10_000])
        for n in range(SURVEYS):
            survey_id = await session.scalar(
                insert(Survey).returning(Survey.id),
                {
                    "event_id": event_ids[n],
                    "title": f"Enquête {n}",
                    "status": "open" if n < 3 else "closed",
                    "invited_count": RESPONSES * 2,
                    "closed_at": None if n < 3 else now - timedelta(days=SURVEYS - n),
                },
            )
            question_id = await session.scalar(
                insert(SurveyQuestion).returning(SurveyQuestion.id),
                {"survey_id": survey_id, "position": 0, "key": "q", "kind": "single"}
                | {"prompt": "?", "options": "a\nb"},
            )
            response_ids = list(
                await session.scalars(
                    insert(SurveyResponse).returning(SurveyResponse.id),
                    [{"survey_id": survey_id, "member_id": 2 + m} for m in range(RESPONSES)],
                )
            )
            await session.execute(
                insert(SurveyAnswer),
                [
                    {"response_id": r, "question_id": question_id, "choices": "0"}
                    | {"skipped": rng.random() < 0.1}
                    for r in response_ids
                ],
            )
        outbox = [
            {
                "purpose": f"bench:{n}",
                "chat_id": n,
                "payload": "{}",
                "state": "sent" if n % 20 else "pending",
                "due_at": now - timedelta(minutes=n % 600),
            }
            for n in range(OUTBOX)
        ]
        for start in range(0, len(outbox), 5_000):
            await session.execute(insert(OutboxMessage), outbox[start : start + 5_000])
        await session.execute(
            insert(InboundUpdate),
            [
                {
                    "update_id": n,
                    "received_at": now - timedelta(seconds=n),
                    "done_at": None if n < 10 else now - timedelta(seconds=n - 1),
                }
                for n in range(JOURNAL)
            ],
        )


async def measure(url: str, runs: int) -> list[str]:
    """Lines of figures for one database."""
    config = parse_config({"database": {"url": url}, "bot": {"admin_ids": [ADMIN]}})
    deps = build_deps(config)
    lines = []
    try:
        await prepare_database(deps)
        now = datetime.now(UTC)
        started = time.perf_counter()
        await populate(deps, now)
        lines.append(f"  setup (bulk insert): {time.perf_counter() - started:.1f} s")
        queries, commands = [], []
        fake = FakeTelegram()
        fake.add_user(ADMIN, "Gwen", language_code="fr")
        async with build_application(deps, request=InProcessBotApi(fake)) as app:
            admin = MemberChat(app, fake, ADMIN, ADMIN)
            first = time.perf_counter()
            await admin.say("/stats")
            first_command = time.perf_counter() - first
            for _ in range(runs):
                started = time.perf_counter()
                stats = await deps.stats.stats()
                queries.append(time.perf_counter() - started)
                started = time.perf_counter()
                await admin.say("/stats")
                commands.append(time.perf_counter() - started)
            report = StatsReport(deps.texts, "fr", config.bot.tz)
            started = time.perf_counter()
            caption, as_caption = report.compose(stats)
            text_ms = (time.perf_counter() - started) * 1000
            started = time.perf_counter()
            png = bars_chart(report.panels(stats))
            chart_ms = (time.perf_counter() - started) * 1000
        message = fake.last_bot_message(ADMIN)
        lines += [
            f"  figures (queries only), median of {runs}: {median(queries) * 1000:.0f} ms",
            f"  text: {text_ms:.1f} ms; chart: {chart_ms:.0f} ms, {len(png) / 1024:.0f} KiB",
            f"  /stats end to end, first (matplotlib import): {first_command * 1000:.0f} ms",
            f"  /stats end to end, median of {runs}: {median(commands) * 1000:.0f} ms",
            f"  one message: {as_caption and 'photo' in message}, "
            f"caption {visible_length(caption)} UTF-16 units of 1,024",
            f"  members {stats.members.total}, active {stats.members.active}, "
            f"blocked {stats.members.blocked}; outbox {stats.outbox_depth}; "
            f"intake {stats.intake_waiting}",
        ]
    finally:
        await deps.engine.dispose()
    return lines


async def _admin(statement: str) -> None:
    engine = create_async_engine(f"{POSTGRES}/postgres", isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


async def main(runs: int) -> None:
    """Print the figures on SQLite, then on the local PostgreSQL server."""
    print(f"/stats at scale — {machine()}")
    with tempfile.TemporaryDirectory() as folder:
        print("SQLite:")
        for line in await measure(f"sqlite+aiosqlite:///{Path(folder) / 'stats.sqlite3'}", runs):
            print(line)
    name = f"stats_bench_{uuid.uuid4().hex[:8]}"
    try:
        await _admin(f"CREATE DATABASE {name}")
    except OSError as exc:
        print(f"PostgreSQL: not measured ({exc})")
        return
    try:
        print("PostgreSQL:")
        for line in await measure(f"{POSTGRES}/{name}", runs):
            print(line)
    finally:
        await _admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 10))
