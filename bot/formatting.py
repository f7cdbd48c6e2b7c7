"""Every date, time, number and plural category the bot shows, written by Babel (CLDR data).

One style across the bot, in Europe/Paris time (the configured ``bot.timezone``):
« jeudi 13 février 2014 à 14 h » (« 14 h 30 » off the hour), « Thursday, 13 February 2014 at
2:00 pm », « Yaou 13 Cʼhwevrer 2014 da 14:00 »; « 1,2 » and « 1 234 » in French. Services
import this module (it knows nothing of Telegram); the catalogue (bot.texts) uses it for plural
categories and French typography.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_skeleton, format_time, format_timedelta
from babel.numbers import format_decimal

from bot.languages import language_named


@cache
def locale_of(language: str) -> Locale:
    """The CLDR locale of a catalogue language (French for an unknown code)."""
    return Locale.parse(language_named(language).locale)


def format_day(day: date, language: str) -> str:
    """« jeudi 13 février 2014 », « Thursday, 13 February 2014 »."""
    return format_date(day, "full", locale=locale_of(language))


def format_short_day(when: datetime, tz: ZoneInfo, language: str) -> str:
    """« mer. 9 déc. », « Wed 9 Dec » — the local day in ``tz``, for lists and charts."""
    return format_skeleton("MMMEd", when.astimezone(tz), tzinfo=tz, locale=locale_of(language))


def format_duration(delta: timedelta, language: str) -> str:
    """« 3 minutes », « 2 heures », « 1 jour » (rounded to the largest unit, as people say it)."""
    return format_timedelta(delta, locale=locale_of(language))


def format_clock(when: datetime, tz: ZoneInfo, language: str) -> str:
    """« 14 h », « 14 h 30 »; « 2:00 pm »; « 14:00 » — local time in ``tz``."""
    local = when.astimezone(tz)
    spoken = language_named(language)
    pattern = spoken.on_the_hour if local.minute == 0 else spoken.with_minutes
    return format_time(local, pattern, tzinfo=tz, locale=locale_of(language))


def format_when(when: datetime, tz: ZoneInfo, language: str) -> str:
    """« jeudi 13 février 2014 à 14 h » (fr), « Thursday, 13 February 2014 at 2:00 pm » (en)."""
    local = when.astimezone(tz)
    return _at(language, format_day(local.date(), language), format_clock(local, tz, language))


def format_span(start: datetime, end: datetime | None, tz: ZoneInfo, language: str) -> str:
    """« jeudi 24 octobre 2013 à 9 h – 17 h 30 »; the whole end when it is another day."""
    text = format_when(start, tz, language)
    if end is None:
        return text
    same_day = start.astimezone(tz).date() == end.astimezone(tz).date()
    until = format_clock(end, tz, language) if same_day else format_when(end, tz, language)
    interval = str(locale_of(language).interval_formats.get(None, "{0} – {1}"))
    return interval.replace("{0}", text).replace("{1}", until)


def format_number(value: float, language: str, decimals: int | None = None) -> str:
    """« 1 234 », « 1,2 » (fr); « 1,234 », « 1.2 » (en); ``decimals`` fixes the digits shown."""
    pattern = None if decimals is None else "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, pattern, locale=locale_of(language))


def format_km(km: float, language: str) -> str:
    """A distance in km: one decimal under 10 km (« 1,2 »), whole kilometres beyond (« 12 »)."""
    return format_number(km, language, decimals=1 if km < 10 else 0)


def plural_category(language: str, count: float) -> str:
    """CLDR's plural category of ``count``: one, two, few, many or other (French: 0 is one)."""
    return str(locale_of(language).plural_form(count))


def _at(language: str, day: str, clock: str) -> str:
    # CLDR's "atTime" pattern (« {1} 'à' {0} »), which Babel exposes as the relative format.
    pattern = str(locale_of(language).datetime_formats_relative.get("full", "{1} {0}"))
    glue = re.sub(r"'([^']*)'", lambda quoted: quoted[1] or "'", pattern)
    return glue.replace("{1}", day).replace("{0}", clock)


# French typography: a narrow no-break space (U+202F) before « ; ! ? », a no-break space
# (U+00A0) before « : » and « % », inside « » and after « n° » before a number (Imprimerie
# nationale's rules). Spaces already typed are replaced (and the one of « n° 3 » added), only
# outside HTML tags, so links and markup stay as written.
_TAG = re.compile(r"(<[^>]*>)")
_SPACES = "[ \u00a0\u202f]+"
_RULES = (
    (re.compile(_SPACES + "([;!?])"), "\u202f\\1"),
    (re.compile(_SPACES + "([:%])"), "\u00a0\\1"),
    (re.compile("«" + _SPACES), "«\u00a0"),
    (re.compile(_SPACES + "»"), "\u00a0»"),
    (re.compile("n°[ \u00a0\u202f]*(?=[0-9{])"), "n°\u00a0"),
)


def french_typography(text: str) -> str:
    """``text`` with French no-break spaces, HTML tags left untouched."""
    parts = _TAG.split(text)
    for index in range(0, len(parts), 2):  # even indices are text, odd ones are tags
        for rule, replacement in _RULES:
            parts[index] = rule.sub(replacement, parts[index])
    return "".join(parts)


def percent(count: int, total: int) -> int:
    """``count`` of ``total`` as the whole percentage members read (« 42/47 → 89 % »), rounded
    half up with exact integer maths; 0 of nothing is 0."""
    if total <= 0:
        return 0
    return (200 * count + total) // (2 * total)
