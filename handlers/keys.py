"""The callback_data of every button: ``<feature>:<action>[:<field>…]``, 64 bytes at most.

Each feature declares its buttons once, as ``Key``s in its keys module (handlers/<feature>/keys.py
or a ``KEYS`` block in handlers/<feature>.py): the same ``Key`` builds the data put on a button
and gives the ``pattern`` of the ``CallbackQueryHandler`` that answers it, so the two cannot drift
apart. Fields are ids, never titles (they may be long or accented: Telegram counts bytes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from telegram import InlineKeyboardButton

DATA_LIMIT = 64  # bytes (Bot API)
ID = r"[0-9]{1,12}"
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
        object.__setattr__(self, "pattern", re.compile("^" + ":".join(parts) + "$"))

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


def any_of(feature: str) -> re.Pattern[str]:
    """Every button of ``feature``: the pattern of its handler for buttons that are over."""
    return re.compile(f"^{re.escape(feature)}:")
