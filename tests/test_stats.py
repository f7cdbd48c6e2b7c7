"""/stats through the Bot API double, on SQLite and PostgreSQL: known data gives exact figures,
one photo captioned within Telegram's limit, members refused, an empty network draws too."""

from __future__ import annotations

import struct
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import insert

from bot.app import build_application, build_deps
from bot.config import Config, parse_config
from bot.console.bot_api import InProcessBotApi
from bot.console.bot_api.validation import MAX_CAPTION
from bot.context import Deps
from bot.services.surveys.templates import template
from bot.startup import prepare_database
from bot.texts import utf16_length
from storage.models import (
    Event,
    InboundUpdate,
    LeaderLease,
    Member,
    OutboxMessage,
    Proposal,
    Rsvp,
    Survey,
)
from tests.conftest import ADMIN_ID, MODERATOR_ID, MODERATORS_CHAT_ID
from tests.support.bot_api import FakeTelegram
from tests.support.driver import MemberChat, plain
from tests.support.surveys import add_answers, create_survey

INSTANCE = "stats-test"


@pytest.fixture
def instance() -> str:
    """This instance's configured name (a test may give its own by parametrizing)."""
    return INSTANCE


@pytest.fixture
def config(db_url: str, instance: str) -> Config:
    """The organisers' configuration on each database (the seed is imported at start-up)."""
    return parse_config(
        {
            "database": {"url": db_url},
            "bot": {
                "admin_ids": [ADMIN_ID],
                "moderator_ids": [MODERATOR_ID],
                "moderators_chat_id": MODERATORS_CHAT_ID,
            },
            "deployment": {"instance": instance},
        }
    )


async def populate(deps: Deps, now: datetime) -> None:
    """Ten members (six seen lately, two who blocked the bot), ten proposals, seven events
    ahead (one cancelled), RSVPs, two surveys, the outbox and the intake journal."""
    ago = [now - timedelta(days=d) for d in (0, 1, 2, 5, 10, 29, 31, 40, 90, 365)]
    members = [
        {"telegram_id": 1 + n, "last_seen_at": seen, "is_reachable": n < 8, "created_at": seen}
        for n, seen in enumerate(ago)
    ]
    statuses = ["pending"] * 3 + ["published"] * 2 + ["refused"] + ["draft"] * 4
    events: list[dict[str, Any]] = [
        {"slug": f"a-venir-{n}", "title": f"Rencontre {n}", "capacity": 3 if n == 1 else None}
        | {"starts_at": now + timedelta(days=n)}
        for n in range(1, 7)
    ]
    events.append({"slug": "annulee", "title": "Annulée", "starts_at": now + timedelta(hours=2)})
    events[-1]["cancelled_at"] = now
    async with deps.sessions.begin() as session:
        await session.execute(insert(Member), members)
        await session.execute(insert(Proposal), [{"status": s} for s in statuses])
        await session.execute(insert(Event), events)
        first = await session.scalar(Event.__table__.select().with_only_columns(Event.id).where(
            Event.slug == "a-venir-1"
        ))  # fmt: skip
        second = int(first or 0) + 1
        answers = ["yes"] * 3 + ["wait"] * 2 + ["offer", "maybe", "no", "no", ""]
        rsvps = [
            {"event_id": first, "member_id": 1 + n, "answer": a} for n, a in enumerate(answers)
        ]
        rsvps += [{"event_id": second, "member_id": 1, "answer": "yes"}]
        await session.execute(insert(Rsvp), rsvps)
        outbox = [
            ("pending", now - timedelta(minutes=5)),
            ("pending", now - timedelta(minutes=1)),
            ("pending", now),
            ("pending", now + timedelta(days=3)),  # planned, not late
            ("sending", now - timedelta(minutes=9)),
            *[("sent", now - timedelta(days=2))] * 4,
        ]
        await session.execute(
            insert(OutboxMessage),
            [
                {"purpose": f"test:{n}", "chat_id": n, "payload": "{}", "state": s, "due_at": d}
                for n, (s, d) in enumerate(outbox)
            ],
        )
        journal = [(now - timedelta(minutes=2), None), (now, None), (now, now), (now, now)]
        await session.execute(
            insert(InboundUpdate),
            [
                {"update_id": 10 + n, "received_at": got, "done_at": done}
                for n, (got, done) in enumerate(journal)
            ],
        )
    await add_answers_to_surveys(deps)


async def add_answers_to_surveys(deps: Deps) -> None:
    """An open survey: 8 invited, 4 responses of which one only skipped (3 respondents); a
    closed one open to everyone with 2 respondents; a draft (not listed)."""
    for slug in ("a-venir-1", "a-venir-2", "a-venir-3"):
        survey_id = await create_survey(deps.sessions, template(), slug)
        async with deps.sessions.begin() as session:
            survey = await session.get(Survey, survey_id)
            assert survey is not None
            if slug == "a-venir-1":
                survey.status, survey.invited_count, survey.title = "open", 8, "Ton avis"
            elif slug == "a-venir-2":
                survey.status, survey.open_to_all, survey.title = "closed", True, "Bilan"
                survey.closed_at = datetime.now(UTC)
        if slug == "a-venir-1":
            await add_answers(deps.sessions, survey_id, {"overall": [0, 3, 1, None]})
        elif slug == "a-venir-2":
            await add_answers(deps.sessions, survey_id, {"overall": [0, 1]}, first_member=7)


def photo_of(message: dict[str, Any]) -> dict[str, Any]:
    assert "photo" in message, message
    largest: dict[str, Any] = message["photo"][-1]
    return largest


def check_png(chat: MemberChat, photo: dict[str, Any]) -> None:
    png = chat.fake.files[photo["file_id"]]
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])
    assert width == 1080  # a phone's width, nothing to zoom
    assert 500 <= height <= 2000
    assert len(png) < 100_000


async def test_organisers_get_the_figures_as_one_captioned_chart(
    deps: Deps, chat_with: Callable[..., MemberChat]
) -> None:
    now = datetime.now(UTC)
    await populate(deps, now)
    admin = chat_with(ADMIN_ID, first_name="Gwen")
    await admin.say("/stats")
    message = admin.last_message()
    photo = photo_of(message)
    check_png(admin, photo)
    caption = str(message["caption"])
    assert utf16_length(caption) <= MAX_CAPTION
    assert len(admin.fake.bot_messages(admin.chat_id)) == 1  # one message: photo and figures
    lines = plain(caption).split("\n")
    assert lines[0] == "📊 Innov'Deizh en chiffres"
    assert "🧪 Labos : 17 · 💡 Innovations publiées : " in lines[1]
    # The seed's two gatherings and the six ahead (the cancelled one is left out).
    assert lines[2] == "📅 Rencontres : 8"
    # The ten members and Gwen herself, just seen; 6 of the 10 seen within 30 days.
    assert "👥 Membres : 11, dont 7 actifs ces 30 derniers jours" in lines
    assert "🚫 2 membres ont bloqué le bot" in lines
    assert (
        "📝 Propositions — à modérer : 3 · publiées : 2 · refusées : 1 · en cours d'écriture : 4"
        in lines
    )
    events = [line for line in lines if line.startswith("• ") and "Rencontre" in line]
    assert len(events) == 5  # the next five; the sixth and the cancelled one are not shown
    assert events[0].endswith(", Rencontre 1 : ✅ 3/3 · 🤔 1 · ⏳ 3")  # waiting: 2 + 1 offer
    assert events[1].endswith(", Rencontre 2 : ✅ 1 · 🤔 0 · ⏳ 0")
    assert events[4].endswith(", Rencontre 5 : ✅ 0 · 🤔 0 · ⏳ 0")
    assert "📋 Enquêtes — ouvertes : 1 · closes : 1" in lines
    assert "• « Ton avis » (ouverte) : 38 % de réponses (3 sur 8)" in lines  # 37.5 rounds up
    assert "• « Bilan » (close) : 2 réponses" in lines  # open to everyone: no rate
    # Pending and sending, not sent; the oldest due (5 min), not the one planned next week.
    assert "📬 Envois en attente : 5 messages, le plus ancien depuis 5 minutes" in lines
    assert "📥 Reçus à traiter : 2 messages, le plus ancien depuis 2 minutes" in lines
    assert f"🧭 Une seule instance (« {INSTANCE} »)" in lines
    # French typography: a narrow no-break space in thousands is Babel's; none here, but the
    # « : » carries its no-break space.
    assert "Membres\u00a0: 11" in caption


async def test_an_empty_network_is_counted_and_drawn(
    chat_with: Callable[..., MemberChat],
) -> None:
    admin = chat_with(ADMIN_ID, language_code="en")
    await admin.say("/stats")
    message = admin.last_message()
    check_png(admin, photo_of(message))
    lines = plain(str(message["caption"])).split("\n")
    assert lines[0] == "📊 Innov'Deizh in figures"
    assert "👥 Members: 1, 1 active in the last 30 days" in lines
    assert "🚫 0 members blocked the bot" in lines
    assert "📝 Proposals — to moderate: 0 · published: 0 · refused: 0 · being written: 0" in lines
    assert "📅 No gathering coming up for now." in lines
    assert "📋 Surveys — open: 0 · closed: 0" in lines
    assert "📬 Sends waiting: none" in lines
    assert "📥 Received, to handle: none" in lines
    assert f"🧭 A single instance (“{INSTANCE}”)" in lines


async def test_members_are_refused_and_see_no_figure(
    deps: Deps, chat_with: Callable[..., MemberChat]
) -> None:
    await populate(deps, datetime.now(UTC))
    member = chat_with(5)
    await member.say("/stats")
    assert member.texts() == ["Cette action est réservée aux organisateurs."]
    assert "photo" not in member.last_message()


async def add_long_titles(deps: Deps, *, capacity: int | None, invited: int) -> None:
    """Five gatherings and four surveys (three shown) with 200-character titles, each
    character « 𝕒 » (two UTF-16 units for Python's one)."""
    now = datetime.now(UTC)
    async with deps.sessions.begin() as session:
        await session.execute(
            insert(Event),
            [
                {"slug": f"longue-{n}", "title": "𝕒" * 200, "capacity": capacity}
                | {"starts_at": now + timedelta(days=n)}
                for n in range(1, 6)
            ],
        )
    for n in range(1, 5):
        survey_id = await create_survey(deps.sessions, template(), f"longue-{n}")
        async with deps.sessions.begin() as session:
            survey = await session.get(Survey, survey_id)
            assert survey is not None
            survey.status, survey.title, survey.invited_count = "open", "𝕒" * 200, invited


async def test_long_titles_are_shortened_to_keep_one_captioned_message(
    deps: Deps, chat_with: Callable[..., MemberChat]
) -> None:
    await add_long_titles(deps, capacity=None, invited=10)
    admin = chat_with(ADMIN_ID)
    await admin.say("/stats")
    messages = admin.fake.bot_messages(admin.chat_id)
    assert len(messages) == 1
    caption = str(messages[0]["caption"])
    assert utf16_length(caption) <= MAX_CAPTION  # what the double (and Telegram) checks
    assert caption.count("𝕒…") == 8  # 5 gatherings and 3 surveys, each shortened
    assert "📋 Enquêtes — ouvertes : 4 · closes : 0" in plain(caption)


@pytest.mark.parametrize("instance", ["i" * 64])  # the longest name the config accepts
async def test_figures_too_long_for_a_caption_come_as_a_message_then_the_chart(
    deps: Deps, chat_with: Callable[..., MemberChat]
) -> None:
    """Five-digit capacities and invitations, a 64-character instance name: even with titles
    shortened to 24 units the figures pass 1,024, so they go as a message (4,096 units) with
    titles of 40, and the chart follows with a short caption."""
    await add_long_titles(deps, capacity=12_345, invited=12_345)
    admin = chat_with(ADMIN_ID)
    await admin.say("/stats")
    text, chart = admin.fake.bot_messages(admin.chat_id)
    figures = str(text["text"])
    assert utf16_length(figures) > MAX_CAPTION
    assert figures.count("𝕒" * 19 + "…") == 8  # 19 × 2 + 1 = 39 units of the 40
    assert ", 𝕒" in figures
    assert "✅ 0/12\u202f345" in figures  # Babel's narrow no-break space between thousands
    assert "(0 sur 12\u202f345)" in figures
    check_png(admin, photo_of(chart))
    assert chart["caption"] == "📊 Les chiffres en image"


@pytest.mark.postgres
async def test_the_leading_instance_is_named_in_ha_mode(
    postgres_url: str, fake: FakeTelegram
) -> None:
    """ha mode reads the lease row: holder, epoch and since when; an expired lease says so."""
    config = parse_config(
        {
            "database": {"url": postgres_url},
            "bot": {"admin_ids": [ADMIN_ID]},
            "deployment": {"mode": "ha", "instance": INSTANCE},
        }
    )
    deps = build_deps(config)
    await prepare_database(deps)
    since = datetime(2026, 12, 1, 13, 5, tzinfo=UTC)
    async with deps.sessions.begin() as session:
        expires_at = datetime.now(UTC) + timedelta(hours=1)
        session.add(
            LeaderLease(
                name="bot", holder="bot-b", epoch=3, acquired_at=since, renewed_at=since,
                expires_at=expires_at,
            )
        )  # fmt: skip
    try:
        async with build_application(deps, request=InProcessBotApi(fake)) as app:
            fake.add_user(ADMIN_ID, "Gwen", language_code="fr")
            admin = MemberChat(app, fake, ADMIN_ID, ADMIN_ID)
            await admin.say("/stats")
            leader = "🧭 Instance en tête : « bot-b », époque 3, depuis le mardi 1 décembre 2026"
            assert f"{leader} à 14 h 05" in admin.last_text().split("\n")  # Paris time
            async with deps.sessions.begin() as session:
                lease = await session.get(LeaderLease, "bot")
                assert lease is not None
                lease.expires_at = datetime.now(UTC) - timedelta(seconds=1)
            await admin.say("/stats")
            assert admin.last_text().endswith(
                "🧭 Aucune instance en tête : le bail de « bot-b » (époque 3) a expiré"
            )
    finally:
        await deps.engine.dispose()
