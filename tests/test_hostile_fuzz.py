"""Property: no hostile update makes the bot raise, nor send a request Telegram would refuse.

Hypothesis drives hostile steps (tests/support/hostile.py: commands with random arguments, deep
links, forged callback_data for every button pattern, wide characters, NUL, HTML, locations at
NaN or infinity, photos, documents, poll votes, edited messages, inline queries, group chats)
through the real Application on SQLite and on PostgreSQL, after a pending proposal, an event and
an open survey exist. CI runs INNOVDEIZH_FUZZ_UPDATES updates per database (default 1,000, so
2,000 in all); a crash found once becomes a one-update test in tests/test_hostile_regressions.py.
"""

from __future__ import annotations

import asyncio
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.hostile import Step, button_patterns, start, steps, stop

UPDATES = int(os.environ.get("INNOVDEIZH_FUZZ_UPDATES", "1000"))
STEPS_PER_EXAMPLE = 6  # at most


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
