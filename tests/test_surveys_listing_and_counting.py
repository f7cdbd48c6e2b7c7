"""/questionnaire offers what is open to the member; results and exports count the same people;
the CSV opens as columns in a French spreadsheet."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

from bot.console.bot_api import FakeTelegram
from bot.context import Deps
from tests.conftest import ADMIN_ID
from tests.support.driver import MemberChat
from tests.support.surveys import add_answers

ChatWith = Callable[..., MemberChat]
SEEDED_EVENT = "innov-deizh-2013"


async def open_survey(admin: MemberChat, *, to_all: bool = True) -> None:
    await admin.say(f"/enquete_creer {SEEDED_EVENT}")
    assert "Questionnaire n° 1" in admin.last_text()
    if to_all:
        await admin.say("/enquete_ouvrir 1")


async def test_questionnaire_lists_the_surveys_open_to_the_member(chat_with: ChatWith) -> None:
    admin, member = chat_with(ADMIN_ID, first_name="Yann"), chat_with()
    await member.say("/questionnaire")
    assert "pas de questionnaire en cours" in member.last_text()
    await open_survey(admin)
    await member.say("/questionnaire")
    offer = member.last_text()
    assert "Ces questionnaires t'attendent" in offer
    assert "n° 1 · Rencontre Innov'Deizh : ton avis" in offer
    await member.press("✍️ Répondre · Rencontre Innov'Deizh : ton avis")
    assert member.last_message()["poll"]["question"].startswith("1/8")


async def test_questionnaire_in_english_and_not_for_a_survey_only_for_attendees(
    chat_with: ChatWith,
) -> None:
    admin, member = chat_with(ADMIN_ID, first_name="Yann"), chat_with(language_code="en")
    await open_survey(admin, to_all=False)  # a draft, then for those who came only
    await member.say("/survey")
    assert "no survey in progress" in member.last_text()
    await admin.say("/enquete_ouvrir 1")
    await member.say("/survey")
    assert "These surveys are waiting for you" in member.last_text()


async def test_results_and_export_count_the_same_respondents_and_say_how(
    chat_with: ChatWith, deps: Deps, fake: FakeTelegram
) -> None:
    admin = chat_with(ADMIN_ID, first_name="Yann")
    await open_survey(admin)
    # Three answered something; a fourth skipped everything to the end (completed, all skips).
    await add_answers(
        deps.sessions,
        1,
        {"overall": [0, 1, None, None], "comments": ["Bravo", None, "Top", None]},
    )
    await admin.say("/resultats 1")
    results = " ".join(admin.texts()[-3:])
    assert "3 réponses" in results
    assert "un questionnaire entièrement passé ne compte pas" in results
    await admin.say("/enquete_export 1 csv")
    document = admin.last_message()
    assert document["caption"].startswith("3 réponses · enquete-1.csv")
    assert "entièrement passé ne compte pas" in document["caption"]
    content = fake.files[document["document"]["file_id"]]
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: the accents read right
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == [
        "Réponse n°",
        "Terminée",
        "Globalement, es-tu satisfait·e de la rencontre ?",
    ]
    assert len(rows) == 1 + 3
    assert [row[2] for row in rows[1:]] == ["Tout à fait satisfait·e", "Plutôt satisfait·e", ""]
    await admin.say("/enquete_export 1 json")
    exported = json.loads(fake.files[admin.last_message()["document"]["file_id"]])
    assert len(exported["responses"]) == exported["results"]["respondents"] == 3
    assert "overall" in exported["responses"][0]  # JSON keeps the questions' keys
