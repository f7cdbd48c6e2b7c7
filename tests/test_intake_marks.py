"""The done marks of the intake journal on SQLite: written in the event loop's thread at its
next turn, grouped when updates are handled back to back (docs/architecture.md, "Intake
journal"). What a crash can have handled twice is what is answered and not marked: checked at
every reply, over loopback HTTP (the previous update is always marked) and in process (at most
``MAX_UNMARKED``), and on a copy of the database taken as a SIGKILL would leave it."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url
from telegram import Update

from bot.app import build_application, build_deps
from bot.config import Config
from bot.console.bot_api import InProcessBotApi
from bot.console.bot_api.records import Upload
from bot.intake import MAX_UNMARKED, Intake, received
from bot.runner import journal_of, receiver
from bot.services.intake.journal import IntakeJournal
from bot.startup import prepare_database
from storage.db import create_engine
from tests.support.bot_api import FakeTelegram
from tests.support.http_server import BotApiHttpServer

MEMBERS = range(1, 121)
ANNE = 4242


class WatchingTelegram(FakeTelegram):
    """At each ``sendMessage``, counts the updates already answered whose mark is not
    committed (read on a connection of its own, as a restart after a crash would)."""

    def __init__(self, database: str) -> None:
        super().__init__()
        self.database = database
        self.expected: list[int] = []  # the updates, in the order they are answered
        self.answered: list[int] = []
        self.unmarked_at_reply: list[int] = []
        self.snapshot_after: int | None = None
        self.snapshot: Path | None = None

    async def call(
        self,
        method: str,
        params: dict[str, Any],
        files: Mapping[str, bytes | Upload] | None = None,
    ) -> tuple[int, dict[str, Any]]:
        if method.lower() == "sendmessage" and len(self.answered) < len(self.expected):
            self._look()
        return await super().call(method, params, files)

    def _look(self) -> None:
        with sqlite3.connect(f"file:{self.database}?mode=ro", uri=True) as db:
            waiting = {row[0] for row in db.execute(_WAITING)}
            if self.snapshot is not None and len(self.answered) == self.snapshot_after:
                with sqlite3.connect(self.snapshot) as copy:
                    db.backup(copy)  # what is committed now: what a SIGKILL would leave
        self.unmarked_at_reply.append(len(waiting & set(self.answered)))
        self.answered.append(self.expected[len(self.answered)])  # one reply per update


_WAITING = "SELECT update_id FROM inbound_updates WHERE done_at IS NULL"


def _database(config: Config) -> str:
    database = make_url(config.database.url).database
    assert database
    return database


def _send_all(fake: WatchingTelegram, members: range) -> None:
    for member in members:
        fake.add_user(member, f"Membre {member}", language_code="fr")
    for member in MEMBERS:
        sender = members[member % len(members)]
        fake.expected.append(fake.send_text(sender, "/frobnicate")["update_id"])


async def test_over_http_each_update_is_marked_before_the_next_reply_leaves(
    config: Config,
) -> None:
    fake = WatchingTelegram(_database(config))
    server = BotApiHttpServer(fake)
    await server.start()
    config = replace(
        config, telegram=replace(config.telegram, token=fake.token, base_url=server.base_url)
    )
    deps = build_deps(config)
    try:
        await prepare_database(deps)
        _send_all(fake, MEMBERS)  # new members: each handler writes before replying
        app = build_application(deps)  # the real HTTP client
        async with app:
            await app.start()
            intake = Intake(app, journal_of(deps))
            intake.start()
            polling = receiver(intake, app, config)
            await polling.start()
            await fake.wait_for(lambda: len(fake.answered) == len(MEMBERS), timeout=60)
            await polling.stop()
            await intake.stop()
            await app.stop()
    finally:
        await deps.engine.dispose()
        await server.stop()
    assert len(fake.unmarked_at_reply) == len(MEMBERS)
    # Over HTTP a reply is a wait: the update before it is marked by the time it leaves.
    assert max(fake.unmarked_at_reply) == 0
    with sqlite3.connect(_database(config)) as db:
        assert db.execute(_WAITING).fetchall() == []


async def test_in_process_marks_are_grouped_and_a_crash_repeats_at_most_max_unmarked(
    config: Config, tmp_path: Path
) -> None:
    fake = WatchingTelegram(_database(config))
    fake.snapshot, fake.snapshot_after = tmp_path / "crashed.sqlite3", 60
    deps = build_deps(config)
    try:
        await prepare_database(deps)
        app = build_application(deps, request=InProcessBotApi(fake))
        async with app:
            fake.add_user(ANNE, "Anne", language_code="fr")
            # Anne has been seen: her updates need no database round trip, no loop turn.
            await app.process_update(Update.de_json(fake.send_text(ANNE, "/aide"), app.bot))
            fake.updates.clear()
            _send_all(fake, range(ANNE, ANNE + 1))
            intake = Intake(app, journal_of(deps))
            intake.start()
            updates = fake.pending_updates()
            await intake.receive([received(update, app.bot) for update in updates])
            await intake.idle()
            assert intake.unmarked == 0
            await intake.stop()
    finally:
        await deps.engine.dispose()
    unmarked = fake.unmarked_at_reply
    assert len(unmarked) == len(MEMBERS)
    # The in-process double answers without a wait: marks are grouped, never more than this.
    assert 0 < max(unmarked) <= MAX_UNMARKED - 1
    with sqlite3.connect(_database(config)) as db:
        assert db.execute(_WAITING).fetchall() == []

    # Restarting from the copy taken at the 61st reply: what would be handled again.
    engine = create_engine(f"sqlite+aiosqlite:///{fake.snapshot}")
    try:
        waiting = await IntakeJournal(engine, keep_done=timedelta(days=7)).waiting()
    finally:
        await engine.dispose()
    again = {update_id for update_id, _ in waiting} & set(fake.answered[:60])
    assert len(again) == unmarked[60] <= MAX_UNMARKED - 1
    assert len(waiting) == len(MEMBERS) - 60 + len(again)
