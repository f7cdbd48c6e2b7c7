"""Moderation through the double: publish, refuse, ask a question; only moderators act."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from sqlalchemy import select

from bot.console.bot_api import FakeTelegram
from bot.context import Deps
from bot.services.search.service import SearchService
from handlers.proposals import keys
from storage.models import Innovation, Proposal, ProposalEvent
from tests.conftest import ADMIN_ID, MEMBER_ID, MODERATOR_ID, MODERATORS_CHAT_ID
from tests.support.driver import MemberChat, plain
from tests.support.proposals import card_of, send_proposal

ChatWith = Callable[..., MemberChat]


async def reply(chat: MemberChat, text: str) -> None:
    """Answer the bot's newest message with a Telegram reply (as ForceReply makes members do)."""
    prompt = chat.last_message()["message_id"]
    await chat.deliver(
        chat.fake.send_text(chat.user_id, text, chat_id=chat.chat_id, reply_to=prompt)
    )


async def only_proposal(deps: Deps) -> Proposal:
    async with deps.sessions() as session:
        [row] = list(await session.scalars(select(Proposal)))
        return row


async def trail(deps: Deps) -> list[tuple[str, int | None, str]]:
    async with deps.sessions() as session:
        events = await session.scalars(select(ProposalEvent).order_by(ProposalEvent.id))
        return [(e.action, e.actor_id, e.detail) for e in events]


async def test_publish_makes_it_searchable_and_tells_the_member(
    chat_with: ChatWith, fake: FakeTelegram, deps: Deps
) -> None:
    member = chat_with()
    await send_proposal(member, "Ressourcerie Ti Récup")
    moderators = chat_with(MODERATOR_ID, first_name="Mona", chat_id=MODERATORS_CHAT_ID)
    await moderators.press("✅ Publier")

    row = await only_proposal(deps)
    assert row.status == "published"
    assert row.decided_by == MODERATOR_ID
    async with deps.sessions() as session:
        innovation = await session.get(Innovation, row.innovation_id)
    assert innovation is not None
    assert (innovation.status, innovation.submitted_by) == ("approved", MEMBER_ID)
    card = card_of(fake.bot_messages(MODERATORS_CHAT_ID), row.id)
    assert "Publiée par Mona" in card["text"]
    assert not fake.buttons(card)
    assert "Bonne nouvelle" in member.last_text()
    found = await SearchService(deps.sessions).search("ressourcerie ti récup")
    assert ("innovation", innovation.id) in [(h.kind, h.ref_id) for h in found.hits]
    assert [(a, who) for a, who, _ in await trail(deps)] == [
        ("submitted", MEMBER_ID),
        ("published", MODERATOR_ID),
    ]


async def test_refuse_with_a_chosen_reason_in_the_members_language(
    chat_with: ChatWith, fake: FakeTelegram, deps: Deps
) -> None:
    member = chat_with(language_code="en")
    await send_proposal(
        member,
        public_label="🌍 May be shown publicly",
        send_label="📨 Send",
    )
    moderators = chat_with(MODERATOR_ID, first_name="Mona", chat_id=MODERATORS_CHAT_ID)
    await moderators.press("❌ Refuser")
    await moderators.press("hors Bretagne")
    row = await only_proposal(deps)
    assert (row.status, row.reason) == ("refused", "@outside")
    assert "did not accept it: outside Brittany" in member.last_text()
    card = card_of(fake.bot_messages(MODERATORS_CHAT_ID), row.id)
    assert "Refusée par Mona" in card["text"]
    assert "hors Bretagne" in card["text"]
    async with deps.sessions() as session:
        assert (
            list(
                await session.scalars(
                    select(Innovation).where(Innovation.submitted_by == MEMBER_ID)
                )
            )
            == []
        )


async def test_refuse_with_a_typed_reason(chat_with: ChatWith, deps: Deps) -> None:
    member = chat_with()
    await send_proposal(member)
    moderators = chat_with(MODERATOR_ID, first_name="Mona", chat_id=MODERATORS_CHAT_ID)
    await moderators.press("❌ Refuser")
    await moderators.press("✍️ Écrire un motif")
    assert "écris le motif" in moderators.last_text()
    await moderators.say("Quelqu'un a vu mes clés ?")  # chatter, not a reply: ignored
    assert (await only_proposal(deps)).status == "pending"
    await reply(moderators, "Le projet a fermé en 2019.")
    row = await only_proposal(deps)
    assert (row.status, row.reason) == ("refused", "Le projet a fermé en 2019.")
    assert member.last_text().endswith("Le projet a fermé en 2019.")
    assert ("refused", MODERATOR_ID, "Le projet a fermé en 2019.") in await trail(deps)


async def test_question_goes_to_member_and_answer_comes_back_to_card(
    chat_with: ChatWith, fake: FakeTelegram, deps: Deps
) -> None:
    member = chat_with()
    await send_proposal(member)
    moderators = chat_with(MODERATOR_ID, first_name="Mona", chat_id=MODERATORS_CHAT_ID)
    await moderators.press("❓ Demander une précision")
    await reply(moderators, "Quel public visez-vous ?")
    assert "Quel public visez-vous ?" in member.last_text()
    await member.press("✍️ Répondre")
    await member.say("Les familles du quartier de Ker Uhel.")
    assert "transmise" in member.last_text()
    row = await only_proposal(deps)
    assert row.status == "pending"
    card = card_of(fake.bot_messages(MODERATORS_CHAT_ID), row.id)
    assert "Quel public visez-vous ?" in card["text"]
    assert "Les familles du quartier de Ker Uhel." in card["text"]
    assert fake.buttons(card)  # still to decide
    assert "Les familles du quartier" in moderators.last_text()  # the reply to the card
    await moderators.press("✅ Publier", message_id=card["message_id"])
    assert (await only_proposal(deps)).status == "published"
    actions = [a for a, _, _ in await trail(deps)]
    assert actions == ["submitted", "asked", "answered", "published"]


async def test_non_moderator_and_replayed_presses_change_nothing(
    chat_with: ChatWith, fake: FakeTelegram, deps: Deps, caplog: pytest.LogCaptureFixture
) -> None:
    member = chat_with()
    await send_proposal(member)
    row = await only_proposal(deps)
    card = card_of(fake.bot_messages(MODERATORS_CHAT_ID), row.id)
    publish = keys.PUBLISH.data(row.id, 0)
    intruder = chat_with(5555, first_name="Intrus", chat_id=MODERATORS_CHAT_ID)
    caplog.set_level(logging.INFO)
    await intruder.press_data(publish, message_id=card["message_id"])
    assert (await only_proposal(deps)).status == "pending"
    assert "réservée" in fake.callback_answers[-1]["text"]
    assert any("refused moderator action" in r.getMessage() for r in caplog.records)
    await intruder.press_data(keys.ASK.data(row.id, 0), message_id=card["message_id"])
    await intruder.say("Une fausse question")
    assert "Une fausse question" not in member.last_text()
    # The member themself cannot publish from their private chat either.
    await member.press_data(publish, message_id=member.last_message()["message_id"])
    assert (await only_proposal(deps)).status == "pending"

    moderators = chat_with(MODERATOR_ID, chat_id=MODERATORS_CHAT_ID)
    await moderators.press_data(publish, message_id=card["message_id"])
    await moderators.press_data(keys.REASON.data(row.id, 0), message_id=card["message_id"])
    assert (await only_proposal(deps)).status == "published"
    # The replay is told who decided and when, and changes nothing.
    assert plain(fake.callback_answers[-1]["text"]).startswith("Déjà publiée par Anne à ")
    assert any("not applied: published" in r.getMessage() for r in caplog.records)
    await moderators.press_data(keys.PUBLISH.data(row.id + 99, 0), message_id=card["message_id"])
    assert any("replayed or forged" in r.getMessage() for r in caplog.records)
    async with deps.sessions() as session:
        innovations = await session.scalars(
            select(Innovation).where(Innovation.submitted_by == MEMBER_ID)
        )
        assert len(list(innovations)) == 1


async def test_moderation_command_lists_pending_oldest_first(chat_with: ChatWith) -> None:
    member = chat_with()
    await send_proposal(member, "Première initiative solidaire")
    await send_proposal(member, "Seconde initiative coopérative")
    moderator = chat_with(MODERATOR_ID)
    await moderator.say("/moderation")
    texts = moderator.texts()
    assert "2 propositions en attente" in texts[-3]
    assert "Première initiative" in texts[-2]
    assert "Seconde initiative" in texts[-1]
    await moderator.press("✅ Publier")  # from the private list, the newest card
    assert "Publiée par" in moderator.last_text()
    stranger = chat_with(6666)
    await stranger.say("/moderation")
    assert "réservée" in stranger.last_text()


async def test_long_questions_and_answers_are_refused_kindly(
    chat_with: ChatWith, fake: FakeTelegram, deps: Deps
) -> None:
    member = chat_with()
    await send_proposal(member, description="D" * 1000)
    moderators = chat_with(MODERATOR_ID, first_name="Mona", chat_id=MODERATORS_CHAT_ID)
    await moderators.press("❓ Demander une précision")
    await reply(moderators, "Q" * 1500)
    assert "1 500 caractères, pour 1 000" in moderators.last_text()
    await reply(moderators, "Q" * 1000)
    await member.press("✍️ Répondre")
    await member.say("R" * 1001)
    assert "1 001 caractères, pour 1 000" in member.last_text()
    for _ in range(3):  # several rounds: the card stays within Telegram's limit
        await member.say("R" * 1000)
        await moderators.press("❓ Demander une précision", message_id=card_id(fake))
        await reply(moderators, "Q" * 1000)
        await member.press("✍️ Répondre")
    row = await only_proposal(deps)
    card = card_of(fake.bot_messages(MODERATORS_CHAT_ID), row.id)
    assert "…" in card["text"]
    assert len(card["text"]) < 4096


def card_id(fake: FakeTelegram) -> int:
    for message in fake.bot_messages(MODERATORS_CHAT_ID):
        if "Proposition n°" in message.get("text", ""):
            return int(message["message_id"])
    raise AssertionError("no card")


async def test_member_who_blocked_the_bot_is_marked_unreachable(
    chat_with: ChatWith, fake: FakeTelegram, deps: Deps
) -> None:
    from storage.models import Member

    member = chat_with()
    await send_proposal(member)
    fake.block(MEMBER_ID)
    moderators = chat_with(MODERATOR_ID, chat_id=MODERATORS_CHAT_ID)
    await moderators.press("✅ Publier")
    assert (await only_proposal(deps)).status == "published"
    async with deps.sessions() as session:
        row = await session.get(Member, MEMBER_ID)
    assert row is not None
    assert row.is_reachable is False


async def test_a_colleague_typing_holds_the_card_and_a_decision_first_wins(
    chat_with: ChatWith, fake: FakeTelegram, deps: Deps
) -> None:
    member = chat_with()
    await send_proposal(member)
    row = await only_proposal(deps)
    # Names as typed in Telegram: plain in a toast, escaped in a message.
    mona = chat_with(MODERATOR_ID, first_name="Mona & Co", chat_id=MODERATORS_CHAT_ID)
    anne = chat_with(ADMIN_ID, first_name="Anne <3", chat_id=MODERATORS_CHAT_ID)
    card_id = card_of(fake.bot_messages(MODERATORS_CHAT_ID), row.id)["message_id"]
    await mona.press("❌ Refuser", message_id=card_id)
    await mona.press("✍️ Écrire un motif", message_id=card_id)
    mona_prompt = mona.last_message()["message_id"]
    await anne.press_data(keys.ASK.data(row.id, 0), message_id=card_id)
    assert plain(fake.callback_answers[-1]["text"]).startswith(
        "Mona & Co est déjà en train d'écrire"
    )
    await anne.press_data(keys.PUBLISH.data(row.id, 0), message_id=card_id)
    assert (await only_proposal(deps)).status == "published"
    told = len(fake.bot_texts(MEMBER_ID))

    await mona.deliver(
        fake.send_text(
            MODERATOR_ID, "Hors sujet", chat_id=MODERATORS_CHAT_ID, reply_to=mona_prompt
        )
    )
    assert mona.last_text().startswith("Ton texte n'a pas été envoyé. Déjà publiée par Anne <3 à ")
    row = await only_proposal(deps)
    assert (row.status, row.reason, row.prompt_by) == ("published", "", None)
    assert len(fake.bot_texts(MEMBER_ID)) == told  # the member heard « publiée » only
    assert "refused" not in [action for action, _, _ in await trail(deps)]
