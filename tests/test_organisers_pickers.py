"""Organisers never need an identifier they cannot see: bare commands offer buttons, numbers
are on the cards, dates in one French grammar, missing cards said as such (issue 10)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.console.bot_api import FakeTelegram
from bot.context import Deps
from bot.services.french_dates import parse_french_datetime
from storage.models import Event, OutboxMessage, QuickPoll, Survey
from tests.conftest import ADMIN_ID, MEMBER_ID
from tests.support.driver import MemberChat

PARIS = ZoneInfo("Europe/Paris")
REFUSED = "Cette action est réservée aux organisateurs."


async def upcoming_event(deps: Deps, title: str = "Atelier mobilité", days: int = 10) -> int:
    view = await deps.events.create(
        title=title, starts_at=datetime.now(UTC) + timedelta(days=days), place="Rennes"
    )
    return view.id


def test_one_date_grammar_weekday_alone_and_in_hours() -> None:
    now = datetime(2027, 2, 10, 15, 0, tzinfo=PARIS)  # a Wednesday, 15:00
    assert parse_french_datetime("lundi 14h30", now, PARIS) == datetime(
        2027, 2, 15, 14, 30, tzinfo=PARIS
    )
    # The same weekday: today if the time is still to come, else a week later.
    assert parse_french_datetime("mercredi 18h", now, PARIS).day == 10
    assert parse_french_datetime("mercredi 9h", now, PARIS).day == 17
    assert parse_french_datetime("dans 2 heures", now, PARIS) == datetime(
        2027, 2, 10, 17, 0, tzinfo=PARIS
    )
    assert parse_french_datetime("dans 30 minutes", now, PARIS).minute == 30
    assert parse_french_datetime("demain 9h", now, PARIS) == datetime(
        2027, 2, 11, 9, 0, tzinfo=PARIS
    )


async def test_move_bare_offers_the_events_then_asks_the_date(
    deps: Deps, chat_with: Callable[..., MemberChat]
) -> None:
    event_id = await upcoming_event(deps)
    admin = chat_with(ADMIN_ID)
    await admin.say("/deplacer_evenement")
    assert "Quelle rencontre déplacer ?" in admin.last_text()
    [label] = [label for label in admin.button_labels() if "Atelier mobilité" in label]
    assert label.startswith(f"n° {event_id} · ")
    await admin.press(label)
    assert "Nouvelle date pour « Atelier mobilité »" in admin.last_text()
    await admin.say("13/02/2020 14h")
    assert admin.last_text() == "Cette date est déjà passée. Donne une date à venir."
    await admin.say("lundi 14h30")
    assert admin.last_text().startswith("C'est déplacé au lundi")
    async with deps.sessions() as session:
        event = await session.get(Event, event_id)
        assert event is not None
        local = event.starts_at.astimezone(PARIS)
    assert (local.weekday(), local.hour, local.minute) == (0, 14, 30)
    await admin.say("mardi 10h")  # the dialogue is over: a plain search now
    async with deps.sessions() as session:
        event = await session.get(Event, event_id)
        assert event is not None
        assert event.starts_at.astimezone(PARIS).weekday() == 0


async def test_move_with_the_number_alone_asks_the_date(
    deps: Deps, chat_with: Callable[..., MemberChat]
) -> None:
    event_id = await upcoming_event(deps)
    admin = chat_with(ADMIN_ID)
    await admin.say(f"/deplacer_evenement {event_id}")
    assert "Nouvelle date pour « Atelier mobilité »" in admin.last_text()
    await admin.say("lundi 14h30")
    assert admin.last_text().startswith("C'est déplacé au lundi")
    await admin.say(f"/deplacer_evenement {event_id + 1000}")
    assert admin.last_text() == "Cet événement n'existe plus ou a été annulé."


async def test_cancel_typed_with_its_number_confirms_first(
    deps: Deps, chat_with: Callable[..., MemberChat]
) -> None:
    event_id = await upcoming_event(deps)
    admin = chat_with(ADMIN_ID)
    await admin.say(f"/annuler_evenement {event_id}")
    assert "Annuler « Atelier mobilité » ?" in admin.last_text()
    async with deps.sessions() as session:
        assert (await session.get(Event, event_id)).cancelled_at is None  # type: ignore[union-attr]
    await admin.press("🚫 Oui, annuler la rencontre")
    assert admin.last_text().startswith("La rencontre est annulée")
    await admin.say(f"/annuler_evenement {event_id}")
    assert admin.last_text() == "Cet événement n'existe plus ou a été annulé."


async def test_cancel_bare_picks_and_confirms_and_stats_leave_it_out(
    deps: Deps, chat_with: Callable[..., MemberChat]
) -> None:
    event_id = await upcoming_event(deps)
    admin = chat_with(ADMIN_ID)
    await admin.say("/stats")
    before = admin.last_text()
    await admin.say("/annuler_evenement")
    await admin.press(next(lb for lb in admin.button_labels() if "Atelier mobilité" in lb))
    assert "Annuler « Atelier mobilité » ?" in admin.last_text()
    async with deps.sessions() as session:
        assert (await session.get(Event, event_id)).cancelled_at is None  # type: ignore[union-attr]
    await admin.press("🚫 Oui, annuler la rencontre")
    assert admin.last_text().startswith("La rencontre est annulée")
    async with deps.sessions() as session:
        assert (await session.get(Event, event_id)).cancelled_at is not None  # type: ignore[union-attr]
    await admin.say("/stats")
    count = int(before.split("Rencontres : ")[1].split("\n")[0])
    assert f"Rencontres : {count - 1}\n" in admin.last_text()


@pytest.mark.parametrize("data", ["events:pick:cancel:{id}", "events:cancelok:{id}"])
async def test_members_cannot_press_the_organisers_event_buttons(
    deps: Deps, chat_with: Callable[..., MemberChat], fake: FakeTelegram, data: str
) -> None:
    event_id = await upcoming_event(deps)
    member = chat_with(MEMBER_ID)
    await member.say("/evenements")
    pressed = data.format(id=event_id)  # on a message carrying it (else: the stale toast)
    await member.press_data(pressed, member.earlier_button(pressed))
    assert fake.callback_answers[-1]["text"] == REFUSED
    async with deps.sessions() as session:
        assert (await session.get(Event, event_id)).cancelled_at is None  # type: ignore[union-attr]


async def test_organisers_see_the_event_number_on_its_card(
    deps: Deps, chat_with: Callable[..., MemberChat]
) -> None:
    event_id = await upcoming_event(deps)
    admin, member = chat_with(ADMIN_ID), chat_with(MEMBER_ID)
    await admin.say("/evenements")
    assert f"n°\u00a0{event_id}" in admin.message_containing("Atelier mobilité")["text"]
    await member.say("/evenements")
    assert "n°" not in member.message_containing("Atelier mobilité")["text"]


async def test_survey_for_an_event_picked_by_button_number_or_title(
    deps: Deps, chat_with: Callable[..., MemberChat]
) -> None:
    event_id = await upcoming_event(deps, "Café réseautage de Brest")
    admin = chat_with(ADMIN_ID)
    await admin.say("/enquete_creer")
    assert "Pour quelle rencontre ?" in admin.last_text()
    await admin.press(f"n° {event_id} · Café réseautage de Brest")
    assert "Questionnaire n° 1" in admin.last_text()
    assert "pour « Café réseautage de Brest »" in admin.last_text()
    await admin.say(f"/enquete_creer {event_id}")
    assert "Questionnaire n° 2" in admin.last_text()
    await admin.say("/enquete_creer cafe reseautage de brest")  # no accents, any case
    assert "Questionnaire n° 3" in admin.last_text()
    await admin.say("/enquete_creer Rencontre imaginaire")
    assert "Je ne trouve pas la rencontre « Rencontre imaginaire »" in admin.last_text()
    async with deps.sessions() as session:
        events = set(await session.scalars(select(Survey.event_id)))
    assert events == {event_id}


async def test_a_survey_is_not_scheduled_in_the_past(
    deps: Deps, chat_with: Callable[..., MemberChat]
) -> None:
    admin = chat_with(ADMIN_ID)
    await admin.say("/enquete_creer innov-deizh-2013")
    await admin.say("/enquete_planifier 1")  # the morning after a 2013 gathering
    assert "La rencontre est passée : le lendemain à 9 h (" in admin.last_text()
    assert "2013" in admin.last_text()
    await admin.say("/enquete_planifier 1 13/02/2020 14h")
    assert "est déjà passé : je ne programme pas" in admin.last_text()
    async with deps.sessions() as session:
        survey = await session.get(Survey, 1)
        assert survey is not None
        assert survey.status == "draft"
        assert await session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    await admin.say("/enquete_planifier 1 demain 9h")
    assert "programmé le" in admin.last_text()
    assert "personne n'a encore dit venir" in admin.last_text()  # not « 0 personnes »
    await admin.say("/enquete_planifier 1 le 32 du mois")
    assert "Je n'ai pas compris la date" in admin.last_text()


async def test_survey_commands_typed_bare_offer_the_surveys(
    deps: Deps, chat_with: Callable[..., MemberChat], fake: FakeTelegram
) -> None:
    event_id = await upcoming_event(deps)
    admin = chat_with(ADMIN_ID)
    await admin.say(f"/enquete_creer {event_id}")
    label = "n° 1 · Rencontre Innov'Deizh : ton avis"

    await admin.say("/enquete_planifier")
    assert "Quel questionnaire programmer ?" in admin.last_text()
    assert any(lb.startswith(label) for lb in admin.button_labels())
    await admin.press(next(lb for lb in admin.button_labels() if lb.startswith(label)))
    await admin.press("📅 Le lendemain de la rencontre, à 9 h")
    assert "Questionnaire n° 1 programmé le" in admin.last_text()

    await admin.say("/enquete_ouvrir")
    await admin.press(next(lb for lb in admin.button_labels() if lb.startswith(label)))
    assert admin.message_containing("Questionnaire n° 1 ouvert à tous")
    assert fake.bot_messages(ADMIN_ID)[-1]["document"]["file_name"] == "qr-survey-1.png"

    await admin.say("/enquete_export")
    await admin.press(next(lb for lb in admin.button_labels() if lb.startswith(label)))
    await admin.press("CSV")
    assert fake.bot_messages(ADMIN_ID)[-1]["document"]["file_name"].endswith(".csv")

    await admin.say("/resultats")
    await admin.press(next(lb for lb in admin.button_labels() if lb.startswith(label)))
    assert any("ton avis" in text for text in admin.texts()[-3:])

    await admin.say("/enquete_cloturer")
    await admin.press(next(lb for lb in admin.button_labels() if lb.startswith(label)))
    await admin.press("🔒 Clore et publier les résultats")
    assert admin.last_text().startswith("🔒 Questionnaire n° 1 clos ; ses résultats sont publics")
    await admin.say("/enquete_cloturer")  # nothing left to close: the usage, no buttons
    assert admin.texts()[-2] == (
        "Précise le numéro du questionnaire, par exemple : /enquete_cloturer 3 public"
    )


@pytest.mark.parametrize(
    "data", ["surveys:pick:close:1", "surveys:close:1:1", "surveys:export:1:csv", "surveys:new:1"]
)
async def test_members_cannot_press_the_organisers_survey_buttons(
    deps: Deps, chat_with: Callable[..., MemberChat], fake: FakeTelegram, data: str
) -> None:
    admin, member = chat_with(ADMIN_ID), chat_with(MEMBER_ID)
    await admin.say("/enquete_creer innov-deizh-2013")
    await member.say("/aide")
    await member.press_data(data, member.earlier_button(data))  # a message carrying it
    assert fake.callback_answers[-1]["text"] == REFUSED
    async with deps.sessions() as session:
        assert [s.status for s in await session.scalars(select(Survey))] == ["draft"]


async def test_quick_poll_closing_in_french_dates_and_never_in_the_past(
    deps: Deps, chat_with: Callable[..., MemberChat], fake: FakeTelegram
) -> None:
    group_id = -100779
    fake.add_group(group_id, "Plénière")
    admin = chat_with(ADMIN_ID, chat_id=group_id)
    await admin.say("/sondage_rapide 13/02/2020 14h Pause ? | Oui | Non")
    assert admin.last_text().startswith("Cette heure de clôture est déjà passée.")
    await admin.say("/sondage_rapide 20000 Pause ? | Oui | Non")
    assert admin.last_text().startswith("Un sondage rapide dure au plus une semaine.")
    before = datetime.now(UTC)
    await admin.say("/sondage_rapide dans 2 heures anonyme On fait une pause ? | Oui | Non")
    assert "Sondage rapide n° 1" in admin.last_text()
    async with deps.sessions() as session:
        poll = await session.get(QuickPoll, 1)
        assert poll is not None
    assert poll.anonymous
    assert poll.question == "On fait une pause ?"
    closes = poll.closes_at - before
    assert timedelta(hours=1, minutes=58) < closes <= timedelta(hours=2)


async def test_a_deep_link_to_a_missing_card_says_so(
    chat_with: Callable[..., MemberChat],
) -> None:
    member = chat_with(MEMBER_ID)
    for payload in ("event-999999", "lab-nulle-part", "innovation-424242"):
        await member.say(f"/start {payload}")
        assert member.last_text().startswith("🔎 Cette fiche n'existe pas ou plus.")
        assert "Bonjour Anne !" in member.last_text()


async def test_qr_refuses_a_missing_card(
    deps: Deps, chat_with: Callable[..., MemberChat], fake: FakeTelegram
) -> None:
    event_id = await upcoming_event(deps)
    admin = chat_with(ADMIN_ID)
    await admin.say("/qr event-999999")
    assert admin.last_text().startswith("Je ne trouve pas « event-999999 »")
    await admin.say(f"/qr event-{event_id}")
    assert fake.bot_messages(ADMIN_ID)[-1]["document"]["file_name"] == f"qr-event-{event_id}.png"


async def test_quick_poll_results_and_close_typed_bare_offer_the_group_polls(
    deps: Deps, chat_with: Callable[..., MemberChat], fake: FakeTelegram
) -> None:
    group_id = -100780
    fake.add_group(group_id, "Plénière")
    admin = chat_with(ADMIN_ID, chat_id=group_id)
    member = chat_with(MEMBER_ID, chat_id=group_id)
    await admin.say("/sondage_fermer")  # no poll yet: the usage
    assert (
        admin.last_text() == "Précise le numéro du sondage rapide, par exemple : /sondage_fermer 2"
    )
    await admin.say("/sondage_rapide 30 On fait une pause ? | Oui | Non")
    await member.press_data(
        "surveys:qpick:close:1", member.earlier_button("surveys:qpick:close:1")
    )  # a message carrying it
    assert fake.callback_answers[-1]["text"] == REFUSED
    await admin.say("/sondage_resultats")
    await admin.press("n° 1 · On fait une pause ?")
    assert "(0 vote, en cours)" in admin.last_text()
    await admin.say("/sondage_fermer")
    assert admin.last_text().startswith("Quel sondage fermer maintenant ?")
    await admin.press("n° 1 · On fait une pause ?")
    assert "Sondage rapide n° 1 clos." in admin.texts()[-2]
    async with deps.sessions() as session:
        poll = await session.get(QuickPoll, 1)
        assert poll is not None
        assert poll.closed_at is not None
    await admin.say("/sondage_fermer")  # nothing open any more: the usage again
    assert admin.last_text().startswith("Précise le numéro du sondage rapide")


async def test_a_title_with_html_characters_is_shown_as_typed_on_the_picker_buttons(
    deps: Deps, chat_with: Callable[..., MemberChat]
) -> None:
    await upcoming_event(deps, title="Vélo <b>&</b> co")
    admin = chat_with(ADMIN_ID)
    await admin.say("/annuler_evenement")
    [label] = [label for label in admin.button_labels() if "Vélo" in label]
    assert "Vélo <b>&</b> co" in label  # a button is plain text: no « &amp; » nor « &lt; »
    await admin.say("/enquete_creer")  # the events a new survey can be for
    [label] = [label for label in admin.button_labels() if "Vélo" in label]
    assert "Vélo <b>&</b> co" in label


async def test_a_picker_older_than_the_cancellation_says_the_event_is_gone(
    deps: Deps, fake: FakeTelegram, chat_with: Callable[..., MemberChat]
) -> None:
    event_id = await upcoming_event(deps)
    admin = chat_with(ADMIN_ID)
    await admin.say("/deplacer_evenement")
    move_picker = admin.newest_with_buttons()["message_id"]
    await admin.say("/annuler_evenement")
    cancel_picker = admin.newest_with_buttons()["message_id"]
    await admin.say(f"/annuler_evenement {event_id}")
    await admin.press("🚫 Oui, annuler la rencontre")
    assert admin.last_text().startswith("La rencontre est annulée")
    [label] = [label for label in admin.button_labels() if "Atelier mobilité" in label]
    for picker in (move_picker, cancel_picker):
        await admin.press(label, picker)
        assert fake.callback_answers[-1]["text"] == "Cet événement n'existe plus ou a été annulé."
        assert admin.last_text().startswith("La rencontre est annulée")  # no date asked
