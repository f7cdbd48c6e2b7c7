"""The languages the bot speaks, declared once: the language menu, the catalogue, the command
menus, the configuration check and the formatter all read this table.

French is the reference: every other language falls back to it string by string. ``locale`` is
the CLDR locale Babel formats dates, numbers and plural categories with; the clock patterns are
CLDR patterns too (French writes « 14 h » and « 14 h 30 », which CLDR's « 14:30 » does not).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    """One language of the catalogue and how its dates and numbers are written."""

    code: str  # the catalogue folder and Telegram's language_code
    name: str  # in the language itself, as the language menu shows it
    flag: str
    locale: str
    on_the_hour: str  # CLDR time pattern of « 14 h »
    with_minutes: str  # CLDR time pattern of « 14 h 30 »
    french_typography: bool  # non-breaking spaces before « : ; ! ? % » and inside « »
    reviewed: bool = True  # False: the language menu says the translation awaits review


NBSP, NNBSP = "\u00a0", "\u202f"  # no-break spaces: « 14 h 30 », « 2:30 pm » never wrap
LANGUAGES = (
    Language("fr", "Français", "🇫🇷", "fr_FR", f"H{NBSP}'h'", f"H{NBSP}'h'{NBSP}mm", True),
    Language("en", "English", "🇬🇧", "en_GB", f"h:mm{NNBSP}a", f"h:mm{NNBSP}a", False),
    # Breton texts are written in Brittany with the French typographic rules.
    Language("br", "Brezhoneg", "", "br_FR", "HH:mm", "HH:mm", True, reviewed=False),
)
REFERENCE = "fr"
CODES = tuple(language.code for language in LANGUAGES)
_BY_CODE = {language.code: language for language in LANGUAGES}


def language_named(code: str) -> Language:
    """The declared language ``code``, else the reference (French)."""
    return _BY_CODE.get(code, _BY_CODE[REFERENCE])
