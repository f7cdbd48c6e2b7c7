"""callback_data of browsing and search buttons: ``cat:<action>:<ids>``, ids only, ≤ 64 bytes."""

from __future__ import annotations

import re

from telegram import InlineKeyboardButton

from bot.services.events.messages import button_data as event_button_data

PATTERN = r"^cat:[a-z]{1,6}(:[0-9a-z]{1,12}){0,2}$"
_PARSE = re.compile(PATTERN)
# Search result kinds -> the action opening their card (events: the events feature's card).
CARD_ACTIONS = {"lab": "lab", "innovation": "inno", "faq": "faq"}
LABEL_LIMIT = 60  # characters of a title on a button (Telegram cuts long labels anyway)


def data(action: str, *ids: int | str) -> str:
    """The callback_data of an action on ids (titles never go in: they may be long or accented)."""
    value = ":".join(["cat", action, *(str(i) for i in ids)])
    if len(value.encode()) > 64 or not _PARSE.match(value):
        raise ValueError(f"bad callback data {value!r}")
    return value


def parse(value: str) -> tuple[str, list[str]]:
    """(action, ids) of a callback_data matched by PATTERN."""
    _, action, *ids = value.split(":")
    return action, ids


def button(label: str, action: str, *ids: int | str) -> InlineKeyboardButton:
    return labelled(label, data(action, *ids))


def card_button(label: str, kind: str, ref_id: int) -> InlineKeyboardButton:
    """The button opening a search hit's card; an event opens the events feature's card."""
    if kind == "event":
        return labelled(label, event_button_data("card", ref_id))
    return button(label, CARD_ACTIONS[kind], ref_id)


def labelled(label: str, callback_data: str) -> InlineKeyboardButton:
    if len(label) > LABEL_LIMIT:
        label = label[: LABEL_LIMIT - 1].rstrip() + "…"
    return InlineKeyboardButton(label, callback_data=callback_data)


def number(value: str, default: int = 0) -> int:
    """A page or id from callback data (forged data falls back to ``default``)."""
    return int(value) if value.isdigit() and len(value) <= 12 else default
