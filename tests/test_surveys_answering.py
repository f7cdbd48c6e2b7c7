"""A survey end to end through the Bot API double: schedule, deliver, answer every kind."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.console.bot_api import FakeTelegram
from bot.context import BotApp, Deps
from bot.delivery_worker import telegram_sender
from bot.services.delivery.engine import DeliveryEngine
from storage.models import Survey, SurveyAnswer, SurveyPoll
from tests.conftest import ADMIN_ID
from tests.support.clock import FakeClock
from tests.support.driver import MemberChat, plain
from tests.support.surveys import add_event

CAME = (5001, 5002)
SAID_NO, SILENT = 5003, 5004
EVERY_KIND = """
title = "Bilan de la rencontre"
intro = "Cinq questions, promis."

[[questions]]
key = "overall"
label = "Ressenti"
kind = "satisfaction"
prompt = "Globalement, es-tu satisfait·e ?"

[[questions]]
key = "again"
kind = "single"
prompt = "Reviendrais-tu ?"
options = ["Oui", "Peut-être", "Non"]

[[questions]]
key = "liked"
kind = "multiple"
prompt = "Qu'as-tu aimé ?"
options = ["Les labos", "Le déjeuner", "Les plénières"]

[[questions]]
key = "nps"
kind = "score"
prompt = "Recommanderais-tu la rencontre à un ami ?"

[[questions]]
key = "comments"
kind = "text"
prompt = "Un commentaire ?"

[[questions]]
key = "ideas"
kind = "text"
prompt = "Une idée pour la prochaine fois ?"
"""


async def scheduled_survey(
    deps: Deps, fake: FakeTelegram, chat_with: Callable[..., MemberChat]
) -> int:
    """An event two days ago, RSVPs, a survey created from a file and scheduled now (the
    default, the morning after, is past: refused)."""
    now = datetime.now(UTC)
    event_id = await add_event(
        deps.sessions,
        "bilan-test",
        title="Rencontre <test>",
        starts_at=now - timedelta(days=2),
        ends_at=now - timedelta(days=2) + timedelta(hours=8),
    )
    for member_id in (*CAME, SAID_NO, SILENT):
        chat_with(member_id)  # known to Telegram and to the bot
    for member_id in CAME:
        await deps.events.rsvp(event_id, member_id, "yes")
    await deps.events.rsvp(event_id, SAID_NO, "no")
    admin = chat_with(ADMIN_ID)
    update = fake.send_document(ADMIN_ID, EVERY_KIND.encode(), "bilan.toml")
    update["message"]["caption"] = "/enquete_creer bilan-test"
    await admin.deliver(update)
    assert "Questionnaire n° 1 « Bilan de la rencontre » créé (6 questions)" in admin.last_text()
    await admin.say("/enquete_planifier 1")
    assert admin.last_text().startswith("La rencontre est passée : le lendemain à 9 h (")
    await admin.say("/enquete_planifier 1 maintenant")
    assert "pour 2 personnes venues à « Rencontre <test> »" in admin.last_text()
    return 1


async def deliver_outbox(deps: Deps, app: BotApp) -> None:
    engine = DeliveryEngine(
        deps.delivery, telegram_sender(app.bot), clock=FakeClock(datetime.now(UTC))
    )
    await engine.drain()


def chats_on(app: BotApp, fake: FakeTelegram) -> Callable[..., MemberChat]:
    """Like the ``chat_with`` fixture, for an application the test builds itself."""

    def open_chat(user_id: int) -> MemberChat:
        fake.add_user(user_id, f"Membre {user_id}", language_code="fr")
        return MemberChat(app, fake, user_id, user_id)

    return open_chat


def last_poll(fake: FakeTelegram, chat_id: int) -> dict[str, Any]:
    poll: dict[str, Any] = fake.last_bot_message(chat_id)["poll"]
    return poll


async def vote(chat: MemberChat, poll_id: str, options: list[int]) -> None:
    await chat.deliver(chat.fake.answer_poll(chat.user_id, poll_id, options))


async def test_a_scheduled_survey_reaches_those_who_came_and_is_answered(
    app: BotApp, deps: Deps, fake: FakeTelegram, chat_with: Callable[..., MemberChat]
) -> None:
    survey_id = await scheduled_survey(deps, fake, chat_with)
    await deliver_outbox(deps, app)
    for member_id in CAME:
        assert "Merci d'être venu·e à « Rencontre <test> »" in plain(fake.bot_texts(member_id)[-1])
    assert fake.bot_texts(SAID_NO) == []
    assert fake.bot_texts(SILENT) == []

    anne = chat_with(CAME[0])
    await anne.press("✍️ Répondre")
    assert "Bilan de la rencontre" in anne.texts()[-1]
    assert "publiées qu'en totaux" in anne.texts()[-1]
    first = last_poll(fake, anne.chat_id)
    assert first["question"] == "1/6 · Globalement, es-tu satisfait·e ?"
    assert first["is_anonymous"] is False
    assert next(o["text"] for o in first["options"]) == "Tout à fait satisfait·e"
    await vote(anne, first["id"], [0])
    second = last_poll(fake, anne.chat_id)
    assert second["question"].startswith("2/6")
    await vote(anne, second["id"], [1])
    third = last_poll(fake, anne.chat_id)
    assert third["allows_multiple_answers"] is True
    await vote(anne, third["id"], [0, 2])
    score = last_poll(fake, anne.chat_id)
    assert [o["text"] for o in score["options"]] == [str(n) for n in range(11)]
    hello = fake.send_text(anne.user_id, "Bonjour", chat_id=anne.chat_id)
    await anne.deliver(hello)  # text while a poll waits: a nudge, nothing stored
    assert "sondage juste au-dessus" in anne.last_text()
    await vote(anne, score["id"], [9])
    assert anne.last_text().startswith("5/6 · Un commentaire ?")
    edited = {"update_id": hello["update_id"] + 10_000}
    edited["edited_message"] = {**hello["message"], "edit_date": 1, "text": "Bonjour !"}
    await anne.deliver(edited)  # editing an old message does not answer question 5
    await anne.say("Super journée <3")
    assert "6/6" in anne.last_text()
    await anne.say("passer")
    assert "Merci, c'est fini" in anne.last_text()

    # A changed vote is updated, a retracted one removed; neither asks anything new.
    sent_before = len(fake.bot_messages(anne.chat_id))
    await vote(anne, first["id"], [2])
    await vote(anne, second["id"], [])
    assert len(fake.bot_messages(anne.chat_id)) == sent_before

    invitation = fake.bot_messages(anne.chat_id)[0]["message_id"]
    await anne.press("✍️ Répondre", message_id=invitation)
    assert "Tu as déjà répondu à « Bilan de la rencontre »" in anne.last_text()
    await anne.say("/mes_reponses")
    mine = anne.last_text()
    assert "Ressenti : Plutôt pas satisfait·e" in mine
    assert "Again" not in mine  # retracted
    assert "Liked : Les labos | Les plénières" in mine
    assert "Nps : 9" in mine
    assert "Comments : Super journée <3" in mine
    assert "Ideas : passée" in mine

    async with deps.sessions() as session:
        answers = list(await session.scalars(select(SurveyAnswer).order_by(SurveyAnswer.id)))
        survey = await session.get(Survey, survey_id)
    assert survey is not None
    assert survey.invited_count == 2
    assert [(a.choices, a.text, a.skipped) for a in answers] == [
        ("2", "", False),
        ("0,2", "", False),
        ("9", "", False),
        ("", "Super journée <3", False),
        ("", "", True),
    ]


async def test_a_member_who_did_not_come_cannot_answer(
    deps: Deps, fake: FakeTelegram, chat_with: Callable[..., MemberChat]
) -> None:
    await scheduled_survey(deps, fake, chat_with)
    outsider = chat_with(SILENT)
    await outsider.say("/start survey-1")
    assert "réservé aux personnes venues" in outsider.last_text()
    await outsider.press_data("surveys:go:1")  # a forged press on the bot's last message
    assert "réservé aux personnes venues" in outsider.last_text()
    await outsider.say("/questionnaire")
    assert "pas de questionnaire en cours" in outsider.last_text()


async def test_a_restart_resumes_and_old_polls_still_count(deps: Deps, fake: FakeTelegram) -> None:
    from bot.app import build_application
    from bot.console.bot_api import InProcessBotApi

    first_app = build_application(deps, request=InProcessBotApi(fake))
    async with first_app:
        chat = MemberChat(first_app, fake, CAME[0], CAME[0])
        await scheduled_survey(deps, fake, chats_on(first_app, fake))
        await deliver_outbox(deps, first_app)
        await chat.press("✍️ Répondre")
        await vote(chat, last_poll(fake, chat.chat_id)["id"], [1])
        pending_poll = last_poll(fake, chat.chat_id)  # question 2, sent before the restart
    # The process stops here; a new one starts with nothing in memory.
    second_app = build_application(deps, request=InProcessBotApi(fake))
    async with second_app:
        chat = MemberChat(second_app, fake, CAME[0], CAME[0])
        await vote(chat, pending_poll["id"], [0])
        assert last_poll(fake, chat.chat_id)["question"].startswith("3/6")
        await chat.say("/questionnaire")  # resume: question 3 again, as a fresh poll
        third = last_poll(fake, chat.chat_id)
        assert third["question"].startswith("3/6")
        assert third["id"] != pending_poll["id"]
        await vote(chat, third["id"], [1])
        await vote(chat, last_poll(fake, chat.chat_id)["id"], [10])
        await chat.say("Très bien")  # the text step still reaches the conversation
        assert "6/6" in chat.last_text()
    async with deps.sessions() as session:
        polls = list(await session.scalars(select(SurveyPoll)))
    assert len(polls) == 5  # questions 1, 2, 3 (twice: resumed) and 4, each id kept


async def test_a_restart_during_a_text_question_keeps_the_conversation(
    deps: Deps, fake: FakeTelegram
) -> None:
    from bot.app import build_application
    from bot.console.bot_api import InProcessBotApi

    first_app = build_application(deps, request=InProcessBotApi(fake))
    async with first_app:
        chat = MemberChat(first_app, fake, CAME[1], CAME[1])
        await scheduled_survey(deps, fake, chats_on(first_app, fake))
        await deliver_outbox(deps, first_app)
        await chat.press("✍️ Répondre")
        for option in ([0], [0], [1], [8]):
            await vote(chat, last_poll(fake, chat.chat_id)["id"], option)
        assert chat.last_text().startswith("5/6 · Un commentaire ?")
    second_app = build_application(deps, request=InProcessBotApi(fake))
    async with second_app:
        chat = MemberChat(second_app, fake, CAME[1], CAME[1])
        # The persisted conversation state routes this text to the survey, not elsewhere.
        await chat.say("Des labos plus longs")
        assert chat.last_text().startswith("6/6 · Une idée pour la prochaine fois ?")
    own = await deps.surveys.answering.own_answers(CAME[1], 1)
    assert own is not None
    assert ("Comments", "Des labos plus longs") in own[1]
