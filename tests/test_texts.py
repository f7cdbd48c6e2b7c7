"""The catalogue: every French key has an English twin with the same placeholders."""

from __future__ import annotations

import pytest

from bot.texts import Texts, placeholders


@pytest.fixture(scope="module")
def texts() -> Texts:
    return Texts.load()


def test_english_has_every_french_key_and_nothing_else(texts: Texts) -> None:
    french, english = texts.catalogue("fr"), texts.catalogue("en")
    assert sorted(set(french) - set(english)) == [], "missing English translations"
    assert sorted(set(english) - set(french)) == [], "English keys with no French reference"


def test_placeholders_match(texts: Texts) -> None:
    french, english = texts.catalogue("fr"), texts.catalogue("en")
    mismatched = [
        key for key in french if placeholders(french[key]) != placeholders(english.get(key, ""))
    ]
    assert mismatched == []


def test_parameters_are_html_escaped(texts: Texts) -> None:
    assert "&lt;script&gt;" in texts.get("fr", "start.welcome", name="<script>")


def test_language_choice_order(texts: Texts) -> None:
    assert texts.pick_language("en", "fr") == "en"
    assert texts.pick_language("", "en-GB") == "en"
    assert texts.pick_language("", "de") == "fr"
    assert texts.pick_language("", None) == "fr"
