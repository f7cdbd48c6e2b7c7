"""One event, one card: every path that shows an event shows the same text and the same buttons.

Search hit, FAQ « quand a lieu la prochaine réunion ? », /rencontres, /evenements, /events, a
deep link (by id and by slug), a poster's QR code payload and a catalogue button sent before
the move all reach the events feature's card with its RSVP buttons; the new-event notice sent
to followers is that card under its header. A past event keeps its figures, not the answers.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.context import BotApp, Deps
from bot.delivery_worker import telegram_sender
from bot.services.catalogue.qr_codes import deep_link
from bot.services.delivery.engine import DeliveryEngine
from tests.conftest import MEMBER_ID
from tests.support.clock import FakeClock
from tests.support.driver import MemberChat, plain

FOLLOWER_ID = MEMBER_ID + 1
TITLE = "Forum des jardins partagés"
RSVP = ["Je viens", "Peut-être", "Je ne viens pas", "⏰ Me rappeler", "📆 Ajouter à mon agenda"]
MINE = ["✅ Je viens", "Peut-être", "Je ne viens pas", "✅ Me rappeler", "📆 Ajouter à mon agenda"]


def _card(chat: MemberChat, message: dict[str, Any]) -> tuple[str, list[list[dict[str, str]]]]:
    """What the member sees of a message: its text and its buttons."""
    return plain(str(message["text"])), chat.fake.buttons(message)


def _answers(buttons: list[list[dict[str, str]]]) -> list[tuple[str, str]]:
    """The RSVP buttons (and .ics): label and callback data."""
    answers = ("events:yes:", "events:maybe:", "events:no:", "events:remind:", "events:ics:")
    return [
        (b["text"], b["callback_data"])
        for row in buttons
        for b in row
        if b.get("callback_data", "").startswith(answers)
    ]


async def test_an_upcoming_event_has_one_card_wherever_it_is_opened(
    app: BotApp, deps: Deps, chat_with: Callable[..., MemberChat]
) -> None:
    follower = chat_with(FOLLOWER_ID, first_name="Yann")
    await follower.say("/abonnements")
    await follower.press("▫️ Toutes les rencontres")
    event = await deps.events.create(
        title=TITLE,
        starts_at=datetime.now(UTC) + timedelta(days=12),
        place="Le Diapason",
        address="Campus de Beaulieu, Rennes",
        description="Troc de graines et visite des jardins du campus.",
    )
    await DeliveryEngine(
        deps.delivery, telegram_sender(app.bot), clock=FakeClock(datetime.now(UTC))
    ).drain()
    notice_text, notice_buttons = _card(follower, follower.last_message())

    chat = chat_with()
    seen: dict[str, tuple[str, list[list[dict[str, str]]]]] = {}
    await chat.say("jardins partagés")  # a search: the hit's button opens the card in place
    await chat.press(next(label for label in chat.button_labels() if TITLE in label))
    seen["search"] = _card(chat, chat.last_message())
    await chat.say("quand a lieu la prochaine réunion ?")
    seen["faq"] = _card(chat, chat.last_message())
    for command in ("/rencontres", "/evenements", "/events"):
        await chat.say(command)
        seen[command] = _card(chat, chat.message_containing(TITLE))
    await chat.say(f"/start event-{event.id}")
    seen["deep link"] = _card(chat, chat.last_message())
    for target in (f"event-{event.id}", f"event-{event.slug}"):
        poster = deep_link(app.bot.username, target)  # what the QR code on a poster holds
        await chat.say("/start " + poster.split("?start=", 1)[1])
        seen[f"QR {target}"] = _card(chat, chat.last_message())
    await chat.press_data(f"cat:ev:{event.id}", chat.last_message()["message_id"])
    seen["old catalogue button"] = _card(chat, chat.last_message())

    text, buttons = seen["search"]
    assert text.startswith(f"📅 {TITLE}\n🕒 ")
    assert "📍 Le Diapason, Campus de Beaulieu, Rennes" in text
    assert "👥 0 personne vient" in text
    assert [label for label, _ in _answers(buttons)] == RSVP
    for path, card in seen.items():
        assert card == (text, buttons), path
    assert notice_text == f"🆕 Nouvelle rencontre\n{text}"
    assert _answers(notice_buttons) == _answers(buttons)

    await chat.press("Je viens", chat.last_message()["message_id"])
    assert "👥 1 personne vient" in chat.last_text()  # the same card, refreshed in place
    assert "🙋 Ta réponse : je viens" in chat.last_text()
    assert [label for label, _ in _answers(chat.fake.buttons(chat.last_message()))] == MINE


async def test_a_past_event_keeps_its_figures_without_the_answers(
    chat_with: Callable[..., MemberChat],
) -> None:
    chat = chat_with()
    await chat.say("/start event-innov-deizh-2013")
    deep = _card(chat, chat.last_message())
    await chat.say("combien de participants en 2013 ?")  # the FAQ shows the same card
    assert _card(chat, chat.last_message()) == deep
    await chat.say("/rencontres")
    await chat.press("🗂 Journée Innov'Deizh du 24 octobre 2013")
    text, buttons = _card(chat, chat.last_message())
    assert (text, buttons) == deep
    assert "• Participants : plus de 300 personnes" in text  # « Plus de 300 participants »
    assert "jeudi 24 octobre 2013 à 9 h – 17 h 30" in text  # the card gives the whole day
    assert "🗣 Les propositions à débattre" in text
    assert "Je viens" not in text
    assert _answers(buttons) == []
    assert [b["text"] for row in buttons for b in row] == [
        "🗺️ Voir le plan",
        "⬅️ Retour",
        "📤 Partager",
    ]
