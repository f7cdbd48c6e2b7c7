"""French typography, applied once when a catalogue loads (bot.formatting.french_typography).

The rule chosen (Imprimerie nationale): a narrow no-break space (U+202F) before « ; ! ? », a
no-break space (U+00A0) before « : » and « % » and inside « ». Only catalogue wording is
typeset: parameters (member input) and HTML tags stay exactly as they are. Other tests read
texts through tests/support/driver.py, which folds these spaces back to plain ones.
"""

from __future__ import annotations

import re

import pytest

from bot.formatting import french_typography
from bot.texts import Texts

NNBSP, NBSP = "\u202f", "\u00a0"
BREAKABLE_BEFORE_PUNCTUATION = re.compile(r"(?: [;!?:%»]|« )")


@pytest.fixture(scope="module")
def texts() -> Texts:
    return Texts.load()


def test_the_real_characters_in_a_french_text(texts: Texts) -> None:
    asked = texts.get("fr", "members.language.ask")
    assert asked == f"Dans quelle langue veux-tu que je te parle{NNBSP}?"
    assert texts.get("fr", "start.welcome", name="Anne").startswith(f"Bonjour Anne{NNBSP}! 👋")
    assert texts.get("fr", "events.create.ask_place").startswith(f"Où{NNBSP}? Le nom du lieu")
    assert f"«{NBSP}Maison des associations, Rennes{NBSP}»" in texts.get(
        "fr", "events.create.ask_place"
    )
    assert texts.get("fr", "catalogue.card.theme", theme="Mobilité") == f"🏷 Thème{NBSP}: Mobilité"
    assert texts.get("fr", "surveys.results.satisfaction", satisfied=89, fully=43) == (
        f"89{NBSP}% de satisfaits, dont 43{NBSP}% tout à fait"
    )


@pytest.mark.parametrize("language", ["fr", "br"])
def test_no_breakable_space_is_left_before_french_punctuation(texts: Texts, language: str) -> None:
    catalogue = texts.catalogue(language)
    left = [key for key, text in catalogue.items() if BREAKABLE_BEFORE_PUNCTUATION.search(text)]
    assert left == []


def test_english_keeps_its_own_typography(texts: Texts) -> None:
    assert texts.get("en", "members.language.ask") == "Which language shall I speak to you?"
    assert NBSP not in texts.get("en", "events.rsvp.remind_refused")  # « Not coming », plain


def test_parameters_are_left_as_typed(texts: Texts) -> None:
    sent = texts.get("fr", "proposals.sent", name="Quoi ? <b>Ça</b> : oui")
    assert f"«{NBSP}Quoi ? &lt;b&gt;Ça&lt;/b&gt; : oui{NBSP}»" in sent


def test_tags_and_links_are_left_as_written() -> None:
    html = '<a href="https://exemple.bzh/?q=a ; b : c">Lien :</a> « ok » !'
    assert french_typography(html) == (
        f'<a href="https://exemple.bzh/?q=a ; b : c">Lien{NBSP}:</a> «{NBSP}ok{NBSP}»{NNBSP}!'
    )


def test_spaces_already_no_break_are_normalised_not_doubled() -> None:
    assert french_typography(f"50{NBSP}% ; 3 {NNBSP}!") == f"50{NBSP}%{NNBSP}; 3{NNBSP}!"


def test_a_number_after_numero_is_held_by_a_no_break_space() -> None:
    assert french_typography("Proposition n° 12 et n° 3") == "Proposition n°\u00a012 et n°\u00a03"
    assert french_typography("n° {id}") == "n°\u00a0{id}"
    assert french_typography("le n° de téléphone") == "le n° de téléphone"  # no number: as typed


def test_english_texts_quote_with_english_quotation_marks() -> None:
    """« » are French; an English text quotes “like this” (a leading « is a back chevron)."""
    english = Texts.load().catalogue("en")
    quoted = sorted(key for key, text in english.items() if re.search(r"«\s?\S.*»", text))
    assert quoted == []
