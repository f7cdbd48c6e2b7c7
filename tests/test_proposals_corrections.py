"""Moderators correct a field of a proposal before publishing it (« Corriger », issue 10)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from bot.console.bot_api import FakeTelegram
from bot.context import Deps
from storage.models import Innovation, Proposal, ProposalEvent
from tests.conftest import MEMBER_ID, MODERATOR_ID, MODERATORS_CHAT_ID
from tests.support.driver import MemberChat
from tests.support.proposals import card_of, send_proposal

ChatWith = Callable[..., MemberChat]
REFUSED = "Cette action est réservée à l'équipe de modération."


async def reply(chat: MemberChat, text: str) -> None:
    """Answer the bot's newest message with a Telegram reply (as ForceReply makes people do)."""
    prompt = chat.last_message()["message_id"]
    await chat.deliver(
        chat.fake.send_text(chat.user_id, text, chat_id=chat.chat_id, reply_to=prompt)
    )


async def test_correct_a_field_then_publish(
    chat_with: ChatWith, fake: FakeTelegram, deps: Deps
) -> None:
    member = chat_with()
    await send_proposal(member, "Resourcerie Ti Recup")
    moderators = chat_with(MODERATOR_ID, first_name="Mona", chat_id=MODERATORS_CHAT_ID)
    card = card_of(fake.bot_messages(MODERATORS_CHAT_ID), 1)
    assert "✏️ Corriger" in moderators.button_labels(card)
    await moderators.press("✏️ Corriger", card["message_id"])
    card = card_of(fake.bot_messages(MODERATORS_CHAT_ID), 1)
    labels = moderators.button_labels(card)
    assert labels == ["Nom", "Description", "Thème", "Lieu", "Porteur", "Lien", "↩️ Retour"]
    await moderators.press("Nom", card["message_id"])
    assert "Mona, écris la nouvelle valeur de « " in moderators.last_text()
    assert "Resourcerie Ti Recup" in moderators.last_text()
    await moderators.say("Ressourcerie Ti Récup")  # not a reply: colleagues' chatter
    async with deps.sessions() as session:
        assert (await session.get(Proposal, 1)).name == "Resourcerie Ti Recup"  # type: ignore[union-attr]
    await reply(moderators, "R")  # too short: the same checks as the member's answer
    await reply(moderators, "Ressourcerie Ti Récup")
    assert moderators.last_text().startswith("✅ C'est corrigé")
    card = card_of(fake.bot_messages(MODERATORS_CHAT_ID), 1)
    assert "Ressourcerie Ti Récup" in card["text"]
    assert "✅ Publier" in moderators.button_labels(card)  # back to the decision buttons
    await moderators.press("✅ Publier", card["message_id"])
    async with deps.sessions() as session:
        innovation = (
            await session.scalars(select(Innovation).where(Innovation.submitted_by == MEMBER_ID))
        ).one()
        actions = [e.action for e in await session.scalars(select(ProposalEvent))]
    assert innovation.title == "Ressourcerie Ti Récup"
    assert "corrected" in actions


async def test_members_cannot_correct_and_decided_proposals_are_not_corrected(
    chat_with: ChatWith, fake: FakeTelegram, deps: Deps
) -> None:
    member = chat_with()
    await send_proposal(member, "Ressourcerie du Trégor")
    await member.press_data(
        "proposals:fix:1:0", member.earlier_button("proposals:fix:1:0")
    )  # a message carrying it
    assert (
        fake.callback_answers[-1]["text"] == "Cette action est réservée à l'équipe de modération."
    )
    await member.press_data(
        "proposals:fixfield:1:0", member.earlier_button("proposals:fixfield:1:0")
    )  # a message carrying it
    assert (
        fake.callback_answers[-1]["text"] == "Cette action est réservée à l'équipe de modération."
    )
    moderators = chat_with(MODERATOR_ID, first_name="Mona", chat_id=MODERATORS_CHAT_ID)
    await moderators.press("✅ Publier")
    await moderators.press_data("proposals:fixfield:1:0")
    assert "déjà" in fake.callback_answers[-1]["text"]
    async with deps.sessions() as session:
        row = await session.get(Proposal, 1)
    assert row is not None
    assert (row.prompt_by, row.name) == (None, "Ressourcerie du Trégor")


async def test_a_typed_theme_is_filed_like_the_member_s(
    chat_with: ChatWith, fake: FakeTelegram, deps: Deps
) -> None:
    member = chat_with()
    await send_proposal(member, "Vélos partagés du Trégor")
    moderators = chat_with(MODERATOR_ID, first_name="Mona", chat_id=MODERATORS_CHAT_ID)
    card = card_of(fake.bot_messages(MODERATORS_CHAT_ID), 1)
    await moderators.press("✏️ Corriger", card["message_id"])
    await moderators.press("Thème", card["message_id"])
    await reply(moderators, "mobilité")  # was « Oups » (a typed theme raised)
    assert moderators.last_text().startswith("✅ C'est corrigé")
    async with deps.sessions() as session:
        assert (await session.get(Proposal, 1)).theme == "Mobilité"  # type: ignore[union-attr]
    await moderators.press("✏️ Corriger", card["message_id"])
    await moderators.press("Thème", card["message_id"])
    await reply(moderators, "zzz qqq")  # nothing close: « Autre », as for the member
    async with deps.sessions() as session:
        assert (await session.get(Proposal, 1)).theme == "autre"  # type: ignore[union-attr]
