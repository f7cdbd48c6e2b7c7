"""The member's data: /mesdonnees exports exactly theirs, /oublier leaves nothing personal."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from bot.console.bot_api import FakeTelegram
from bot.context import Deps
from storage.models import Base, Innovation
from tests.conftest import MEMBER_ID, MODERATOR_ID, MODERATORS_CHAT_ID
from tests.support.driver import MemberChat
from tests.support.proposals import send_proposal

ChatWith = Callable[..., MemberChat]
NAME = "Gwenaëlle"
CONTACT = "gwen.perso@exemple.bzh"
OTHER_ID = 7777


async def everything(deps: Deps) -> list[tuple[str, dict[str, Any]]]:
    """Every row of every table of the schema, as (table, values)."""
    rows: list[tuple[str, dict[str, Any]]] = []
    async with deps.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            rows.extend(
                (table.name, dict(row._mapping)) for row in await conn.execute(select(table))
            )
    return rows


def mentions(values: dict[str, Any]) -> bool:
    return any(
        value == MEMBER_ID
        or (
            isinstance(value, str)
            and (str(MEMBER_ID) in value or NAME in value or CONTACT in value)
        )
        for value in values.values()
    )


async def history_of_member(chat_with: ChatWith) -> tuple[MemberChat, MemberChat]:
    member = chat_with(first_name=NAME)
    await send_proposal(member, "Ressourcerie Ti Récup", contact=CONTACT)
    moderators = chat_with(MODERATOR_ID, first_name="Mona", chat_id=MODERATORS_CHAT_ID)
    await moderators.press("✅ Publier")
    await send_proposal(  # stays pending
        member,
        "Café solidaire du bourg",
        description="Un café associatif où chacun paie ce qu'il peut.",
        contact=CONTACT,
    )
    await member.say("/proposer")
    await member.say("Brouillon en cours")  # a draft
    await member.say("Une description assez longue pour passer.")
    other = chat_with(OTHER_ID, first_name="Yann")
    await send_proposal(other, "Initiative de Yann", description="Des vélos partagés à Morlaix.")
    return member, other


async def test_export_contains_exactly_the_members_data(
    chat_with: ChatWith, fake: FakeTelegram
) -> None:
    member, _ = await history_of_member(chat_with)
    await member.app.update_persistence()  # PTB writes dialogue states every second
    await member.say("/mesdonnees")
    document = member.last_message()["document"]
    data = json.loads(fake.files[document["file_id"]])
    assert data["profile"]["telegram_id"] == MEMBER_ID
    assert data["profile"]["first_name"] == NAME
    names = [s["name"] for s in data["proposals"]]
    assert names == ["Ressourcerie Ti Récup", "Café solidaire du bourg", "Brouillon en cours"]
    assert [s["status"] for s in data["proposals"]] == ["published", "pending", "draft"]
    assert data["proposals"][0]["contact"] == CONTACT
    assert [c["dialogue"] for c in data["conversations"]] == ["submit"]
    dumped = json.dumps(data, ensure_ascii=False)
    assert "Yann" not in dumped
    assert str(OTHER_ID) not in dumped
    assert str(MODERATOR_ID) not in dumped
    assert "Mona" not in dumped


async def test_forget_erases_everything_personal(chat_with: ChatWith, deps: Deps) -> None:
    member, _ = await history_of_member(chat_with)
    await member.app.update_persistence()  # the draft's dialogue state is in the database
    await member.say("/oublier")
    assert "définitif" in member.last_text()
    await member.press("🗑 Oui, tout effacer")
    assert "effacées" in member.last_text()
    await member.app.update_persistence()

    leftovers = [(table, values) for table, values in await everything(deps) if mentions(values)]
    assert leftovers == []
    async with deps.sessions() as session:
        [published] = await session.scalars(
            select(Innovation).where(Innovation.title == "Ressourcerie Ti Récup")
        )
    assert published.status == "approved"
    assert published.submitted_by is None
    assert any(values.get("member_id") == OTHER_ID for _, values in await everything(deps))
    assert deps.members.cached(MEMBER_ID) is None


async def test_keep_button_erases_nothing(chat_with: ChatWith, deps: Deps) -> None:
    member, _ = await history_of_member(chat_with)
    await member.say("/oublier")
    await member.press("Non, garder")
    assert "je ne touche à rien" in member.last_text()
    assert any(mentions(values) for _, values in await everything(deps))


async def test_notice_and_private_only(chat_with: ChatWith) -> None:
    member = chat_with()
    await member.say("/confidentialite")
    assert "Combien de temps" in member.last_text()
    group = chat_with(chat_id=-4343)
    await group.say("/mesdonnees")
    assert "en privé" in group.last_text()
