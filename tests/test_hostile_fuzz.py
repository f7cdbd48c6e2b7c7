"""Property: no hostile update makes the bot raise, nor send a request Telegram would refuse.

Hypothesis drives hostile steps (tests/support/hostile.py: commands with random arguments, deep
links, forged callback_data for every button pattern, wide characters, NUL, HTML, locations at
NaN or infinity, photos, documents, poll votes, edited messages, inline queries, group chats)
through the real Application on SQLite and on PostgreSQL, after a pending proposal, an event and
an open survey exist. CI runs INNOVDEIZH_FUZZ_UPDATES updates per database (default 1,200, so
2,400 in all); a crash found once becomes a one-update test in tests/test_hostile_regressions.py.
"""

from __future__ import annotations

import asyncio
import os
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import build_application, build_deps
from bot.config import parse_config
from bot.console.bot_api import InProcessBotApi
from bot.context import Deps
from bot.services.surveys.templates import template
from bot.startup import prepare_database
from tests.conftest import ADMIN_ID, MEMBER_ID, MODERATOR_ID, MODERATORS_CHAT_ID
from tests.support.bot_api import FakeTelegram
from tests.support.driver import MemberChat
from tests.support.hostile import Harness, Step, button_patterns, steps
from tests.support.proposals import send_proposal
from tests.support.surveys import add_event, create_survey

UPDATES = int(os.environ.get("INNOVDEIZH_FUZZ_UPDATES", "1200"))
STEPS_PER_EXAMPLE = 6  # at most


async def start(db_url: str) -> tuple[Harness, Deps]:
    """The real Application on a seeded database with a proposal waiting for moderation, an
    upcoming event and an open survey."""
    config = parse_config(
        {
            "database": {"url": db_url},
            "bot": {
                "admin_ids": [ADMIN_ID],
                "moderator_ids": [MODERATOR_ID],
                "moderators_chat_id": MODERATORS_CHAT_ID,
            },
        }
    )
    deps = build_deps(config)
    await prepare_database(deps)
    fake = FakeTelegram()
    fake.add_group(MODERATORS_CHAT_ID, "Modération")
    app = build_application(deps, request=InProcessBotApi(fake))
    await app.initialize()
    soon = datetime.now(UTC) + timedelta(days=10)
    await add_event(deps.sessions, "rencontre-2030", starts_at=soon, ends_at=soon)
    await add_event(deps.sessions, "rencontre-2013")
    survey_id = await create_survey(deps.sessions, template())
    await deps.surveys.planning.open_to_all(survey_id)
    fake.add_user(MEMBER_ID, "Anne")
    await send_proposal(MemberChat(app, fake, MEMBER_ID, MEMBER_ID))
    return Harness(app, fake), deps


async def stop(harness: Harness, deps: Deps) -> None:
    await harness.app.shutdown()
    await deps.engine.dispose()


# Sync on purpose: Hypothesis runs each example through one asyncio.Runner, whose loop the
# Application lives on for the whole test (an async test could not nest the examples' loops).
def test_hostile_updates_never_raise_nor_are_refused(db_url: str) -> None:
    with asyncio.Runner() as runner:
        harness, deps = runner.run(start(db_url))
        patterns = button_patterns(harness.app)

        @settings(
            max_examples=UPDATES,  # fewer run: the examples stop once UPDATES were delivered
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(st.lists(steps(patterns), min_size=1, max_size=STEPS_PER_EXAMPLE))
        def property_holds(batch: list[Step]) -> None:
            with harness.watching_logs():
                for step in batch if harness.updates < UPDATES else ():
                    runner.run(harness.run(step))

        try:
            property_holds()
        finally:
            runner.run(stop(harness, deps))
    report = f"{harness.updates} updates: {dict(harness.exceptions)} {dict(harness.refusals)}"
    print(report)
    print("\n".join(sorted(set(harness.examples))[:200]))
    assert harness.updates >= UPDATES, report
    assert not harness.exceptions, "\n".join(harness.examples[:30])
    assert not harness.refusals, "\n".join(harness.examples[:30])
