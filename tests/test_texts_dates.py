"""Dates, times and numbers as the bot writes them: one style, through Babel, in Paris time."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.formatting import format_day, format_km, format_number, format_span, format_when
from bot.services.french_dates import format_when as format_when_of_french_dates

PARIS = ZoneInfo("Europe/Paris")
ROOT = Path(__file__).resolve().parents[1]
NBSP, NNBSP, THIN = "\u00a0", "\u202f", "\u2009"
WINTER_2PM = datetime(2014, 2, 13, 13, 0, tzinfo=UTC)  # 14:00 in Paris (UTC+1)
SUMMER_2_30PM = datetime(2014, 7, 10, 12, 30, tzinfo=UTC)  # 14:30 in Paris (UTC+2)


@pytest.mark.parametrize(
    ("language", "when", "expected"),
    [
        ("fr", WINTER_2PM, f"jeudi 13 février 2014 à 14{NBSP}h"),
        ("fr", SUMMER_2_30PM, f"jeudi 10 juillet 2014 à 14{NBSP}h{NBSP}30"),
        ("en", WINTER_2PM, "Thursday, 13 February 2014 at 2:00\u202fpm"),
        ("en", SUMMER_2_30PM, "Thursday, 10 July 2014 at 2:30\u202fpm"),
        ("br", WINTER_2PM, "Yaou 13 Cʼhwevrer 2014 da 14:00"),
    ],
)
def test_one_date_style_in_paris_time(language: str, when: datetime, expected: str) -> None:
    assert format_when(when, PARIS, language) == expected


def test_format_when_is_still_importable_from_french_dates() -> None:
    assert format_when_of_french_dates is format_when


def test_a_time_span_on_one_day_and_over_two() -> None:
    start = datetime(2013, 10, 24, 7, tzinfo=UTC)
    same_day = datetime(2013, 10, 24, 15, 30, tzinfo=UTC)
    next_day = datetime(2013, 10, 25, 8, tzinfo=UTC)
    assert format_span(start, same_day, PARIS, "fr") == (
        f"jeudi 24 octobre 2013 à 9{NBSP}h{THIN}–{THIN}17{NBSP}h{NBSP}30"
    )
    assert format_span(start, next_day, PARIS, "fr").endswith(
        f"vendredi 25 octobre 2013 à 10{NBSP}h"
    )
    assert format_span(start, None, PARIS, "en") == "Thursday, 24 October 2013 at 9:00\u202fam"


def test_a_day_alone() -> None:
    assert format_day(date(2027, 2, 13), "fr") == "samedi 13 février 2027"
    assert format_day(date(2027, 2, 13), "en") == "Saturday, 13 February 2027"


@pytest.mark.parametrize(
    ("language", "value", "decimals", "expected"),
    [
        ("fr", 1.25, 1, "1,2"),  # CLDR rounds half to even
        ("fr", 1234, None, f"1{NNBSP}234"),
        ("fr", 300.0, None, "300"),
        ("en", 1234, None, "1,234"),
        ("en", 8.26, 1, "8.3"),
        ("br", 1234567, None, f"1{NBSP}234{NBSP}567"),
    ],
)
def test_numbers(language: str, value: float, decimals: int | None, expected: str) -> None:
    assert format_number(value, language, decimals) == expected


def test_distances_have_a_decimal_comma_under_10_km() -> None:
    assert format_km(1.04, "fr") == "1,0"
    assert format_km(1.2, "en") == "1.2"
    assert format_km(12.6, "fr") == "13"


def test_no_strftime_with_a_display_pattern_is_left_in_production_code() -> None:
    display = re.compile(r"strftime\(|:%[dHAaBbMp][^\"'}]*}|%d/%m|%H:%M|%Hh")
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for folder in ("bot", "handlers", "storage")
        for path in sorted((ROOT / folder).rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if display.search(line)
    ]
    assert found == []
