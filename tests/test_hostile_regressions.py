"""Every crash the fuzz property test (tests/test_hostile_fuzz.py) found, and the issue's
reproducers, as one-update tests on SQLite and PostgreSQL: a clear answer, never an exception
nor a request Telegram would refuse.

Found on main before the fix (5,003 updates, SQLite), by signature: OverflowError at
storage/repositories/catalogue.py:36 (10) and :64 (4), surveys.py:38 (7) and :41 (2);
ValueError at handlers/search/inline.py:32 (130, an offset « ² »); ValueError at
bot/services/catalogue/nearby.py:40 (37, a location at ±inf).
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import Integer

from handlers.catalogue import keys as catalogue_keys
from handlers.events import keys as events_keys
from handlers.keys import ID, MAX_ID, NO_SUCH_ID, parse_id
from handlers.proposals import keys as proposals_keys
from storage.models import Base
from tests.conftest import ADMIN_ID, MEMBER_ID, MODERATOR_ID, MODERATORS_CHAT_ID
from tests.support.driver import MemberChat, plain
from tests.support.hostile import OTHER_GROUP, OTHER_MEMBER, Harness, Step, start, stop

HUGE = "99999999999999999999"
STALE = "Ce bouton n'est plus actif."
MEMBER, INTRUDER, MODERATOR, ADMIN, ORGANISER_IN_GROUP = 0, 2, 3, 4, 6  # hostile.ACTORS


@pytest.fixture
async def harness(db_url: str) -> AsyncIterator[Harness]:
    harness, deps = await start(db_url)
    yield harness
    await stop(harness, deps)


def chat(harness: Harness, user: int, chat_id: int | None = None) -> MemberChat:
    return MemberChat(harness.app, harness.fake, user, chat_id or user)


def clean(harness: Harness) -> None:
    assert not harness.exceptions, harness.examples
    assert not harness.refusals, harness.examples


def test_every_id_column_is_within_the_parsers_range() -> None:
    """Ids members can name (labs, innovations, events, surveys, proposals…) are ``Integer``
    primary keys: 32 bits on PostgreSQL, the range of MAX_ID."""
    ids = [
        column
        for table in Base.metadata.tables.values()
        for column in table.primary_key.columns
        if column.autoincrement is not False and isinstance(column.type, Integer)
    ]
    assert ids
    assert all(type(column.type) is Integer for column in ids), ids
    assert MAX_ID == 2**31 - 1


def test_the_id_parser_reads_ascii_digits_within_the_columns_range() -> None:
    assert [parse_id(t) for t in ("12", " 7 ", "007", str(MAX_ID))] == [12, 7, 7, MAX_ID]
    assert [parse_id(t) for t in ("²", "①", "٣", "-1", "", "1e3", None)] == [None] * 7
    assert parse_id(str(MAX_ID + 1)) == parse_id(HUGE) == NO_SUCH_ID
    assert catalogue_keys.LAB.parse(f"catalogue:lab:{MAX_ID}") == (str(MAX_ID),)
    assert catalogue_keys.LAB.parse(f"catalogue:lab:{MAX_ID + 1}") is None
    assert events_keys.YES.parse("events:yes:1\n") is None
    assert "\\d" not in ID  # \d is any Unicode digit


@pytest.mark.parametrize(
    ("actor", "text", "answer"),
    [
        (MEMBER, f"/start innovation-{HUGE}", "Bonjour"),
        (MEMBER, f"/start lab-{HUGE}", "Bonjour"),
        (MEMBER, f"/start event-{HUGE}", "Bonjour"),
        (MEMBER, f"/start survey-{HUGE}", "Bonjour"),
        (MEMBER, f"/mes_reponses {HUGE}", "aucun questionnaire"),
        (MEMBER, "/mes_reponses ²", "aucun questionnaire"),
        (MEMBER, f"/questionnaire {HUGE}", "questionnaire"),
        (MEMBER, "/questionnaire ①", "questionnaire"),
        (ADMIN, f"/resultats {HUGE}", f"Je ne trouve pas le questionnaire n° {HUGE}"),
        (ADMIN, "/resultats ²", "Précise le numéro"),
        (ADMIN, f"/enquete_ouvrir {HUGE}", f"Je ne trouve pas le questionnaire n° {HUGE}"),
        (ADMIN, f"/enquete_cloturer {HUGE}", f"Je ne trouve pas le questionnaire n° {HUGE}"),
        (ADMIN, f"/sondage_resultats {HUGE}", "Je ne trouve pas le sondage rapide"),
        (ADMIN, f"/annuler_evenement {HUGE}", "Cet événement n'existe plus"),
        (ADMIN, "/annuler_evenement ①", "/annuler_evenement"),
        (ADMIN, f"/deplacer_evenement {HUGE} demain 14h", "Cet événement n'existe plus"),
        (MEMBER, "/x" + "x" * 4090, "Je ne connais pas la commande"),
    ],
)
async def test_hostile_arguments_get_a_clear_answer(
    harness: Harness, actor: int, text: str, answer: str
) -> None:
    await harness.run(Step("text", actor, text))
    clean(harness)
    user = (MEMBER_ID, ADMIN_ID)[actor == ADMIN]
    assert answer in chat(harness, user).last_text()
    assert len(chat(harness, user).last_text()) < 400  # a clear answer, not an echo


async def test_a_quick_poll_duration_that_is_not_ascii_gets_the_usage(harness: Harness) -> None:
    await harness.run(Step("text", ORGANISER_IN_GROUP, "/sondage_rapide ² Une question ? | A | B"))
    clean(harness)
    assert "Pour un sondage rapide" in chat(harness, ADMIN_ID, OTHER_GROUP).last_text()


async def test_refuse_pressed_twice_by_a_moderator(harness: Harness) -> None:
    """Found by the fuzz: BadRequest « not modified » at handlers/proposals/moderation.py:108,
    then a second answer to the same query (400)."""
    card = chat(harness, MODERATOR_ID, MODERATORS_CHAT_ID).message_containing("n°")
    refuse = proposals_keys.REFUSE.data(1, 0)
    assert card["message_id"]
    for _ in range(2):
        await harness.run(Step("press", MODERATOR, data=refuse, on_card=True))
    clean(harness)
    labels = chat(harness, MODERATOR_ID, MODERATORS_CHAT_ID).button_labels()
    assert "↩️ Retour" in labels


async def test_a_follow_button_of_an_older_list(harness: Harness) -> None:
    """Found by the fuzz on PostgreSQL: BadRequest « not modified » at
    handlers/events/cards.py:172 — /abonnements twice, then the first button of each list."""
    member = chat(harness, MEMBER_ID)
    for _ in range(2):
        await member.say("/abonnements")
    lists = [m for m in harness.fake.bot_messages(MEMBER_ID) if harness.fake.buttons(m)][-2:]
    for message in lists:
        await member.press(member.button_labels(message)[0], message["message_id"])
    clean(harness)


async def test_a_quick_poll_question_counts_utf16_units(harness: Harness) -> None:
    """Found by the fuzz (20,000 updates): sendPoll 400 POLL_QUESTION_INVALID at
    handlers/surveys/quick_polls.py:38 — 300 « 𝕒 » are 600 units for Telegram."""
    text = "/sondage_rapide 5 " + "𝕒" * 300 + " | A | B"
    await harness.run(Step("text", ORGANISER_IN_GROUP, text))
    clean(harness)
    assert "Pour un sondage rapide" in chat(harness, ADMIN_ID, OTHER_GROUP).last_text()


@pytest.mark.parametrize(
    "data",
    [
        f"events:yes:{HUGE}",
        "catalogue:lab:999999999999",
        f"catalogue:inno:{MAX_ID + 1}",
        f"proposals:publish:{MAX_ID + 1}:0",
        "search:saved:²:1",
    ],
)
async def test_buttons_with_huge_ids_are_stale(harness: Harness, data: str) -> None:
    """The pressed message carries the button (so the ownership check lets it through): the
    pattern refuses the id."""
    for user, chat_id in ((MEMBER_ID, MEMBER_ID), (MODERATOR_ID, MODERATORS_CHAT_ID)):
        message_id = chat(harness, user, chat_id).earlier_button(data)
        await harness.run(Step("press", MEMBER if user == MEMBER_ID else MODERATOR, data=data))
        assert message_id
        clean(harness)
        assert harness.fake.callback_answers[-1]["text"] == STALE


async def test_a_forged_lab_press_on_the_moderation_card_edits_nothing(harness: Harness) -> None:
    card = chat(harness, MODERATOR_ID, MODERATORS_CHAT_ID).message_containing("n°")
    for attempt in range(14):
        forged = catalogue_keys.LAB.data(1 + attempt % 3)
        await harness.run(Step("press", INTRUDER, data=forged, on_card=True))
        assert harness.fake.callback_answers[-1]["text"] == STALE
    after = chat(harness, MODERATOR_ID, MODERATORS_CHAT_ID).message_containing("n°")
    assert after == card  # same text, same Publier / Refuser buttons, never edited
    clean(harness)


async def test_presses_on_messages_too_old_to_check(harness: Harness) -> None:
    """Private chat: honoured (only its member sees the buttons). Group: a member's refused,
    a moderator's honoured."""
    member = chat(harness, MEMBER_ID)
    await member.say("/labs")
    data = member.newest_with_buttons()["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    await harness.run(Step("press", MEMBER, data=data, inaccessible=True))
    assert harness.fake.callback_answers[-1].get("text") != STALE
    await harness.run(Step("press", INTRUDER, data=None, inaccessible=True, on_card=True))
    assert harness.fake.callback_answers[-1]["text"] == STALE
    await harness.run(Step("press", MODERATOR, index=1, inaccessible=True, on_card=True))
    assert harness.fake.callback_answers[-1].get("text") != STALE
    clean(harness)


@pytest.mark.parametrize(
    "where", [(math.inf, -math.inf), (math.nan, 4.0), (48.0, math.inf), (1e308, 2.0)]
)
async def test_a_location_off_earth_is_refused_politely(
    harness: Harness, where: tuple[float, float]
) -> None:
    await harness.run(Step("location", MEMBER, numbers=where))
    clean(harness)
    assert "Je n'arrive pas à lire cette position" in chat(harness, MEMBER_ID).last_text()


async def test_a_location_off_earth_during_a_proposal_asks_again(harness: Harness) -> None:
    member = chat(harness, OTHER_MEMBER)
    await member.say("/proposer")
    await member.say("Jardin partagé")
    await member.say("Des parcelles cultivées ensemble au pied des immeubles.")
    await member.press(member.button_labels()[0])
    await harness.run(Step("location", 1, numbers=(math.nan, math.nan)))
    clean(harness)
    assert "Écris plutôt le nom de la commune" in "\n".join(member.texts()[-2:])


async def test_an_inline_offset_that_is_not_ascii_is_page_zero(harness: Harness) -> None:
    await harness.run(Step("inline", MEMBER, "atelier", data="²"))
    clean(harness)


async def test_nul_bytes_never_reach_the_database(harness: Harness) -> None:
    """PostgreSQL refuses NUL in text, in a search's SELECT as in an INSERT."""
    member = chat(harness, OTHER_MEMBER)
    for text in ("vé\x00lo", "\x00", "/chercher ré\x00paration"):
        await harness.run(Step("text", 1, text))
    await member.say("/proposer")
    await harness.run(Step("text", 1, "Jardin\x00 partagé"))
    clean(harness)
    assert "Jardin partagé" in plain(member.last_text()) or "2/8" in member.last_text()


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("\x00", "Ton annonce est vide"),
        (" \x00 ", "Ton annonce est vide"),
        ("\u200b", "Il partira à"),  # a zero-width space is a text to Telegram: previewed
    ],
)
async def test_an_announcement_of_nothing_asks_again(
    harness: Harness, text: str, answer: str
) -> None:
    """Found by the fuzz on PostgreSQL (20,000 updates): /annonce then a text of NULs made the
    preview an empty message Telegram refuses (handlers/delivery.py:52)."""
    await harness.run(Step("text", ADMIN, "/annonce"))
    await harness.run(Step("text", ADMIN, text))
    clean(harness)
    assert chat(harness, ADMIN_ID).last_text().startswith(answer)


async def test_organiser_buttons_pressed_on_a_message_without_buttons(harness: Harness) -> None:
    """Found by the fuzz on PostgreSQL (20,000 updates): an organiser's « programmer » and
    « clore » buttons pressed on a message that no longer has buttons (BadRequest « not
    modified » at handlers/surveys/admin.py:368 and :378); organisers are exempt from the press
    guard, so the handlers themselves must take it."""
    await harness.run(Step("text", ADMIN, "/enquete_creer innov-deizh-2013"))
    for data in ("surveys:sched:1", "surveys:close:1:0", "surveys:close:1:0"):
        await harness.run(Step("press", ADMIN, data=data))
    clean(harness)
