"""Two moderators decide the same proposal at the same moment, from two processes on one database.

Each "process" is its own ``Deps`` (engine and connection pool) and ``Application``; both handle
their moderator's press at once (``asyncio.gather`` of their ``process_update``), so the two
decisions really overlap on the database. Exactly one applies; the other moderator is told who
decided, and the member hears once.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import func, select
from telegram import Update

from bot.app import build_application, build_deps
from bot.config import parse_config
from bot.console.bot_api import FakeTelegram, InProcessBotApi
from bot.context import BotApp, Deps
from bot.startup import prepare_database
from storage.models import Innovation, Proposal, ProposalEvent
from tests.conftest import MEMBER_ID, MODERATORS_CHAT_ID
from tests.support.driver import MemberChat, plain
from tests.support.proposals import card_of, send_proposal

TRIALS = 20
MONA, ANNE = 9101, 9102


@pytest.fixture
async def two_processes(db_url: str) -> AsyncIterator[tuple[FakeTelegram, BotApp, BotApp]]:
    """Two Applications, each with its own engine, on one database and one Telegram."""
    config = parse_config(
        {
            "database": {"url": db_url},
            "bot": {"moderator_ids": [MONA, ANNE], "moderators_chat_id": MODERATORS_CHAT_ID},
        }
    )
    fake = FakeTelegram()
    fake.add_group(MODERATORS_CHAT_ID, "Modération")
    fake.add_user(MONA, "Mona")
    fake.add_user(ANNE, "Anne")
    fake.add_user(MEMBER_ID, "Gwen", language_code="fr")
    deps: list[Deps] = [build_deps(config), build_deps(config)]
    await prepare_database(deps[0])
    apps = [build_application(d, request=InProcessBotApi(fake)) for d in deps]
    try:
        async with apps[0], apps[1]:
            yield fake, apps[0], apps[1]
    finally:
        for d in deps:
            await d.engine.dispose()


def pressing(
    fake: FakeTelegram, app: BotApp, user_id: int, message_id: int, label: str
) -> tuple[BotApp, Update]:
    """The press of ``label`` on the card as it is now (what the moderator's screen shows)."""
    [real] = [
        b["text"]
        for m in fake.bot_messages(MODERATORS_CHAT_ID)
        if m["message_id"] == message_id
        for row in fake.buttons(m)
        for b in row
        if plain(b["text"]) == label
    ]
    raw = fake.press(user_id, message_id, chat_id=MODERATORS_CHAT_ID, text=real)
    return app, Update.de_json(raw, app.bot)


async def together(*presses: tuple[BotApp, Update]) -> None:
    """Both Applications handle their press at the same moment."""
    await asyncio.gather(*(app.process_update(update) for app, update in presses))


def toasts(fake: FakeTelegram) -> list[str]:
    return [plain(str(c.get("text") or "")) for c in fake.callback_answers]


async def counts(app: BotApp, proposal_id: int) -> dict[str, Any]:
    deps: Deps = app.bot_data["deps"]
    async with deps.sessions() as session:
        row = await session.get(Proposal, proposal_id)
        assert row is not None
        innovations = await session.scalar(
            select(func.count()).select_from(Innovation).where(Innovation.title == row.name)
        )
        decisions = await session.scalar(
            select(func.count())
            .select_from(ProposalEvent)
            .where(
                ProposalEvent.submission_id == proposal_id,
                ProposalEvent.action.in_(("published", "refused")),
            )
        )
        return {"status": row.status, "innovations": innovations, "decisions": decisions}


@pytest.mark.parametrize("second", ["publish", "refuse"])
async def test_two_moderators_at_once_exactly_one_decision_applies(
    two_processes: tuple[FakeTelegram, BotApp, BotApp], second: str
) -> None:
    fake, first_app, second_app = two_processes
    member = MemberChat(first_app, fake, MEMBER_ID, MEMBER_ID)
    applied_by = []
    for trial in range(TRIALS):
        name = f"Ressourcerie n° {trial} {second}"
        await send_proposal(member, name)
        if "Non, envoyer quand même" in member.button_labels():  # like the previous trials'
            await member.press("Non, envoyer quand même")
        card = fake.bot_messages(MODERATORS_CHAT_ID)[-1]
        number = int(plain(card["text"]).split("n°", 1)[1].split()[0])
        card_id = card["message_id"]
        # Mona taps « Publier » while Anne (for a refusal) is choosing the reason.
        mona = pressing(fake, first_app, MONA, card_id, "✅ Publier")
        if second == "refuse":
            await together(pressing(fake, second_app, ANNE, card_id, "❌ Refuser"))
        anne_label = "✅ Publier" if second == "publish" else "hors Bretagne"
        anne = pressing(fake, second_app, ANNE, card_id, anne_label)
        told_before = len(fake.bot_texts(MEMBER_ID))
        toasts_before = len(toasts(fake))
        await together(mona, anne)

        found = await counts(first_app, number)
        assert found["decisions"] == 1, (trial, found)
        assert found["innovations"] == (1 if found["status"] == "published" else 0), found
        told = [plain(t) for t in fake.bot_texts(MEMBER_ID)[told_before:]]
        assert len(told) == 1, told  # « publiée » or « refusée », never both
        assert ("Bonne nouvelle" in told[0]) == (found["status"] == "published")
        new_toasts = toasts(fake)[toasts_before:]
        assert len(new_toasts) == 2, new_toasts
        [loser] = [t for t in new_toasts if t.startswith("Déjà")]
        winner = "Mona" if "par Mona" in loser else "Anne"
        assert f"par {winner}" in loser
        applied_by.append(winner)
        final = card_of(fake.bot_messages(MODERATORS_CHAT_ID), number)
        assert f"par {winner}" in plain(final["text"])
        assert not fake.buttons(final)
    assert len(applied_by) == TRIALS
