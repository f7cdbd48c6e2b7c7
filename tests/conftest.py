"""Shared fixtures: migrated databases on SQLite and PostgreSQL, the app and the double."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest

from bot.app import build_application, build_deps
from bot.config import Config, parse_config
from bot.console.bot_api import InProcessBotApi
from bot.context import BotApp, Deps
from bot.startup import prepare_database
from storage.db import Sessions, create_engine, create_sessions
from storage.migrate import upgrade
from storage.seeding import import_catalogue
from tests.support.bot_api import FakeTelegram
from tests.support.databases import (
    create_postgres_database,
    drop_postgres_database,
    postgres_unavailable_reason,
    require_postgres,
)
from tests.support.driver import MemberChat

ADMIN_ID = 9001
MODERATOR_ID = 9002
MODERATORS_CHAT_ID = -100500
MEMBER_ID = 4242


async def _migrate(url: str, *, seed: bool = False) -> None:
    engine = create_engine(url)
    try:
        await upgrade(engine)
        if seed:
            await import_catalogue(create_sessions(engine))
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file, copied for each test (migrating costs ~0.3 s)."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    asyncio.run(_migrate(f"sqlite+aiosqlite:///{path}"))
    return path


@pytest.fixture(scope="session")
def seeded_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated and seeded SQLite file, copied for each app test."""
    path = tmp_path_factory.mktemp("seeded") / "seeded.sqlite3"
    asyncio.run(_migrate(f"sqlite+aiosqlite:///{path}", seed=True))
    return path


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str | None]:
    """A migrated PostgreSQL database used as a template, or None when no server answers."""
    if postgres_unavailable_reason() is not None:
        yield None
        return
    url = create_postgres_database()
    asyncio.run(_migrate(url))
    yield url.rsplit("/", 1)[-1]
    drop_postgres_database(url)


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    """A fresh, migrated SQLite database for one test."""
    path = tmp_path / "bot.sqlite3"
    shutil.copy(sqlite_template, path)
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture
def postgres_url(postgres_template: str | None) -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for one test (skips or fails without a server)."""
    require_postgres()
    assert postgres_template is not None
    url = create_postgres_database(template=postgres_template)
    yield url
    drop_postgres_database(url)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """The same test on SQLite and on PostgreSQL."""
    name = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    url = request.getfixturevalue(name)
    assert isinstance(url, str)
    return url


@pytest.fixture
async def sessions(db_url: str) -> AsyncIterator[Sessions]:
    """Sessions on a seeded database of each kind (SQLite, PostgreSQL), for service tests."""
    engine = create_engine(db_url)
    sessions = create_sessions(engine)
    await import_catalogue(sessions)
    try:
        yield sessions
    finally:
        await engine.dispose()


@pytest.fixture
def seeded_sqlite_url(seeded_sqlite_template: Path, tmp_path: Path) -> str:
    """A fresh, migrated and seeded SQLite database for one test."""
    path = tmp_path / "bot.sqlite3"
    shutil.copy(seeded_sqlite_template, path)
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture
def config(seeded_sqlite_url: str) -> Config:
    """A configuration with one admin, one moderator and a moderators' chat."""
    return parse_config(
        {
            "database": {"url": seeded_sqlite_url},
            "bot": {
                "admin_ids": [ADMIN_ID],
                "moderator_ids": [MODERATOR_ID],
                "moderators_chat_id": MODERATORS_CHAT_ID,
            },
        }
    )


@pytest.fixture
async def deps(config: Config) -> AsyncIterator[Deps]:
    """Services on the test database, prepared as at start-up."""
    deps = build_deps(config)
    await prepare_database(deps)
    yield deps
    await deps.engine.dispose()


@pytest.fixture
def fake() -> FakeTelegram:
    """The Telegram Bot API double, with a moderators' group."""
    fake = FakeTelegram()
    fake.add_group(MODERATORS_CHAT_ID, "Modération")
    return fake


@pytest.fixture
async def app(deps: Deps, fake: FakeTelegram) -> AsyncIterator[BotApp]:
    """The real Application, initialised, talking to the in-process double."""
    application = build_application(deps, request=InProcessBotApi(fake))
    async with application:
        yield application


@pytest.fixture
def chat_with(app: BotApp, fake: FakeTelegram) -> Callable[..., MemberChat]:
    """``chat_with(user_id, language_code="fr", chat_id=None)``: a member's chat with the bot."""

    def open_chat(
        user_id: int = MEMBER_ID,
        *,
        first_name: str = "Anne",
        language_code: str | None = "fr",
        chat_id: int | None = None,
    ) -> MemberChat:
        fake.add_user(user_id, first_name, language_code=language_code)
        return MemberChat(app, fake, user_id, chat_id or user_id)

    return open_chat


SUMMARY = pytest.StashKey[list[str]]()  # lines a test asks to show after the run


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    """Show the lines tests left in ``SUMMARY`` (the everyday questions' size and score), with
    or without ``-s``, in every run's output (CI included)."""
    for line in config.stash.get(SUMMARY, []):
        terminalreporter.write_line(line)
