"""The events feature's lists and card on SQLite and PostgreSQL (moved from the catalogue)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.config import parse_config
from bot.services.events import build_events
from bot.services.events.service import EventNotFound, EventService
from storage.db import Sessions
from storage.models import Event

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


@pytest.fixture
def events(sessions: Sessions) -> EventService:
    return build_events(sessions, parse_config({}))


async def test_events_upcoming_first_then_past(sessions: Sessions, events: EventService) -> None:
    async with sessions.begin() as session:
        for slug, days in (("loin", 40), ("proche", 3)):
            session.add(Event(slug=slug, title=slug, starts_at=NOW + timedelta(days=days)))
    upcoming = await events.upcoming(NOW)
    assert [e.title for e in upcoming] == ["proche", "loin"]
    past = await events.past(NOW)
    assert past[0].title == "Réunion de débriefing de la journée Innov'Deizh"
    following = await events.next_event(NOW)
    assert following is not None
    assert following.slug == "proche"


async def test_the_2013_card_has_its_figures_and_follow_ups(events: EventService) -> None:
    card = await events.card(slug="innov-deizh-2013", now=NOW)
    assert not card.upcoming
    assert not card.takes_answers
    assert ("Participants", 300, "personnes") in [(f.label, f.value, f.unit) for f in card.figures]
    assert len(card.figures) == 12
    assert [f.kind for f in card.follow_ups].count("proposal") == 5
    assert card.where == "Rennes"
    with pytest.raises(EventNotFound):
        await events.card(slug="nexistepas")
