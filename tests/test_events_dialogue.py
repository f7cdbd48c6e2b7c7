"""Events end to end through the double: create by dialogue, RSVP, .ics, three reminders."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
from sqlalchemy import select

from bot.console.bot_api import FakeTelegram
from bot.context import BotApp, Deps
from bot.delivery_worker import telegram_sender
from bot.services.delivery.engine import DeliveryEngine
from handlers import delivery
from handlers.events import keys
from storage.models import Event, EventReminder
from tests.conftest import ADMIN_ID, MEMBER_ID
from tests.support.clock import FakeClock
from tests.support.driver import MemberChat, plain

PARIS = ZoneInfo("Europe/Paris")


async def _drain(app: BotApp, deps: Deps, at: datetime) -> None:
    """Fire reminders due at ``at`` and deliver the outbox, on a clock that never sleeps."""
    await deps.events.reminders.tick(at)
    engine = DeliveryEngine(deps.delivery, telegram_sender(app.bot), clock=FakeClock(at))
    await engine.drain()


def _ics_of(fake: FakeTelegram, message: dict[str, object]) -> icalendar.Calendar:
    document = message["document"]
    assert isinstance(document, dict)
    return icalendar.Calendar.from_ical(fake.files[document["file_id"]])


async def test_create_rsvp_ics_and_three_reminders(
    app: BotApp, deps: Deps, fake: FakeTelegram, chat_with: Callable[..., MemberChat]
) -> None:
    admin = chat_with(ADMIN_ID, first_name="Gwen")
    await admin.say("/nouvel_evenement")
    await admin.say("Réunion de débriefing")
    await admin.say("jeudi 13 février 2027 à 14h")
    await admin.say("Maison des associations")
    await admin.say("6 cours des Alliés, Rennes")
    await admin.press("Passer")
    await admin.say("/passer")  # the theme: typed /passer is the « Passer » button
    await admin.say("40")
    await admin.press("Non")
    assert any("tombe un autre jour" in text for text in admin.texts())  # 13/02/2027: Saturday
    await admin.press("✅ Publier")
    assert "C'est publié" in admin.last_text()
    async with deps.sessions() as session:
        event = (await session.scalars(select(Event).where(Event.slug.like("rencontre-%")))).one()
        reminders = list(await session.scalars(select(EventReminder)))
    assert event.starts_at == datetime(2027, 2, 13, 14, tzinfo=PARIS)
    assert (event.capacity, event.address) == (40, "6 cours des Alliés, Rennes")
    assert sorted(r.offset_minutes for r in reminders) == [120, 1440, 10080]

    member = chat_with(MEMBER_ID)
    await member.say("/evenements")
    card = member.message_containing("Réunion de débriefing")["message_id"]
    await member.press("Je viens", card)
    assert "1 place prise sur 40" in plain(  # in place
        member.message_containing("Réunion de débriefing")["text"]
    )
    assert member.message_containing("Réunion de débriefing")["message_id"] == card
    await member.press("📆 Ajouter à mon agenda", card)
    calendar = _ics_of(fake, member.last_message())
    vevent = calendar.walk("VEVENT")[0]
    start = vevent.decoded("dtstart")
    assert (start.hour, start.utcoffset()) == (14, timedelta(hours=1))
    assert str(vevent["uid"]) == f"event-{event.id}@innovdeizh.bzh"

    sent_before = len(member.texts())
    for offset in (timedelta(days=7), timedelta(days=1), timedelta(hours=2)):
        await _drain(app, deps, event.starts_at - offset + timedelta(seconds=5))
    reminders_seen = member.texts()[sent_before:]
    assert len(reminders_seen) == 3
    assert "dans 7 jours" in reminders_seen[0]
    assert "demain" in reminders_seen[1]
    assert "dans 2 heures" in reminders_seen[2]
    assert "samedi 13 février 2027 à 14 h" in reminders_seen[2]
    labels = member.button_labels(member.last_message())
    assert labels[:4] == ["✅ Je viens", "Peut-être", "Je ne viens pas", "✅ Me rappeler"]
    assert "🗺️ Voir le plan" in labels
    # A late second wake-up sends nothing more.
    await _drain(app, deps, event.starts_at - timedelta(hours=1))
    assert len(member.texts()) == sent_before + 3


async def test_ics_has_the_summer_local_time(
    deps: Deps, fake: FakeTelegram, chat_with: Callable[..., MemberChat]
) -> None:
    summer = datetime(2027, 7, 8, 18, 30, tzinfo=PARIS)
    event = await deps.events.create(title="Rencontre d'été", starts_at=summer)
    member = chat_with(MEMBER_ID)
    await member.say("/evenements")
    card = member.message_containing("Rencontre d'été")["message_id"]
    await member.press("📆 Ajouter à mon agenda", card)
    vevent = _ics_of(fake, member.last_message()).walk("VEVENT")[0]
    start = vevent.decoded("dtstart")
    assert (start.hour, start.minute, start.utcoffset()) == (18, 30, timedelta(hours=2))
    assert start.astimezone(UTC).hour == 16
    assert event.id > 0


async def test_non_admins_cannot_create_events_or_announce(
    deps: Deps, fake: FakeTelegram, chat_with: Callable[..., MemberChat]
) -> None:
    member = chat_with(MEMBER_ID)
    await member.say("/nouvel_evenement")
    assert member.last_text() == "Cette action est réservée aux organisateurs."
    await member.say("/annonce")
    assert member.last_text() == "Cette action est réservée aux organisateurs."
    for data in (keys.NEW.data("publish"), delivery.SEND.data()):
        await member.press_data(data, member.earlier_button(data))  # a message carrying it
        assert fake.callback_answers[-1]["text"] == "Cette action est réservée aux organisateurs."
    async with deps.sessions() as session:
        assert not list(await session.scalars(select(Event).where(Event.slug.like("rencontre-%"))))


async def test_dialogue_asks_the_theme_goes_back_and_edits_before_publishing(
    deps: Deps, chat_with: Callable[..., MemberChat]
) -> None:
    admin = chat_with(ADMIN_ID, first_name="Gwen")
    await admin.say("/nouvel_evenement")
    await admin.say("Café mobilité")
    await admin.say("/retour")  # from the date: the title again
    assert admin.last_text().startswith("Nouvelle rencontre ! Quel est son titre ?")
    await admin.say("Café des mobilités")
    await admin.say("13/02/2030 18h")
    await admin.say("Le Bistrot, Quimper")
    await admin.say("/passer")  # the address
    await admin.say("On parle covoiturage.")
    assert admin.last_text().startswith("Son thème ?")
    themes = admin.button_labels()
    assert len(themes) > 2
    assert themes[-1] == "Passer"
    rows = admin.fake.buttons(admin.newest_with_buttons())
    assert all(len(row) <= 2 for row in rows)  # two columns
    await admin.say("un thème tapé")  # not a new category: the buttons are asked for
    assert admin.last_text() == "Choisis le thème avec un bouton, ou « Passer »."
    theme = themes[0]
    await admin.press(theme)
    assert admin.last_text().startswith("Combien de places au plus ?")
    await admin.say("/retour")  # the theme again
    assert admin.last_text().startswith("Son thème ?")
    await admin.press(theme)
    await admin.say("/passer")  # no limit
    await admin.press("Non")
    assert any(f"Thème : {theme}" in text for text in admin.texts()[-4:])
    assert admin.button_labels()[:2] == ["✏️ Modifier", "✅ Publier"]
    await admin.press("✏️ Modifier")
    assert admin.last_text() == "Que veux-tu modifier ?"
    await admin.press("Lieu")
    assert admin.last_text().startswith("Où ?")
    await admin.say("La Halle, Quimper")
    assert admin.last_text() == "Je la publie ?"  # straight back to the preview
    assert any("La Halle, Quimper" in text for text in admin.texts()[-4:])
    await admin.press("✅ Publier")
    async with deps.sessions() as session:
        event = (
            await session.scalars(select(Event).where(Event.title == "Café des mobilités"))
        ).one()
    assert (event.place, event.theme, event.address, event.capacity) == (
        "La Halle, Quimper",
        theme,
        "",
        None,
    )
    member = chat_with(MEMBER_ID)
    await member.say("/abonnements")
    assert any(theme in label for label in member.button_labels())


async def test_a_needed_answer_is_not_skipped_and_typing_at_a_button_question_asks_again(
    chat_with: Callable[..., MemberChat],
) -> None:
    admin = chat_with(ADMIN_ID, first_name="Gwen")
    await admin.say("/nouvel_evenement")
    await admin.say("/passer")  # the title is needed: said so, not « unknown command »
    assert admin.last_text() == "Cette question est nécessaire, je ne peux pas la passer."
    await admin.say("Café des mobilités")
    await admin.say("13/02/2030 18h")
    await admin.say("/passer")  # the place is needed too
    assert admin.last_text() == "Cette question est nécessaire, je ne peux pas la passer."
    await admin.say("Le Bistrot, Quimper")
    await admin.say("/passer")  # the address
    await admin.say("/passer")  # the description
    await admin.say("/passer")  # the theme
    await admin.say("/passer")  # no limit
    assert admin.last_text() == "Cette rencontre revient-elle chaque année ?"
    await admin.say("non")  # typed, not pressed: the question and its buttons again, no search
    assert admin.last_text() == "Cette rencontre revient-elle chaque année ?"
    assert admin.button_labels() == ["Oui", "Non"]
    await admin.press("Non")
    assert admin.last_text() == "Je la publie ?"
