"""Plurals by CLDR's categories (Babel): French 0 and 1 are singular, English only 1, and Breton
has five categories (one, two, few, many, other). A missing category falls back to ``other``,
then to French."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.services.events.messages import EventMessages
from bot.services.events.views import EventView
from bot.texts import Texts
from tests.support.driver import plain


@pytest.fixture(scope="module")
def texts() -> Texts:
    return Texts.load()


def event(coming: int, *, upcoming: bool = True) -> EventView:
    return EventView(
        id=1, title="Forum ESS", description="", place="", address="", theme="",
        starts_at=datetime(2031, 3, 15, 9, tzinfo=UTC), ends_at=None, capacity=None,
        repeats_yearly=False, cancelled=False, schedule_rev=0, coming=coming, upcoming=upcoming,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("language", "coming", "expected"),
    [
        ("fr", 0, "0 personne vient"),
        ("fr", 1, "1 personne vient"),
        ("fr", 2, "2 personnes viennent"),
        ("en", 0, "0 people are coming"),
        ("en", 1, "1 person is coming"),
        ("en", 2, "2 people are coming"),
    ],
)
def test_the_event_card_counts_people_in_words(
    texts: Texts, language: str, coming: int, expected: str
) -> None:
    card = EventMessages(texts, ZoneInfo("Europe/Paris")).card_text(event(coming), language)
    assert expected in card
    assert "(s)" not in card


def test_a_past_event_counts_who_had_said_they_would_come(texts: Texts) -> None:
    messages = EventMessages(texts, ZoneInfo("Europe/Paris"))
    assert "1 personne avait dit venir" in messages.card_text(event(1, upcoming=False), "fr")
    assert "2 people had said" in messages.card_text(event(2, upcoming=False), "en")


@pytest.mark.parametrize(
    ("language", "count", "expected"),
    [
        ("fr", 0, "0 réponse"),
        ("fr", 1, "1 réponse"),
        ("fr", 2, "2 réponses"),
        ("en", 0, "0 responses"),
        ("en", 1, "1 response"),
        ("en", 47, "47 responses"),
    ],
)
def test_survey_responses(texts: Texts, language: str, count: int, expected: str) -> None:
    assert texts.plural(language, "surveys.results.respondents", count) == expected


def test_no_hand_made_plural_is_left_in_the_catalogues(texts: Texts) -> None:
    for language in texts.languages:
        assert [k for k, text in texts.catalogue(language).items() if "(s)" in text] == []


def test_the_count_is_written_by_the_formatter(texts: Texts) -> None:
    found = plain(texts.plural("fr", "search.found", 1234, query="vélo"))
    assert found.startswith("🔎 <b>1 234 résultats</b>")
    assert texts.plural("en", "search.found", 1234, query="bike").startswith("🔎 <b>1,234 results")


BRETON = {
    "fr": {"boats.one": "{count} bateau", "boats.other": "{count} bateaux"},
    "br": {
        "boats.one": "{count} bag (one)",
        "boats.two": "{count} vag (two)",
        "boats.few": "{count} bag (few)",
        "boats.many": "{count} a vagoù (many)",
        "boats.other": "{count} bag (other)",
        "partial.other": "{count} (br other)",
    },
}
BRETON["fr"] |= {"partial.one": "{count} (fr one)", "partial.other": "{count} (fr other)"}
BRETON["fr"] |= {"french_only.one": "{count} (fr one)", "french_only.other": "{count} (fr other)"}


@pytest.mark.parametrize(
    ("count", "category"),
    [
        (1, "one"),
        (21, "one"),
        (2, "two"),
        (22, "two"),
        (3, "few"),
        (9, "few"),
        (1_000_000, "many"),
        (5, "other"),
        (11, "other"),
        (12, "other"),
        (0, "other"),
    ],
)
def test_breton_picks_each_of_its_five_categories(count: int, category: str) -> None:
    texts = Texts(BRETON, "fr")
    assert texts.plural("br", "boats", count).endswith(f"({category})")


def test_a_missing_category_falls_back_to_other_then_to_french() -> None:
    texts = Texts(BRETON, "fr")
    assert texts.plural("br", "partial", 2) == "2 (br other)"  # no "two": other
    assert texts.plural("br", "french_only", 0) == "0 (fr one)"  # French's own category for 0
    assert texts.plural("br", "french_only", 7) == "7 (fr other)"
