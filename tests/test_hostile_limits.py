"""Telegram's limits in UTF-16 units: the moderation card at its widest, and /moderation.

« 𝕒 » is one character for Python and two units for Telegram: a proposal written in such
characters, at every field's limit, with two question and answer rounds, once made the card
exceed 4,096 units, so it was never updated and /moderation stopped at it.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.console.bot_api import parse_html
from bot.texts import MESSAGE_LIMIT, utf16_length
from tests.conftest import MEMBER_ID, MODERATOR_ID, MODERATORS_CHAT_ID
from tests.support.bot_api import FakeTelegram
from tests.support.driver import MemberChat
from tests.support.proposals import send_proposal

ChatWith = Callable[..., MemberChat]
W = "𝕒"  # 2 UTF-16 units


async def reply(chat: MemberChat, text: str) -> None:
    prompt = chat.last_message()["message_id"]
    await chat.deliver(
        chat.fake.send_text(chat.user_id, text, chat_id=chat.chat_id, reply_to=prompt)
    )


def cards(fake: FakeTelegram, chat_id: int) -> list[dict[str, object]]:
    return [m for m in fake.bot_messages(chat_id) if "Proposition n°" in str(m.get("text"))]


async def longest(chat: MemberChat, limit: int, send: Callable[[str], object]) -> None:
    """Type ``limit`` wide characters, or half as many when the bot says it is too long (as a
    member would): the longest answer the bot accepts, whichever way it counts."""
    await send(W * limit)  # type: ignore[misc]
    if any("un peu long" in text for text in chat.texts()[-2:]):
        await send(W * (limit // 2))  # type: ignore[misc]


async def widest_proposal(member: MemberChat) -> None:
    await member.say("/proposer")
    await longest(member, 120, member.say)  # the name
    await longest(member, 1000, member.say)  # the description
    await member.press(member.button_labels()[0])  # the first theme
    await member.say("Lannion")
    await longest(member, 200, member.say)  # the organisation
    await member.say("https://ti-recup.bzh/" + W * 139)
    await member.say(W * 64 + "@ti-recup.bzh")
    await member.press("🔒 Seulement pour les organisateurs")
    await member.say("/passer")
    await member.press("📨 Envoyer")
    assert "est envoyée" in member.last_text()


async def test_field_limits_count_utf16_units(chat_with: ChatWith) -> None:
    member = chat_with()
    await member.say("/proposer")
    await member.say(W * 61)  # 61 characters, 122 units: over the 120 of a name
    assert "122 caractères, pour 120" in "\n".join(member.texts()[-2:])


async def test_the_widest_card_with_two_rounds_fits_and_moderation_lists_everything(
    chat_with: ChatWith, fake: FakeTelegram
) -> None:
    member = chat_with()
    await widest_proposal(member)
    other = chat_with(MEMBER_ID + 1, first_name="Yann")
    await send_proposal(other, "Atelier vélo")
    moderators = chat_with(MODERATOR_ID, first_name="Mona", chat_id=MODERATORS_CHAT_ID)
    card_id = int(cards(fake, MODERATORS_CHAT_ID)[0]["message_id"])  # type: ignore[call-overload]
    for _ in range(2):
        await moderators.press("❓ Demander une précision", message_id=card_id)
        await longest(moderators, 1000, lambda text: reply(moderators, text))
        await member.press("✍️ Répondre")
        await longest(member, 1000, member.say)
    await moderators.press("❌ Refuser", message_id=card_id)
    await moderators.press("↩️ Retour", message_id=card_id)
    assert fake.refused == []
    card = fake.messages(MODERATORS_CHAT_ID)[card_id - 1]
    assert card["message_id"] == card_id
    assert "edit_date" in card
    visible = str(card["text"])
    assert utf16_length(visible) <= MESSAGE_LIMIT
    assert W * 100 in visible  # the latest answer is there, shortened
    assert fake.buttons(card)  # still to decide

    private = chat_with(MODERATOR_ID, first_name="Mona")
    await private.say("/moderation")
    listed = cards(fake, MODERATOR_ID)
    assert len(listed) == 2  # the widest card did not hide the one behind it
    assert fake.refused == []
    for message in listed:
        assert utf16_length(parse_html(str(message["html"])).text) <= MESSAGE_LIMIT
