"""Two instances in ha mode on PostgreSQL survive the loss of either (issue 12, Done means 1).

Real ``python -m bot run`` processes, one loopback Bot API double. 50 members send 2,000 updates,
100 guided proposals among them, each member waiting for the answer before the next step; 500
reminders come due during the run. The leader is killed (SIGKILL) after 600 answers and comes
back as a standby; the next leader is stopped (SIGTERM) after 1,300. Then: every update answered
once (twice only for an update answered and not yet marked done at the kill, listed), every
proposal stored with its answers, every reminder sent once (in doubt only for sends in flight at
the kill, listed), one leader at a time, and the hand-over times within the issue's bounds.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import SUMMARY
from tests.support.databases import require_postgres
from tests.support.ha_cluster import (
    Cluster,
    fresh_postgres,
    leader_runs,
    outbox_in_doubt,
    prepare,
    unfinished_updates,
)
from tests.support.ha_members import CountingTelegram, add_reminders, phones, stored_proposals
from tests.support.ha_scenario import handovers, outbox_drained, stop_all

pytestmark = pytest.mark.postgres
MEMBERS, UPDATES, REMINDERS = 50, 2000, 500
KILL_AFTER, TERM_AFTER = 600, 1300
# While developing the harness before ha mode existed: one process restarted instead.
MODE = os.environ.get("INNOVDEIZH_HA_TEST_MODE", "ha")
REMINDERS_FROM, REMINDERS_OVER = 4.0, 30.0  # seconds after the set-up; the run lasts ~40 s
BOUNDS = {"SIGKILL": 15.0, "SIGTERM": 3.0}


@pytest.fixture
async def database() -> AsyncIterator[str]:
    require_postgres()
    async with fresh_postgres() as url:
        await prepare(url)
        yield url


async def test_two_instances_hand_over_on_sigkill_then_sigterm_and_nothing_is_lost_or_doubled(
    database: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    fake = CountingTelegram()
    members = phones(fake, MEMBERS, UPDATES)
    first_due = datetime.now(UTC) + timedelta(seconds=REMINDERS_FROM)
    reminders = await add_reminders(
        database, [p.member for p in members], REMINDERS, first_due, REMINDERS_OVER
    )
    cluster = Cluster(fake, database, tmp_path, mode=MODE)
    try:
        run = await handovers(cluster, members, kill_after=KILL_AFTER, term_after=TERM_AFTER)
        states = await outbox_drained(cluster)
        await stop_all(cluster)
    finally:
        await cluster.close()
    doubtful_sends = await outbox_in_doubt(database)
    doubtful_updates = [d for h in run.handovers for d in h.in_doubt]

    lines = [f"ha hand-over ({MODE}): {run.updates} updates in {run.traffic_seconds:.1f} s"]
    lines += [
        f"  {h.signal} {h.before} -> {h.after}: answering again after {h.seconds:.2f} s"
        for h in run.handovers
    ]
    lines.append(
        f"  updates in doubt at the signals (answered, not marked done): {doubtful_updates}"
    )
    lines.append(f"  outbox rows in doubt: {doubtful_sends}; outbox states: {states}")
    lines.append(f"  leaders in turn (process, replies): {leader_runs(fake)}")
    request.config.stash.setdefault(SUMMARY, []).extend(lines)
    print("\n".join(lines))

    # Every update answered once. An update the next leader reported in doubt is not
    # answered again: its member, left without (all of) the answer, typed the step again.
    # Single mode has no such report: the restarted process answers it a second time.
    again = {m: given for m, _u, given in doubtful_updates} if MODE != "ha" else {}
    for phone in members:
        got = fake.replies.get(phone.member, 0)
        allowed = range(phone.owed, phone.owed + again.get(phone.member, 0) + 1)
        assert got in allowed, (phone.member, got, phone.owed, phone.retyped)
    assert await unfinished_updates(database) == set()
    # Every proposal stored with the answers given, in order, sent to the moderators.
    stored = await stored_proposals(database)
    for phone in members:
        rows = stored.get(phone.member, [])
        assert [r["status"] for r in rows] == ["pending"] * len(phone.answers), phone.member
        for row, given in zip(rows, phone.answers, strict=True):
            assert {key: row[key] for key in given} == given
            assert (row["website"], row["contact_public"], row["photo_file_id"]) == ("", False, "")
            assert row["theme"]
    # Every reminder sent once; only a send in flight at the kill is in doubt (sent or not).
    doubtful = {(purpose.split(":")[1], chat) for purpose, chat, *_ in doubtful_sends}
    for member, title, event in reminders:
        sent = fake.reminders.get((member, title), 0)
        assert sent == 1 or (str(event), member) in doubtful, (member, title, sent)
    assert states.get("sent", 0) + len(doubtful_sends) >= REMINDERS
    # One leader at a time: the answers come from a, b, then a again, in three runs.
    if MODE == "ha":
        assert len(leader_runs(fake)) == 3, leader_runs(fake)
    # The bounds.
    for h in run.handovers:
        assert h.seconds <= BOUNDS[h.signal], (h.signal, h.seconds)
