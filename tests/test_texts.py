"""The catalogue: every French key has an English twin with the same placeholders; Breton is
partial by design (French fills the gaps) but never invents a key or a placeholder."""

from __future__ import annotations

import pytest

from bot.texts import LOCALES, Texts, placeholders


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


def test_breton_is_partial_but_never_invents_keys_or_placeholders(texts: Texts) -> None:
    french, breton = texts.catalogue("fr"), texts.catalogue("br")
    assert sorted(set(breton) - set(french)) == [], "Breton keys with no French reference"
    assert [key for key in breton if placeholders(breton[key]) != placeholders(french[key])] == []
    assert {"start.welcome", "help.text", "commands.submit", "proposals.intro"} <= set(breton)


def test_a_missing_breton_text_falls_back_to_french_string_by_string(texts: Texts) -> None:
    assert not texts.has("br", "privacy.notice")
    assert texts.get("br", "privacy.notice") == texts.get("fr", "privacy.notice")
    assert texts.get("br", "start.welcome", name="Anna").startswith("Demat Anna")


def test_telegram_breton_is_understood(texts: Texts) -> None:
    assert texts.pick_language("", "br") == "br"
    assert texts.languages == ("fr", "en", "br")


def test_every_breton_file_says_it_awaits_review() -> None:
    for path in sorted((LOCALES / "br").glob("*.toml")):
        top = " ".join(path.read_text(encoding="utf-8").splitlines()[:2])
        assert top.startswith("# "), path.name
        assert "awaiting # review by a Breton speaker" in top, path.name
