"""The member's data across every feature: /mesdonnees shows it all, /oublier leaves nothing.

One member RSVPs, follows events, searches, answers a survey (with a comment), votes in a quick
poll and proposes an initiative; after /oublier no table of the database (read back from the
schema itself, not from our models) names them, while the survey's and the quick poll's totals
are what they were.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import column, func, inspect, select, table
from sqlalchemy.engine import Connection
from sqlalchemy.sql.expression import ColumnClause

from bot.console.bot_api import FakeTelegram
from bot.context import BotApp, Deps
from bot.services.privacy.service import PrivacyService
from bot.services.surveys.results import SurveyResults
from storage.db import Sessions, create_engine, create_sessions
from storage.models import (
    Announcement,
    Base,
    EventSubscription,
    Member,
    OutboxMessage,
    QuickPoll,
    QuickPollVote,
    Rsvp,
    SavedSearch,
    Survey,
    SurveyAnswer,
    SurveyPoll,
    SurveyQuestion,
    SurveyResponse,
)
from tests.conftest import ADMIN_ID
from tests.support.driver import MemberChat
from tests.support.proposals import send_proposal
from tests.test_search_questions import add_innovations
from tests.test_surveys_answering import (
    CAME,
    SAID_NO,
    deliver_outbox,
    last_poll,
    scheduled_survey,
    vote,
)

ChatWith = Callable[..., MemberChat]
ME = CAME[0]  # invited to the survey of tests.test_surveys_answering
NAME, USERNAME = "Maëlenn", "maelenn_kerbrat"
COMMENT = "Je suis Maëlenn, joignable au 06 12 34 56 78"
SEARCH = "atelier velo solidaire reparer ensemble brest"  # too long: kept as a saved search
GROUP_ID = -100777


async def database_rows(deps: Deps) -> list[tuple[str, dict[str, Any]]]:
    """Every row of every table the database has, read from its own schema (not our models)."""

    def read(conn: Connection) -> list[tuple[str, dict[str, Any]]]:
        found: list[tuple[str, dict[str, Any]]] = []
        schema = inspect(conn)
        for name in schema.get_table_names():
            columns: list[ColumnClause[Any]] = [
                column(c["name"]) for c in schema.get_columns(name)
            ]
            rows = conn.execute(select(*columns).select_from(table(name)))
            found.extend((name, dict(row._mapping)) for row in rows)
        return found

    async with deps.engine.connect() as conn:
        return await conn.run_sync(read)


def names_the_member(values: dict[str, Any], member_id: int = ME) -> bool:
    number = re.compile(rf"(?<!\d){member_id}(?!\d)")
    for value in values.values():
        if value == member_id:
            return True
        text = value.decode("utf-8", "ignore") if isinstance(value, bytes) else value
        if isinstance(text, str) and (
            number.search(text)
            or any(secret in text for secret in (NAME, USERNAME, COMMENT, SEARCH))
        ):
            return True
    return False


def without_comments(results: SurveyResults | None) -> SurveyResults:
    assert results is not None
    questions = tuple(
        dataclasses.replace(q, comments=(), answered=0) if q.kind == "text" else q
        for q in results.questions
    )
    return dataclasses.replace(results, questions=questions)


async def member_everywhere(
    app: BotApp, deps: Deps, fake: FakeTelegram, chat_with: ChatWith
) -> tuple[MemberChat, int]:
    """The member does something in every feature; returns their chat and the survey id."""
    survey_id = await scheduled_survey(deps, fake, chat_with)
    await deliver_outbox(deps, app)
    fake.add_user(ME, NAME, username=USERNAME, language_code="fr")
    me = MemberChat(app, fake, ME, ME)
    await me.press("✍️ Répondre")  # the survey: four polls, a comment, a skip
    for options in ([0], [1], [0, 2], [9]):
        await vote(me, last_poll(fake, ME)["id"], options)
    await me.say(COMMENT)
    await me.say("passer")
    assert "Merci, c'est fini" in me.last_text()
    other = chat_with(CAME[1])
    await other.press("✍️ Répondre")
    for options in ([1], [0]):
        await vote(other, last_poll(fake, CAME[1])["id"], options)

    await me.say("/abonnements")  # follow events, RSVP to one, ask a reminder of another
    await me.press("▫️ Toutes les rencontres")
    start = datetime.now(UTC) + timedelta(days=20)
    await deps.events.create(title="Forum ESS", starts_at=start)
    await deliver_outbox(deps, app)
    await me.press("Je viens")
    later = await deps.events.create(title="Apéro des labos", starts_at=start)
    await deps.events.rsvp(later.id, ME, "remind")  # its notice is still pending

    await add_innovations(app, 12, summary="Réparer ensemble", commune="Brest")
    await me.say(f"/chercher {SEARCH}")
    assert "résultats" in me.last_text()

    fake.add_group(GROUP_ID, "Plénière")
    admin = chat_with(ADMIN_ID, chat_id=GROUP_ID)
    await admin.say("/sondage_rapide 5 On fait une pause ? | Oui | Non")
    poll = fake.bot_messages(GROUP_ID)[-2]["poll"]
    for voter, option in ((ME, 0), (ADMIN_ID, 1)):
        await admin.deliver(fake.answer_poll(voter, poll["id"], [option]))

    await send_proposal(me, "Repair café de Kerbrat", contact="maelenn@exemple.bzh")
    await app.update_persistence()
    return me, survey_id


async def test_export_covers_every_feature(
    app: BotApp, deps: Deps, fake: FakeTelegram, chat_with: ChatWith
) -> None:
    me, survey_id = await member_everywhere(app, deps, fake, chat_with)
    await me.say("/mesdonnees")
    data = json.loads(fake.files[me.last_message()["document"]["file_id"]])
    assert data["profile"]["username"] == USERNAME
    assert [s["name"] for s in data["proposals"]] == ["Repair café de Kerbrat"]
    meetings = data["events"]
    assert [(r["event"], r["answer"]) for r in meetings["rsvps"]] == [
        ("Rencontre <test>", "yes"),
        ("Forum ESS", "yes"),
        ("Apéro des labos", ""),  # no answer, only the reminder
    ]
    assert [s["theme"] for s in meetings["subscriptions"]] == [""]
    states = sorted(m["state"] for m in meetings["messages"])
    assert states == ["pending", "sent", "sent"]  # invitation, Forum ESS; Apéro still planned
    [response] = data["surveys"]["responses"]
    assert response["survey_id"] == survey_id
    assert response["completed_at"] is not None
    assert [a["choices"] for a in response["answers"][:3]] == [
        ["Tout à fait satisfait·e"],
        ["Peut-être"],
        ["Les labos", "Les plénières"],
    ]
    assert COMMENT in [a["text"] for a in response["answers"]]
    assert len(data["surveys"]["polls_sent"]) == 4
    assert data["surveys"]["quick_poll_votes"] == [
        {"question": "On fait une pause ?", "choices": ["Oui"]}
    ]
    assert [s["query"] for s in data["search"]] == [SEARCH]
    assert "other_tables" not in data  # every table naming a member belongs to a feature
    dumped = json.dumps(data, ensure_ascii=False)
    assert str(CAME[1]) not in dumped
    assert str(ADMIN_ID) not in dumped


async def test_forget_leaves_nothing_personal_and_totals_unchanged(
    app: BotApp, deps: Deps, fake: FakeTelegram, chat_with: ChatWith
) -> None:
    me, survey_id = await member_everywhere(app, deps, fake, chat_with)
    survey_before = await deps.surveys.results.results(survey_id)
    poll_before = await deps.surveys.quick_polls.results(1)
    rows = await database_rows(deps)
    assert {"search_fts", "alembic_version"} <= {name for name, _ in rows}  # not only our models
    assert {name for name, values in rows if names_the_member(values)} == {
        *("members", "submissions", "submission_events", "rsvps", "event_subscriptions"),
        *("outbox", "saved_searches", "member_messages"),
        *("survey_responses", "survey_answers", "survey_polls", "quick_poll_votes"),
    }

    await me.say("/oublier")
    assert "restent comptées dans les totaux" in me.last_text()
    await me.press("🗑 Oui, tout effacer")
    assert "effacées" in me.last_text()
    await app.update_persistence()

    leftovers = [(t, v) for t, v in await database_rows(deps) if names_the_member(v)]
    assert leftovers == []
    assert await deps.surveys.quick_polls.results(1) == poll_before
    survey_after = await deps.surveys.results.results(survey_id)
    assert without_comments(survey_after) == without_comments(survey_before)
    assert survey_after is not None
    assert COMMENT not in str(survey_after)
    async with deps.sessions() as session:
        polls_left = await session.scalar(select(func.count()).select_from(SurveyPoll))
        rsvps_left = set(await session.scalars(select(Rsvp.member_id)))
    assert polls_left == 3  # the three sent to the other respondent
    assert rsvps_left == {CAME[1], SAID_NO}
    await deliver_outbox(deps, app)  # the pending notice of « Apéro des labos » never leaves
    assert not any("Apéro des labos" in text for text in me.texts())


# --- the service alone, on both databases -------------------------------------------------------

FIRST, SECOND, STAYS = 4242, 4343, 4444


@pytest.fixture
async def sessions(db_url: str) -> AsyncIterator[Sessions]:
    engine = create_engine(db_url)
    yield create_sessions(engine)
    await engine.dispose()


async def some_of_everything(sessions: Sessions) -> tuple[int, int]:
    """Three members with RSVPs, follows, sends, answers and votes; returns survey, poll ids."""
    now = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
    async with sessions.begin() as session:
        survey = Survey(title="Bilan", status="open", created_by=FIRST)
        poll = QuickPoll(
            poll_id="p1", chat_id=-100, message_id=1, question="Pause ?", options="Oui\nNon",
            anonymous=False, closes_at=now, created_by=FIRST,
        )  # fmt: skip
        session.add_all([survey, poll])
        await session.flush()
        question = SurveyQuestion(
            survey_id=survey.id, position=0, key="q", kind="text", prompt="Un mot ?"
        )
        session.add(question)
        session.add(Announcement(author_id=FIRST, text="Bonjour", progress_chat_id=FIRST))
        await session.flush()
        for n, member in enumerate((FIRST, SECOND, STAYS)):
            session.add(Member(telegram_id=member, first_name=f"M{member}"))
            session.add(EventSubscription(member_id=member, theme=""))
            session.add(SavedSearch(member_id=member, query=f"cherche {member}"))
            session.add(QuickPollVote(quick_poll_id=poll.id, member_id=member, choices="0"))
            for state in ("pending", "sent"):
                session.add(
                    OutboxMessage(purpose=f"x:{state}", chat_id=member, payload="{}", due_at=now)
                )
            response = SurveyResponse(survey_id=survey.id, member_id=member, completed_at=now)
            session.add(response)
            await session.flush()
            session.add(SurveyAnswer(response_id=response.id, question_id=question.id, text="hi"))
            session.add(
                SurveyPoll(
                    poll_id=f"sp{n}", response_id=response.id, question_id=question.id,
                    chat_id=member, message_id=n,
                )
            )  # fmt: skip
        return survey.id, poll.id


async def test_erasing_two_members_keeps_counts_and_the_third(sessions: Sessions) -> None:
    survey_id, poll_id = await some_of_everything(sessions)
    privacy = PrivacyService(sessions)
    assert (await privacy.export(FIRST))["events"]["announcements_written"][0]["text"] == "Bonjour"
    await privacy.erase(FIRST)
    await privacy.erase(SECOND)  # a second forgotten respondent gets its own number

    async with sessions() as session:
        responses = await session.scalars(
            select(SurveyResponse.member_id).where(SurveyResponse.survey_id == survey_id)
        )
        votes = await session.scalars(
            select(QuickPollVote.member_id).where(QuickPollVote.quick_poll_id == poll_id)
        )
        assert sorted(responses) == [-2, -1, STAYS]
        assert sorted(votes) == [-2, -1, STAYS]
        texts = await session.scalars(select(SurveyAnswer.text).order_by(SurveyAnswer.id))
        assert list(texts) == ["", "", "hi"]
        assert list(await session.scalars(select(SurveyPoll.chat_id))) == [STAYS]
        outbox = await session.scalars(select(OutboxMessage.chat_id))
        assert sorted(outbox) == [STAYS, STAYS]
        announcement = await session.scalar(select(Announcement))
        assert announcement is not None
        assert (announcement.author_id, announcement.progress_chat_id) == (0, 0)
        survey = await session.get(Survey, survey_id)
        poll = await session.get(QuickPoll, poll_id)
        assert survey is not None
        assert poll is not None
        assert (survey.created_by, poll.created_by) == (None, 0)
        for model in (EventSubscription, SavedSearch):
            members = await session.scalars(select(model.member_id))
            assert list(members) == [STAYS]
    assert (await privacy.export(STAYS))["search"][0]["query"] == f"cherche {STAYS}"


def test_every_table_naming_a_member_is_covered() -> None:
    """A new table with a member's id must come with its privacy rules."""
    member_columns = {"member_id", "chat_id", "author_id", "created_by", "submitted_by"}
    member_columns |= {"actor_id", "decided_by", "prompt_by", "progress_chat_id"}
    naming = {t.name for t in Base.metadata.sorted_tables if member_columns & set(t.c.keys())}
    covered = PrivacyService(create_sessions(create_engine("sqlite+aiosqlite://"))).tables
    assert naming <= covered
