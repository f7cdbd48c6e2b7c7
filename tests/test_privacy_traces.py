"""After /oublier nothing of the member is left: not in what the bot showed the moderators
(cards, the photo, the member's answer, /moderation copies), not in the SQLite file nor its WAL,
not in the logs at INFO."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from bot.app import build_application, build_deps
from bot.config import parse_config
from bot.console.bot_api import FakeTelegram, InProcessBotApi
from bot.context import BotApp, Deps
from bot.services.members.service import Identity
from bot.startup import prepare_database
from storage.db import checkpoint, create_engine
from storage.models import Member, MemberMessage
from tests.conftest import MEMBER_ID, MODERATOR_ID, MODERATORS_CHAT_ID
from tests.support.driver import MemberChat, plain
from tests.support.proposals import card_of

MARK = "Qz7xKw"  # written by the member in every field they fill, found nowhere afterwards
ERASED = "(données effacées)"


@pytest.fixture
async def running(db_url: str) -> AsyncIterator[tuple[BotApp, Deps, FakeTelegram]]:
    config = parse_config(
        {
            "database": {"url": db_url},
            "bot": {"moderator_ids": [MODERATOR_ID], "moderators_chat_id": MODERATORS_CHAT_ID},
        }
    )
    deps = build_deps(config)
    await prepare_database(deps)
    fake = FakeTelegram()
    fake.add_group(MODERATORS_CHAT_ID, "Modération")
    fake.add_user(MODERATOR_ID, "Mona")
    fake.add_user(MEMBER_ID, f"Gwen{MARK}", username=f"gwen_{MARK}", language_code="fr")
    app = build_application(deps, request=InProcessBotApi(fake))
    try:
        async with app:
            yield app, deps, fake
    finally:
        await deps.engine.dispose()


async def propose_with_photo(member: MemberChat) -> None:
    """The whole proposal, every free field carrying the marker, and a photo."""
    await member.say("/proposer")
    await member.say(f"Atelier vélo {MARK}nom")
    await member.say(f"On répare des vélos ensemble, demande {MARK}description.")
    await member.press(member.button_labels()[0])
    for answer in ("Lannion", f"Asso {MARK}orga", "/passer", f"{MARK}@example.org"):
        await member.say(answer)
    await member.press("🔒 Seulement pour les organisateurs")
    await member.deliver(member.fake.send_photo(member.user_id))
    await member.press("📨 Envoyer")


def sqlite_file(url: str) -> Path:
    return Path(str(make_url(url).database))


def bot_texts_with_mark(fake: FakeTelegram, chat_id: int) -> list[str]:
    return [
        plain(str(m.get("text") or m.get("caption") or ""))
        for m in fake.bot_messages(chat_id)
        if MARK in str(m.get("text") or m.get("caption") or "")
    ]


async def test_forget_scrubs_cards_files_and_logs(
    running: tuple[BotApp, Deps, FakeTelegram], db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    app, deps, fake = running
    caplog.set_level(logging.INFO)
    member = MemberChat(app, fake, MEMBER_ID, MEMBER_ID)
    moderators = MemberChat(app, fake, MODERATOR_ID, MODERATORS_CHAT_ID)
    await propose_with_photo(member)
    card = fake.bot_messages(MODERATORS_CHAT_ID)[0]
    number = int(plain(card["text"]).split("n°", 1)[1].split()[0])
    photos = [m for m in fake.bot_messages(MODERATORS_CHAT_ID) if m.get("photo")]
    assert len(photos) == 1
    await moderators.press("❓ Demander une précision", message_id=card["message_id"])
    prompt = moderators.last_message()["message_id"]
    await moderators.deliver(
        fake.send_text(MODERATOR_ID, "Quel public ?", chat_id=MODERATORS_CHAT_ID, reply_to=prompt)
    )
    await member.press("✍️ Répondre")
    await member.say(f"Des familles, appelle-moi au {MARK}tel")
    in_private = MemberChat(app, fake, MODERATOR_ID, MODERATOR_ID)
    await in_private.say("/moderation")  # a copy of the card in the moderator's private chat
    assert bot_texts_with_mark(fake, MODERATORS_CHAT_ID)  # card and answer show the member
    assert bot_texts_with_mark(fake, MODERATOR_ID)

    # As SQLite does by itself every 1,000 pages: the texts are in the main file now.
    await app.update_persistence()
    await checkpoint(deps.sessions)
    if db_url.startswith("sqlite"):
        assert MARK.encode() in sqlite_file(db_url).read_bytes()

    await member.say("/oublier")
    await member.press("🗑 Oui, tout effacer")
    await app.update_persistence()

    # What the moderators see: every message with the member's data edited, the photo deleted.
    assert bot_texts_with_mark(fake, MODERATORS_CHAT_ID) == []
    assert bot_texts_with_mark(fake, MODERATOR_ID) == []
    scrubbed = card_of(fake.bot_messages(MODERATORS_CHAT_ID), number)
    assert scrubbed["message_id"] == card["message_id"]
    assert plain(scrubbed["text"]) == f"📝 Proposition n° {number} : {ERASED}"
    assert not fake.buttons(scrubbed)
    assert [m for m in fake.bot_messages(MODERATORS_CHAT_ID) if m.get("photo")] == []
    assert any(plain(t) == ERASED for t in fake.bot_texts(MODERATORS_CHAT_ID))  # the answer
    copy = card_of(fake.bot_messages(MODERATOR_ID), number)
    assert plain(copy["text"]) == f"📝 Proposition n° {number} : {ERASED}"
    async with deps.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(MemberMessage)) == 0

    # The logs at INFO never carried the member's texts.
    assert [r.getMessage() for r in caplog.records if MARK in r.getMessage()] == []
    assert [r for r in caplog.records if r.exc_text and MARK in r.exc_text] == []

    if db_url.startswith("sqlite"):
        database = sqlite_file(db_url)
        for path in (database, database.with_name(database.name + "-wal")):
            raw = path.read_bytes() if path.exists() else b""
            assert MARK.encode() not in raw, f"{path.name} keeps the erased text"


async def test_sql_errors_are_logged_without_the_members_texts(
    running: tuple[BotApp, Deps, FakeTelegram],
) -> None:
    _, deps, _ = running
    await deps.members.remember(Identity(MEMBER_ID, "Gwen"))
    with pytest.raises(IntegrityError) as error:  # the same member twice: the error names it
        async with deps.sessions.begin() as session:
            session.add(Member(telegram_id=MEMBER_ID, first_name=f"Gwen {MARK}"))
    assert "parameters hidden" in str(error.value)
    assert MARK not in str(error.value)


async def test_every_sqlite_connection_overwrites_deleted_rows(sqlite_url: str) -> None:
    # Debian's SQLite is built with SECURE_DELETE on, others are not: the engine sets it.
    engine = create_engine(sqlite_url)
    try:
        async with engine.connect() as connection:
            await connection.exec_driver_sql("PRAGMA secure_delete=OFF")
        await engine.dispose()  # a new connection: the engine's own settings again
        async with engine.connect() as connection:
            value = (await connection.exec_driver_sql("PRAGMA secure_delete")).scalar()
        assert value == 1
    finally:
        await engine.dispose()
