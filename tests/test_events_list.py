"""/evenements (/events): upcoming gatherings first (RSVP cards), then the past ones."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bot.context import Deps
from storage.models import Event
from tests.support.driver import MemberChat


async def test_upcoming_cards_first_then_past_events(
    chat_with: Callable[..., MemberChat], deps: Deps
) -> None:
    async with deps.sessions.begin() as session:
        session.add(
            Event(
                slug="rencontre-2027",
                title="Innov'Deizh 2027",
                place="Brest",
                starts_at=datetime.now(UTC) + timedelta(days=30),
            )
        )
    chat = chat_with()
    await chat.say("/evenements")
    texts = chat.texts()
    upcoming = next(i for i, text in enumerate(texts) if "Innov'Deizh 2027" in text)
    past = next(i for i, text in enumerate(texts) if text.startswith("🗂 Les rencontres passées"))
    assert upcoming < past
    assert chat.button_labels(chat.last_message()) == [
        "🗂 Réunion de débriefing de la journée Innov'Deizh",
        "🗂 Journée Innov'Deizh du 24 octobre 2013",
    ]
    await chat.press("🗂 Journée Innov'Deizh du 24 octobre 2013")
    assert "24 octobre 2013" in chat.last_text()
