"""Dates and times as organisers type them in French: « 13/02 14h », « jeudi 13 février à 9h30 »,
« demain 9h », « lundi 14h30 », « dans 2 heures ».

One grammar for every date an organiser types (events, their moves, survey invitations, quick
polls' closing). A date without a year is the next one to come (today included); a weekday
alone is the next such day whose time is still to come; « dans N heures / minutes » counts from
now (to the minute); « maintenant » is now. A typed weekday that does not
match the date does not block (the issue's own example, « jeudi 13 février 2027 », is a
Saturday): the date wins, and :func:`mismatched_weekday` lets the preview warn the organiser.
Showing a date is bot.formatting's job (Babel); ``format_when`` is re-exported here for callers.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.formatting import format_when

__all__ = ["DateNotUnderstood", "format_when", "mismatched_weekday", "parse_french_datetime"]

MONTHS = {
    "janvier": 1, "janv": 1, "jan": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "mar": 3,
    "avril": 4, "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8,
    "septembre": 9, "sept": 9, "sep": 9, "octobre": 10, "oct": 10, "novembre": 11, "nov": 11,
    "decembre": 12, "dec": 12,
}  # fmt: skip
WEEKDAYS = {
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6,
}  # fmt: skip
_TIME = r"(?P<hour>\d{1,2})\s*(?:h|:|heures?)\s*(?P<minute>\d{2})?"
_NUMERIC = re.compile(
    r"^(?:(?P<weekday>[a-z]+)\s+)?(?:le\s+)?(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})"
    r"(?:[/.-](?P<year>\d{2,4}))?\s*(?:a\s*)?" + _TIME + r"$"
)
_WORDS = re.compile(
    r"^(?:le\s+)?(?:(?P<weekday>[a-z]+)\s+)?(?P<day>\d{1,2})(?:er)?\s+(?P<month>[a-z]+)\.?"
    r"(?:\s+(?P<year>\d{4}))?\s*(?:,\s*)?(?:a\s*)?" + _TIME + r"$"
)
_RELATIVE = re.compile(r"^(?P<word>aujourd'?hui|demain|apres-demain)\s*(?:a\s*)?" + _TIME + r"$")
_WEEKDAY = re.compile(
    r"^(?P<weekday>" + "|".join(WEEKDAYS) + r")(?:\s+prochain)?\s*(?:a\s*)?" + _TIME + r"$"
)
_IN = re.compile(r"^dans\s+(?P<count>\d{1,4}|une?)\s*(?P<unit>h|heures?|min|minutes?|mn|jours?)$")
_UNITS = {"h": 60, "heure": 60, "heures": 60, "jour": 1440, "jours": 1440}


class DateNotUnderstood(ValueError):
    """The text is not a date and time; ``reason`` is a catalogue key suffix for the answer."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", plain.replace("’", "'"))


def parse_french_datetime(text: str, now: datetime, tz: ZoneInfo) -> datetime:
    """The aware local datetime meant by ``text``, as seen at ``now``; DateNotUnderstood if not."""
    plain = _plain(text)
    today = now.astimezone(tz).date()
    match = _RELATIVE.match(plain)
    if match:
        shift = {"demain": 1, "apres-demain": 2}.get(match["word"], 0)
        return _combine(today + timedelta(days=shift), match, tz)
    if plain in {"maintenant", "tout de suite", "now"}:
        return now.astimezone(tz)
    match = _IN.match(plain)
    if match:
        count = 1 if match["count"] in {"un", "une"} else int(match["count"])
        minutes = count * _UNITS.get(match["unit"], 1)
        later = now.astimezone(tz) + timedelta(minutes=minutes)
        return later.replace(second=0, microsecond=0)
    match = _WEEKDAY.match(plain)
    if match:
        ahead = (WEEKDAYS[match["weekday"]] - today.weekday()) % 7
        soonest = _combine(today + timedelta(days=ahead), match, tz)
        return soonest if soonest > now else _combine(today + timedelta(days=ahead + 7), match, tz)
    match = _NUMERIC.match(plain) or _WORDS.match(plain)
    if match is None:
        raise DateNotUnderstood("format")
    month_text = match["month"]
    month = int(month_text) if month_text.isdigit() else MONTHS.get(month_text)
    if month is None:
        raise DateNotUnderstood("month")
    day = int(match["day"])
    year_text = match["year"]
    try:
        if year_text:
            year = int(year_text) + (2000 if len(year_text) == 2 else 0)
            when = date(year, month, day)
        else:
            when = date(today.year, month, day)
            if when < today:
                when = date(today.year + 1, month, day)
    except ValueError:
        raise DateNotUnderstood("no_such_day") from None
    weekday = match["weekday"]
    if weekday and weekday != "le" and weekday not in WEEKDAYS:
        raise DateNotUnderstood("format")
    return _combine(when, match, tz)


def mismatched_weekday(text: str, when: datetime) -> str | None:
    """The weekday typed in ``text`` if it is not the weekday of ``when``, else None."""
    words = _plain(text).replace(",", " ").split()
    for word in words:
        if word in WEEKDAYS and WEEKDAYS[word] != when.weekday():
            return word
    return None


def _combine(day: date, match: re.Match[str], tz: ZoneInfo) -> datetime:
    hour = int(match["hour"])
    minute = int(match["minute"] or 0)
    if hour > 23 or minute > 59:
        raise DateNotUnderstood("time")
    return datetime.combine(day, time(hour, minute), tzinfo=tz)
