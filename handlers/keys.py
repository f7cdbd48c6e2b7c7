"""The callback_data of every button: ``<feature>:<action>[:<field>…]``, 64 bytes at most.

Each feature declares its buttons once, as ``Key``s in its keys module (handlers/<feature>/keys.py
or a ``KEYS`` block in handlers/<feature>.py): the same ``Key`` builds the data put on a button
and gives the ``pattern`` of the ``CallbackQueryHandler`` that answers it, so the two cannot drift
apart. Fields are ids, never titles (they may be long or accented: Telegram counts bytes).

Ids come from members (a button's data, a command's argument, a deep link), so they are read by
one parser: ASCII digits only (« ² » and « ① » are ``isdigit()`` but not ids) and within the
range of the id columns (``Integer``: 2,147,483,647 on PostgreSQL, and SQLite's int64 overflows
past 2**63), so a hostile id is "not found", never an exception. ``ID`` is the same rule as a
regular expression, so a button with a huge id matches no pattern and ends in the stale fallback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from telegram import InlineKeyboardButton

DATA_LIMIT = 64  # bytes (Bot API)
MAX_ID = 2**31 - 1  # every id column is an Integer (tests/test_hostile_regressions.py checks)


def _up_to(limit: int) -> str:
    """A regular expression of the decimal numbers 0..limit, ASCII digits, no leading zero."""
    digits = str(limit)
    shorter = f"[1-9][0-9]{{0,{len(digits) - 2}}}|0" if len(digits) > 1 else ""
    same_length = []
    for i, digit in enumerate(digits):
        rest = len(digits) - i - 1
        low = "1" if i == 0 else "0"
        if digit > low:
            top = chr(ord(digit) - 1)
            span = low if low == top else f"[{low}-{top}]"
            same_length.append(f"{digits[:i]}{span}[0-9]{{{rest}}}")
    same_length.append(digits)
    return "(?:" + "|".join(filter(None, [shorter, *same_length])) + ")"


NO_SUCH_ID = 0  # what a number too large to be an id reads as
ID = _up_to(MAX_ID)
_ID = re.compile(ID)
NUMBER = r"-?[0-9]{1,6}"  # a small argument: an index, a page, a yes/no


@dataclass(frozen=True)
class Key:
    """One button action of one feature, with the fields (regular expressions) that follow."""

    feature: str
    action: str
    fields: tuple[str, ...] = ()
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        parts = [re.escape(self.feature), re.escape(self.action)]
        parts.extend(f"({regex})" for regex in self.fields)
        object.__setattr__(self, "pattern", re.compile("^" + ":".join(parts) + r"\Z"))

    def data(self, *values: int | str) -> str:
        """The callback_data for these field values (a bad value is a bug: ValueError)."""
        data = ":".join([self.feature, self.action, *(str(value) for value in values)])
        if len(data.encode()) > DATA_LIMIT or not self.pattern.match(data):
            raise ValueError(f"bad callback data {data!r} for {self}")
        return data

    def parse(self, data: str | None) -> tuple[str, ...] | None:
        """The field values of data this key built, or None for anything else."""
        match = self.pattern.match(data or "")
        return None if match is None else match.groups()

    def values(self, data: str | None) -> tuple[str, ...]:
        """The field values of a press routed here by this key's pattern."""
        values = self.parse(data)
        if values is None:
            raise ValueError(f"{data!r} is not a {self} button: routed by another pattern")
        return values

    def button(self, label: str, *values: int | str) -> InlineKeyboardButton:
        return InlineKeyboardButton(label, callback_data=self.data(*values))


def parse_id(text: str | None) -> int | None:
    """The id a member typed or a link carried; None when it is not a number (ASCII digits).

    A number beyond the id columns' range is NO_SUCH_ID, which no row has (ids start at 1): the
    caller looks it up like any other and answers « introuvable »."""
    text = (text or "").strip()
    if not text or not text.isascii() or not text.isdigit():
        return None
    text = text.lstrip("0") or "0"  # "007" is 7
    return int(text) if len(text) <= len(str(MAX_ID)) and _ID.fullmatch(text) else NO_SUCH_ID


def any_of(feature: str) -> re.Pattern[str]:
    """Every button of ``feature``: the pattern of its handler for buttons that are over."""
    return re.compile(f"^{re.escape(feature)}:")
