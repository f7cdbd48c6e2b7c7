"""Organisers' side through the double: guards, /resultats with its chart, exports, opening."""

from __future__ import annotations

import csv
import io
import struct
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, update

from bot.console.bot_api import FakeTelegram
from bot.context import BotApp, Deps
from bot.jobs import QUICK_POLLS
from bot.services.surveys.templates import TEMPLATE_2013
from storage.models import QuickPoll, Survey
from tests.conftest import ADMIN_ID, MEMBER_ID
from tests.support.driver import MemberChat
from tests.support.surveys import COMMENTS_2013, FIGURES_2013, add_answers

SEEDED_EVENT = "innov-deizh-2013"


async def survey_with_2013_answers(deps: Deps, admin: MemberChat) -> int:
    await admin.say(f"/enquete_creer {SEEDED_EVENT}")
    assert "Questionnaire n° 1" in admin.last_text()
    columns: dict[str, list[int | str | None]] = {k: list(v) for k, v in FIGURES_2013.items()}
    columns["comments"] = [*COMMENTS_2013, *[None] * 44]
    await add_answers(deps.sessions, 1, columns)
    return 1


@pytest.mark.parametrize(
    "command",
    [
        f"/enquete_creer {SEEDED_EVENT}",
        "/enquete_planifier 1",
        "/enquete_ouvrir 1",
        "/enquete_cloturer 1",
        "/enquete_export 1 csv",
        "/enquetes",
    ],
)
async def test_members_cannot_manage_surveys(
    deps: Deps, chat_with: Callable[..., MemberChat], command: str
) -> None:
    member = chat_with(MEMBER_ID)
    await member.say(command)
    assert member.last_text() == "Cette action est réservée aux organisateurs."
    async with deps.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Survey)) == 0


async def test_members_cannot_create_a_survey_from_a_file(
    deps: Deps, fake: FakeTelegram, chat_with: Callable[..., MemberChat]
) -> None:
    member = chat_with(MEMBER_ID)
    update = fake.send_document(MEMBER_ID, TEMPLATE_2013.encode(), "enquete.toml")
    update["message"]["caption"] = f"/enquete_creer {SEEDED_EVENT}"
    await member.deliver(update)
    assert member.last_text() == "Cette action est réservée aux organisateurs."
    async with deps.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Survey)) == 0


async def test_results_chart_and_exports_for_organisers_then_public(
    deps: Deps, fake: FakeTelegram, chat_with: Callable[..., MemberChat]
) -> None:
    admin = chat_with(ADMIN_ID)
    member = chat_with(MEMBER_ID)
    survey_id = await survey_with_2013_answers(deps, admin)

    await member.say(f"/resultats {survey_id}")
    assert (
        member.last_text() == "Les résultats de ce questionnaire sont réservés aux organisateurs."
    )

    await admin.say(f"/resultats {survey_id}")
    texts = "\n".join(admin.texts())
    assert "89 % de satisfaits, dont 43 % tout à fait" in texts
    assert "100 % de satisfaits, dont 62 % tout à fait" in texts
    assert "47 réponses" in texts
    photo = admin.last_message()["photo"][-1]
    png = fake.files[photo["file_id"]]
    assert png.startswith(b"\x89PNG")
    assert struct.unpack(">II", png[16:24]) == (photo["width"], photo["height"])
    assert photo["width"] == 1080

    await admin.say(f"/enquete_export {survey_id} csv")
    document = admin.last_message()["document"]
    assert document["file_name"] == f"enquete-{survey_id}.csv"
    content = fake.files[document["file_id"]].decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert len(rows) == 48
    assert rows[0][:3] == [
        "Réponse n°",
        "Terminée",
        "Globalement, es-tu satisfait·e de la rencontre ?",
    ]
    assert "47 réponses" in admin.last_text()
    await admin.say(f"/enquete_export {survey_id} csv nominatif")
    assert "l'export reste anonyme" in admin.last_text()
    await admin.say(f"/enquete_export {survey_id} json")
    assert admin.last_message()["document"]["file_name"] == f"enquete-{survey_id}.json"

    await admin.say(f"/enquete_cloturer {survey_id} public")
    assert "clos ; ses résultats sont publics" in admin.last_text()
    await admin.say(f"/enquete_planifier {survey_id}")
    assert "est clos : je ne l'envoie plus" in admin.last_text()
    await member.say(f"/resultats {survey_id}")
    assert "photo" in member.last_message()
    await member.say(f"/mes_reponses {survey_id}")
    assert member.last_text() == "Tu n'as encore répondu à aucun questionnaire."


async def test_open_to_everyone_with_the_deep_link(
    fake: FakeTelegram, chat_with: Callable[..., MemberChat]
) -> None:
    admin = chat_with(ADMIN_ID)
    await admin.say(f"/enquete_creer {SEEDED_EVENT}")
    await admin.say("/enquete_ouvrir 1")
    assert "https://t.me/innovdeizh_bot?start=survey-1" in admin.last_text()
    qr = admin.last_message()["document"]
    assert qr["file_name"] == "qr-survey-1.png"
    assert fake.files[qr["file_id"]].startswith(b"\x89PNG")
    await admin.say("/enquetes")
    assert "n° 1 · Rencontre Innov'Deizh : ton avis" in admin.last_text()
    assert "ouvert" in admin.last_text()

    member = chat_with(MEMBER_ID)
    await member.say("/start survey-1")
    assert "Deux minutes pour nous donner ton avis" in member.last_text()
    await member.press("✍️ Répondre")
    poll = member.last_message()["poll"]
    assert poll["question"] == "1/8 · Globalement, es-tu satisfait·e de la rencontre ?"
    await member.say("passer")
    assert member.last_message()["poll"]["question"].startswith("2/8")
    await member.say("/annuler")
    assert "tape /questionnaire pour reprendre" in member.last_text()
    await member.say("/questionnaire")
    assert member.last_message()["poll"]["question"].startswith("2/8")


async def test_quick_poll_in_a_group(
    fake: FakeTelegram, chat_with: Callable[..., MemberChat]
) -> None:
    group_id = -100777
    fake.add_group(group_id, "Plénière")
    admin = chat_with(ADMIN_ID, chat_id=group_id)
    member = chat_with(MEMBER_ID, chat_id=group_id)
    await member.say("/sondage_rapide 5 Pause ? | Oui | Non")
    assert member.last_text() == "Cette action est réservée aux organisateurs."

    await admin.say("/sondage_rapide 5 On fait une pause ? | Oui | Non")
    poll = fake.bot_messages(group_id)[-2]["poll"]
    assert poll["is_anonymous"] is False
    assert "Sondage rapide n° 1" in admin.last_text()
    for voter, option in ((MEMBER_ID, 0), (ADMIN_ID, 0), (5001, 1)):
        fake.add_user(voter, f"Membre {voter}")
        await member.deliver(fake.answer_poll(voter, poll["id"], [option]))
    await member.deliver(fake.answer_poll(5001, poll["id"], []))  # retracted
    await admin.say("/sondage_resultats 1")
    assert "Oui : 100 % (2)" in admin.last_text()
    assert "(2 votes, en cours)" in admin.last_text()

    await admin.say("/sondage_rapide 10 anonyme Le café ? | Bon | Mauvais | Sans avis")
    anonymous = fake.bot_messages(group_id)[-2]["poll"]
    assert anonymous["is_anonymous"] is True
    for voter in (MEMBER_ID, ADMIN_ID):
        await member.deliver(fake.answer_poll(voter, anonymous["id"], [1]))
    await admin.say("/sondage_resultats 2")
    assert "les totaux seront connus à la clôture" in admin.last_text()
    await admin.say("/sondage_fermer 2")
    assert "Mauvais : 100 % (2)" in admin.last_text()
    assert "clos" in admin.last_text()


async def test_quick_polls_are_closed_by_the_wake_up_job(
    app: BotApp, deps: Deps, fake: FakeTelegram, chat_with: Callable[..., MemberChat]
) -> None:
    group_id = -100778
    fake.add_group(group_id, "Clôture")
    admin = chat_with(ADMIN_ID, chat_id=group_id)
    await admin.say("/sondage_rapide 30 anonyme Le café ? | Bon | Mauvais")
    poll = fake.bot_messages(group_id)[-2]["poll"]
    await admin.deliver(fake.answer_poll(MEMBER_ID, poll["id"], [0]))
    assert app.job_queue is not None
    [job] = app.job_queue.get_jobs_by_name(QUICK_POLLS.name)
    # The closing time passes (the bot may have been down): the job asks the database.
    async with deps.sessions.begin() as session:
        await session.execute(update(QuickPoll).values(closes_at=datetime.now(UTC)))
    await job.run(app)
    assert poll["is_closed"] is True
    results = await deps.surveys.quick_polls.results(1)
    assert results is not None
    assert (results.closed, results.counts) == (True, (1, 0))
    assert app.job_queue.get_jobs_by_name(QUICK_POLLS.name) == ()
