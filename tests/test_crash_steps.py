"""The real bot (``python -m bot run`` on the loopback HTTP double) killed with SIGKILL right
after each kind of step, then restarted on the same database: nothing is lost.

The kill comes from the double itself, the instant it has performed the request that marks the
step (the question asked, the poll sent, « Envoi en cours », an announcement's send): the bot
never reads the answer, as when the power goes. PTB stores dialogue states up to a second after
a handler returns, so without the bot's own precautions each of these kills loses something.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from bot.console.bot_api.records import Upload
from bot.services.surveys.templates import parse_spec
from storage.db import create_engine, create_sessions
from storage.models import OutboxMessage, Survey, SurveyAnswer
from tests.support.bot_api import FakeTelegram
from tests.support.driver import plain
from tests.support.http_server import BotApiHttpServer
from tests.support.surveys import add_event, create_survey

ADMIN, ANNE = 4242, 5151
MEMBERS = (6001, 6002, 6003, 6004, 6005)
AUDIENCE = (ADMIN, *MEMBERS)  # everyone who talked to the bot; the organiser too
Hook = Callable[[str, dict[str, Any]], None]
SURVEY = """
title = "Bilan"
intro = "Trois questions."

[[questions]]
key = "liked"
kind = "text"
prompt = "Qu'as-tu aimé ?"

[[questions]]
key = "missed"
kind = "text"
prompt = "Qu'est-ce qui t'a manqué ?"

[[questions]]
key = "again"
kind = "single"
prompt = "Reviendrais-tu ?"
options = ["Oui", "Peut-être", "Non"]
"""


class KillingTelegram(FakeTelegram):
    """The double, with hooks run before and after each request is performed."""

    def __init__(self) -> None:
        super().__init__()
        self.before: list[Hook] = []
        self.after: list[Hook] = []
        self.pid = 0
        self.kills = 0

    async def call(
        self,
        method: str,
        params: dict[str, Any],
        files: Mapping[str, bytes | Upload] | None = None,
    ) -> tuple[int, dict[str, Any]]:
        for hook in list(self.before):
            hook(method, params)
        answer = await super().call(method, params, files)
        for hook in list(self.after):
            hook(method, params)
        return answer

    def kill(self) -> None:
        """SIGKILL the bot now (once the update being handled is confirmed to Telegram, so the
        restart does not replay it: replays are the intake journal's business)."""
        if self.pid == 0:
            return
        if self.updates:
            asyncio.get_running_loop().call_later(0.005, self.kill)
            return
        os.kill(self.pid, signal.SIGKILL)
        self.pid = 0
        self.kills += 1

    def kill_after(self, predicate: Callable[[str, dict[str, Any]], bool]) -> None:
        """Kill the bot right after the first request matching ``predicate`` is performed."""

        def hook(method: str, params: dict[str, Any]) -> None:
            if predicate(method, params):
                self.after.remove(hook)
                self.kill()

        self.after.append(hook)


def sends(text: str) -> Callable[[str, dict[str, Any]], bool]:
    """Matches a sendMessage/sendPoll whose text or question contains ``text``."""

    def match(method: str, params: dict[str, Any]) -> bool:
        shown = str(params.get("text", params.get("question", "")))
        return method in ("sendMessage", "sendPoll") and text in plain(shown)

    return match


class Bot:
    """``python -m bot run`` against the double; started, killed, started again."""

    def __init__(self, tmp_path: Path, fake: KillingTelegram, base_url: str, db_url: str):
        config = tmp_path / "config.toml"
        config.write_text(f"[bot]\nadmin_ids = [{ADMIN}]\n", "utf-8")
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("INNOVDEIZH_")}
        self.env |= {
            "INNOVDEIZH_TOKEN": fake.token,
            "INNOVDEIZH_BASE_URL": base_url,
            "INNOVDEIZH_DATABASE_URL": db_url,
            "INNOVDEIZH_CONFIG": str(config),
        }
        self.cwd = tmp_path
        self.fake = fake
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        polls = len([c for c in self.fake.calls if c.method == "getUpdates"])
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            cwd=self.cwd,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.fake.pid = self.process.pid
        # Ready once it long-polls.
        await self.fake.wait_for(
            lambda: len([c for c in self.fake.calls if c.method == "getUpdates"]) > polls,
            timeout=60,
        )

    async def killed(self) -> None:
        """Wait for the kill the double was told to make."""
        assert self.process is not None
        await asyncio.wait_for(self.process.wait(), 30)
        assert self.process.returncode == -signal.SIGKILL

    async def restart(self) -> None:
        await self.killed()
        await self.start()

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), 15)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()


@asynccontextmanager
async def running(tmp_path: Path, db_url: str) -> AsyncIterator[tuple[KillingTelegram, Bot]]:
    fake = KillingTelegram()
    fake.add_user(ADMIN, "Gwen", language_code="fr")
    fake.add_user(ANNE, "Anne", language_code="fr")
    server = BotApiHttpServer(fake)
    base_url = await server.start()
    bot = Bot(tmp_path, fake, base_url, db_url)
    try:
        await bot.start()
        yield fake, bot
    finally:
        await bot.stop()
        await server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_db(request: pytest.FixtureRequest) -> str:
    """A seeded SQLite file, or a migrated PostgreSQL database (the bot seeds it at start)."""
    name = "seeded_sqlite_url" if request.param == "sqlite" else "postgres_url"
    url = request.getfixturevalue(name)
    assert isinstance(url, str)
    return url


def said(fake: FakeTelegram, chat: int, text: str) -> Callable[[], bool]:
    def check() -> bool:
        return any(text in plain(t) for t in fake.bot_texts(chat))

    return check


def received(fake: FakeTelegram, chat: int, text: str) -> int:
    """How many times ``chat`` got the announcement ``text`` (the organiser's preview aside)."""
    return fake.bot_texts(chat).count(text) - (chat == ADMIN)


async def test_proposal_continues_at_its_step_after_kills(
    tmp_path: Path, seeded_sqlite_url: str
) -> None:
    async with running(tmp_path, seeded_sqlite_url) as (fake, bot):
        # Killed right after the first question: the member's answer is still the name.
        fake.kill_after(sends("1/8"))
        fake.send_text(ANNE, "/proposer")
        await bot.restart()
        fake.send_text(ANNE, "Ressourcerie du Trégor")
        await fake.wait_for(said(fake, ANNE, "2/8"), timeout=20)
        fake.send_text(ANNE, "On répare et revend des objets donnés.")
        await fake.wait_for(said(fake, ANNE, "3/8"), timeout=20)
        # Killed right after a proposal answer (the theme), as the place is asked.
        fake.kill_after(sends("4/8"))
        question = fake.last_bot_message(ANNE)["message_id"]
        fake.press(ANNE, question, text="Autre")
        await bot.restart()
        fake.send_text(ANNE, "Lannion")
        await fake.wait_for(said(fake, ANNE, "5/8"), timeout=20)
    assert not any("Je n'ai rien trouvé" in plain(t) for t in fake.bot_texts(ANNE))
    assert fake.kills == 2


async def test_survey_text_answers_and_a_poll_sent_just_before_kills_count(
    tmp_path: Path, seeded_sqlite_url: str
) -> None:
    engine = create_engine(seeded_sqlite_url)
    sessions = create_sessions(engine)
    await add_event(sessions)
    survey_id = await create_survey(sessions, parse_spec(SURVEY))
    async with sessions.begin() as session:
        await session.execute(
            update(Survey).where(Survey.id == survey_id).values(status="open", open_to_all=True)
        )
    async with running(tmp_path, seeded_sqlite_url) as (fake, bot):
        fake.send_text(ANNE, f"/start survey-{survey_id}")
        await fake.wait_for(said(fake, ANNE, "Bilan"), timeout=20)
        # Killed right after the first (text) question is asked.
        fake.kill_after(sends("1/3"))
        fake.press(ANNE, fake.last_bot_message(ANNE)["message_id"], text="✍️ Répondre")
        await bot.restart()
        # Killed right after a text answer, as the next question is asked.
        fake.kill_after(sends("2/3"))
        fake.send_text(ANNE, "Les ateliers")
        await bot.restart()
        # Killed right after sendPoll: the bot never learns the poll's id.
        fake.kill_after(sends("3/3"))
        fake.send_text(ANNE, "Plus de temps")
        await bot.restart()
        poll = fake.last_bot_message(ANNE)["poll"]
        fake.answer_poll(ANNE, poll["id"], [1])
        await fake.wait_for(said(fake, ANNE, "c'est fini"), timeout=20)
    async with sessions() as session:
        answers = list(await session.scalars(select(SurveyAnswer)))
    await engine.dispose()
    assert sorted((a.text or a.choices) for a in answers) == ["1", "Les ateliers", "Plus de temps"]
    assert not any("Je n'ai rien trouvé" in plain(t) for t in fake.bot_texts(ANNE))
    assert fake.kills == 3


async def _members_join(fake: FakeTelegram) -> None:
    for member in MEMBERS:
        fake.add_user(member, f"Membre {member}", language_code="fr")
        fake.send_text(member, "/start")
    for member in MEMBERS:
        await fake.wait_for(said(fake, member, "Bonjour"), timeout=30)


async def _compose(fake: FakeTelegram, text: str) -> None:
    fake.send_text(ADMIN, "/annonce")
    await fake.wait_for(lambda: len(fake.bot_texts(ADMIN)) >= 1, timeout=20)
    fake.send_text(ADMIN, text)
    await fake.wait_for(said(fake, ADMIN, "Je l'envoie"), timeout=20)


async def test_announcement_confirmed_just_before_a_kill_reaches_everyone(
    tmp_path: Path, seeded_sqlite_url: str
) -> None:
    text = "Débrief jeudi à Rennes"
    async with running(tmp_path, seeded_sqlite_url) as (fake, bot):
        await _members_join(fake)
        await _compose(fake, text)
        # Killed the instant the organiser is told « Envoi en cours ».
        fake.kill_after(sends("Envoi en cours"))
        fake.press(ADMIN, fake.last_bot_message(ADMIN)["message_id"], text="📣 Envoyer")
        await bot.restart()
        for member in AUDIENCE:
            await fake.wait_for(said(fake, member, text), timeout=30)
        done = f"Annonce terminée : {len(AUDIENCE)}/{len(AUDIENCE)} envoyés"
        await fake.wait_for(said(fake, ADMIN, done), timeout=30)
    assert all(received(fake, m, text) == 1 for m in AUDIENCE)
    assert fake.kills == 1


async def test_delivery_killed_midway_only_started_requests_are_in_doubt(
    tmp_path: Path, any_db: str
) -> None:
    text = "Débrief vendredi à Brest"
    started: list[int] = []

    def script(method: str, params: dict[str, Any]) -> None:
        """First send: answered late (in flight at the kill); second: 429 for five seconds,
        during which the others wait their turn; the kill comes half a second later."""
        if method != "sendMessage" or params.get("text") != text:
            return
        started.append(int(params["chat_id"]))
        if len(started) == 1:
            fake.accept_then_timeout("sendMessage", delay=2.0)
        elif len(started) == 2:
            fake.fail_next("sendMessage", 429, "Too Many Requests: retry after 5", retry_after=5)
            asyncio.get_running_loop().call_later(0.5, fake.kill)

    async with running(tmp_path, any_db) as (fake, bot):
        await _members_join(fake)
        await _compose(fake, text)
        fake.before.append(script)
        fake.press(ADMIN, fake.last_bot_message(ADMIN)["message_id"], text="📣 Envoyer")
        await bot.killed()
        fake.before.remove(script)
        at_kill = {row.chat_id: row.state for row in await _rows(any_db)}
        in_flight = {chat for chat, state in at_kill.items() if state == "sending"}
        await bot.start()
        try:
            for member in AUDIENCE:
                await fake.wait_for(said(fake, member, text), timeout=30)
        except TimeoutError:
            print("DEBUG", started, at_kill, [m for m in AUDIENCE if not said(fake, m, text)()])
            print(
                "DEBUG",
                [
                    (r.chat_id, r.state, r.in_doubt, r.last_error, r.due_at)
                    for r in await _rows(any_db)
                ],
            )
            raise
        total = len(AUDIENCE)
        done = (
            f"Annonce terminée : {total - 1}/{total} envoyés, 0 bloqués, 0 en échec, 1 incertains"
        )
        try:
            await fake.wait_for(said(fake, ADMIN, done), timeout=30)
        except TimeoutError:
            print("DEBUG", fake.bot_texts(ADMIN), started, at_kill)
            print(
                "DEBUG",
                [(r.chat_id, r.state, r.in_doubt, r.last_error) for r in await _rows(any_db)],
            )
            raise
        rows = {row.chat_id: row for row in await _rows(any_db)}
    # Only the request that was out (answered late) is in doubt; the 429 one and those that
    # were waiting their turn were sent after the restart, once each.
    assert in_flight == {started[0]}
    assert {chat for chat, row in rows.items() if row.in_doubt} == {started[0]}
    assert rows[started[0]].state == "doubt"
    assert all(rows[m].state == "sent" for m in AUDIENCE if m != started[0])
    assert all(received(fake, m, text) == 1 for m in AUDIENCE)
    assert started[1] not in in_flight


async def _rows(url: str) -> list[OutboxMessage]:
    engine = create_engine(url)
    try:
        async with create_sessions(engine)() as session:
            query = select(OutboxMessage).where(OutboxMessage.purpose.startswith("announce:"))
            return list(await session.scalars(query))
    finally:
        await engine.dispose()
