"""Inline keyboards that never change for a given language, built and serialised once.

PTB rebuilds and re-serialises a keyboard on every send; for the welcome menu (seven buttons on
every /start) that was most of the cost of answering. Keyboards are immutable in PTB, so one
instance per language is shared safely.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.texts import Texts

Rows = tuple[
    tuple[tuple[str, str], ...], ...
]  # rows of (catalogue key of the label, callback data)


class StaticKeyboard(InlineKeyboardMarkup):
    """An InlineKeyboardMarkup whose JSON form is computed once."""

    __slots__ = ("_as_dict",)
    _as_dict: dict[str, Any]

    def __init__(self, rows: list[list[InlineKeyboardButton]]) -> None:
        super().__init__(rows)
        object.__setattr__(self, "_as_dict", super().to_dict())  # frozen: bypass on purpose

    def to_dict(self, recursive: bool = True) -> dict[str, Any]:
        return dict(self._as_dict) if recursive else super().to_dict(recursive)


class KeyboardCache:
    """One StaticKeyboard per (catalogue, language, layout)."""

    def __init__(self) -> None:
        self._built: dict[tuple[int, str, Rows], StaticKeyboard] = {}

    def get(self, texts: Texts, language: str, rows: Rows) -> StaticKeyboard:
        key = (id(texts), language, rows)
        keyboard = self._built.get(key)
        if keyboard is None:
            keyboard = build(rows, lambda label_key: texts.get(language, label_key))
            self._built[key] = keyboard
        return keyboard


def build(rows: Rows, label: Callable[[str], str]) -> StaticKeyboard:
    """The keyboard of ``rows``, its labels given by ``label``."""
    return StaticKeyboard(
        [
            [InlineKeyboardButton(label(key), callback_data=data) for key, data in row]
            for row in rows
        ]
    )


KEYBOARDS = KeyboardCache()


def keyboard(rows: list[list[dict[str, str]]] | None) -> InlineKeyboardMarkup | None:
    """The inline keyboard of a card's buttons in their JSON form (as services build them and
    outbox payloads store them)."""
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(b["text"], url=b["url"])
                if "url" in b
                else InlineKeyboardButton(b["text"], callback_data=b["data"])
                for b in row
            ]
            for row in rows
        ]
    )
