"""RSVP through the Bot API double: three answers, the reminder toggle, the member's own ✅, real
plurals, the waiting list in order of arrival, a freed place offered once, organisers' counts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bot.context import BotApp, Deps
from bot.delivery_worker import telegram_sender
from bot.services.delivery.engine import DeliveryEngine
from bot.services.events.views import EventView
from tests.conftest import ADMIN_ID, MEMBER_ID
from tests.support.bot_api import FakeTelegram
from tests.support.clock import FakeClock
from tests.support.driver import MemberChat, plain

TITLE = "Atelier compost partagé"
OFFER = "Une place s'est libérée pour toi"


def _labels(chat: MemberChat, fragment: str = TITLE) -> list[str]:
    return chat.button_labels(chat.message_containing(fragment))


def _toast(fake: FakeTelegram) -> str:
    return plain(str(fake.callback_answers[-1].get("text") or ""))


async def _event(deps: Deps, capacity: int | None = None) -> EventView:
    return await deps.events.create(
        title=TITLE,
        starts_at=datetime.now(UTC) + timedelta(days=10),
        place="Jardin des Mille Pattes",
        capacity=capacity,
    )


async def _press(chat: MemberChat, label: str) -> None:
    await chat.press(label, chat.message_containing(TITLE)["message_id"])


async def _drain(app: BotApp, deps: Deps) -> None:
    clock = FakeClock(datetime.now(UTC))
    await DeliveryEngine(deps.delivery, telegram_sender(app.bot), clock=clock).drain()


async def test_three_answers_and_a_reminder_toggle_that_never_removes_a_yes(
    deps: Deps, fake: FakeTelegram, chat_with: Callable[..., MemberChat]
) -> None:
    await _event(deps)
    chat = chat_with()
    await chat.say("/evenements")
    assert _labels(chat)[:4] == ["Je viens", "Peut-être", "Je ne viens pas", "⏰ Me rappeler"]
    assert "👥 0 personne vient" in chat.message_containing(TITLE)["text"]

    await _press(chat, "Je viens")
    card = plain(chat.message_containing(TITLE)["text"])
    assert "👥 1 personne vient" in card
    assert "🙋 Ta réponse : je viens" in card
    assert _labels(chat)[:4] == ["✅ Je viens", "Peut-être", "Je ne viens pas", "✅ Me rappeler"]
    assert _toast(fake).startswith("Super, on compte sur toi")

    await _press(chat, "✅ Me rappeler")  # the reminder off: still coming
    assert _labels(chat)[:4] == ["✅ Je viens", "Peut-être", "Je ne viens pas", "⏰ Me rappeler"]
    assert "👥 1 personne vient" in plain(chat.message_containing(TITLE)["text"])
    assert "Ta réponse ne change pas" in _toast(fake)
    await _press(chat, "⏰ Me rappeler")  # and on again: still coming
    assert _labels(chat)[:4] == ["✅ Je viens", "Peut-être", "Je ne viens pas", "✅ Me rappeler"]

    await _press(chat, "Peut-être")
    card = plain(chat.message_containing(TITLE)["text"])
    assert "👥 0 personne vient · 1 peut-être" in card
    assert "🙋 Ta réponse : peut-être" in card
    assert _labels(chat)[:4] == ["Je viens", "✅ Peut-être", "Je ne viens pas", "✅ Me rappeler"]

    await _press(chat, "Je ne viens pas")
    assert _labels(chat)[:4] == ["Je viens", "Peut-être", "✅ Je ne viens pas", "⏰ Me rappeler"]
    await _press(chat, "⏰ Me rappeler")  # no reminder after « je ne viens pas »
    assert "Change ta réponse" in _toast(fake)
    assert _labels(chat)[3] == "⏰ Me rappeler"

    # Plurals: two people come (CLDR « other »), and a fresh list marks each member's own.
    other = chat_with(MEMBER_ID + 1, first_name="Yann")
    third = chat_with(MEMBER_ID + 2, first_name="Soazig")
    for member in (other, third):
        await member.say("/evenements")
        await _press(member, "Je viens")
    await chat.say("/evenements")
    assert "👥 2 personnes viennent" in plain(chat.message_containing(TITLE)["text"])
    assert _labels(chat)[:3] == ["Je viens", "Peut-être", "✅ Je ne viens pas"]
    assert _labels(other)[0] == "✅ Je viens"


async def test_a_reminder_alone_is_not_an_answer(
    deps: Deps, chat_with: Callable[..., MemberChat]
) -> None:
    event = await _event(deps)
    chat = chat_with()
    await chat.say(f"/start event-{event.id}")
    await _press(chat, "⏰ Me rappeler")
    assert _labels(chat)[:4] == ["Je viens", "Peut-être", "Je ne viens pas", "✅ Me rappeler"]
    card = plain(chat.message_containing(TITLE)["text"])
    assert "Ta réponse" not in card
    assert "👥 0 personne vient" in card


async def test_a_full_event_keeps_a_waiting_list_and_offers_a_freed_place_once(
    app: BotApp, deps: Deps, fake: FakeTelegram, chat_with: Callable[..., MemberChat]
) -> None:
    event = await _event(deps, capacity=2)
    anne, yann, soazig, per = (
        chat_with(MEMBER_ID + n, first_name=name)
        for n, name in enumerate(("Anne", "Yann", "Soazig", "Per"))
    )
    for member in (anne, yann):
        await member.say("/evenements")
        await _press(member, "Je viens")
    await soazig.say("/evenements")
    assert "👥 2 places prises sur 2 · complet" in plain(soazig.message_containing(TITLE)["text"])
    assert _labels(soazig)[0] == "⏳ Liste d'attente"
    await _press(soazig, "⏳ Liste d'attente")
    assert _toast(fake).startswith("C'est complet : tu es n° 1 sur la liste d'attente")
    assert _labels(soazig)[0] == "✅ Liste d'attente : n° 1"
    assert "⏳ Tu es n° 1 sur la liste d'attente." in plain(
        soazig.message_containing(TITLE)["text"]
    )
    await per.say("/evenements")
    await _press(per, "⏳ Liste d'attente")
    assert "n° 2" in _toast(fake)
    await _press(per, "✅ Liste d'attente : n° 2")  # pressed again: same place in the line
    assert _toast(fake).startswith("Tu es toujours n° 2")
    assert "👥 2 places prises sur 2 · 2 personnes en liste d'attente" in plain(
        per.message_containing(TITLE)["text"]
    )

    # Yann cannot come any more: the place goes to Soazig (first in line), told once.
    await _press(yann, "Je ne viens pas")
    await _drain(app, deps)
    await deps.events.reminders.tick(datetime.now(UTC))  # the job finds nothing more to do
    await _drain(app, deps)
    offers = [t for t in soazig.texts() if OFFER in t]
    assert len(offers) == 1
    assert not [t for t in per.texts() if OFFER in t]
    offer = soazig.message_containing(OFFER)
    assert soazig.button_labels(offer)[0] == "🎟 Je prends la place"
    await soazig.press("🎟 Je prends la place", offer["message_id"])
    assert _toast(fake).startswith("C'est confirmé, la place est à toi")
    (edited,) = [
        m for m in fake.bot_messages(soazig.chat_id) if m["message_id"] == offer["message_id"]
    ]
    assert "🙋 Ta réponse : je viens" in plain(edited["text"])  # the offer became her card
    assert soazig.button_labels(edited)[0] == "✅ Je viens"

    # Per is now first in line; Anne frees her place, Per lets the offer lapse (24 h).
    await _press(anne, "Peut-être")
    await _drain(app, deps)
    assert len([t for t in per.texts() if OFFER in t]) == 1
    card = await deps.events.card(event.id)
    assert (card.coming, card.offered, card.waiting, card.maybe) == (1, 1, 0, 1)
    later = datetime.now(UTC) + timedelta(hours=25)
    await deps.events.reminders.tick(later)
    card = await deps.events.card(event.id, member_id=per.user_id)
    assert (card.coming, card.offered, card.waiting, card.maybe) == (1, 0, 0, 2)
    assert card.mine is not None
    assert card.mine.answer == "maybe"  # out of the line, still hears of a move
    await _drain(app, deps)
    assert len([t for t in per.texts() if OFFER in t]) == 1  # never told twice


async def test_organisers_see_who_comes_maybe_waits(
    deps: Deps, chat_with: Callable[..., MemberChat]
) -> None:
    event = await _event(deps, capacity=1)
    await deps.events.rsvp(event.id, 901, "yes")
    await deps.events.rsvp(event.id, 902, "yes")  # waiting
    await deps.events.rsvp(event.id, 903, "yes")  # waiting
    await deps.events.rsvp(event.id, 904, "maybe")
    await deps.events.rsvp(event.id, 905, "no")
    admin = chat_with(ADMIN_ID, first_name="Gwen")
    await admin.say("/evenements")
    assert (
        "🗂 Organisation : 1 vient · 1 peut-être · 2 en liste d'attente · 1 ne vient pas"
        in plain(admin.message_containing(TITLE)["text"])
    )
    member = chat_with()
    await member.say("/evenements")
    assert "Organisation" not in member.message_containing(TITLE)["text"]
    assert "1 place prise sur 1 · 2 personnes en liste d'attente · 1 peut-être" in plain(
        member.message_containing(TITLE)["text"]
    )


async def test_a_group_chat_card_marks_nobody(
    deps: Deps, fake: FakeTelegram, chat_with: Callable[..., MemberChat]
) -> None:
    await _event(deps)
    fake.add_group(-100777, "Réseau")
    chat = chat_with(chat_id=-100777)
    await chat.say("/evenements")
    await _press(chat, "Je viens")
    assert "👥 1 personne vient" in plain(chat.message_containing(TITLE)["text"])
    assert _labels(chat)[0] == "Je viens"  # everyone in the group sees this message
    assert "Ta réponse" not in chat.message_containing(TITLE)["text"]


async def test_a_forged_answer_to_a_missing_event_says_so(
    fake: FakeTelegram, chat_with: Callable[..., MemberChat]
) -> None:
    chat = chat_with()
    await chat.say("/evenements")
    for action in ("yes", "maybe", "no", "remind"):
        data = f"events:{action}:987654"
        # Not on any message: refused before the events are asked (the press guard).
        await chat.press_data(data)
        assert _toast(fake) == "Ce bouton n'est plus actif."
        # On an old card of an event deleted since: the events say so.
        await chat.press_data(data, chat.earlier_button(data))
        assert _toast(fake) == "Cet événement n'existe plus ou a été annulé."
