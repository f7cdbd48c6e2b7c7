"""callback_data of the search result pages: ``search:<words|saved>:<words or id>:<page>``.

Short plain-ASCII searches travel in the button itself (``atelier.velo``); longer ones are saved
and the button carries the saved search's id (only its owner can page through it).
"""

from __future__ import annotations

import re

from telegram import InlineKeyboardButton

from bot.services.events.messages import button_data as event_button_data
from handlers.catalogue import keys as catalogue_keys
from handlers.keys import ID, Key

FEATURE = "search"
PAGE = r"[0-9]{1,3}"
COMPACT_WORDS = r"[a-z0-9.]{1,44}"  # the longest that fits: 61 bytes with the page
WORDS = Key(FEATURE, "words", (COMPACT_WORDS, PAGE))
SAVED = Key(FEATURE, "saved", (ID, PAGE))
FAQ = Key(FEATURE, "faq", (ID,))  # a result that is an FAQ entry: its answer
FAQS = Key(FEATURE, "faqs")  # « Questions fréquentes »: every question as a button
_COMPACT = re.compile(f"^{COMPACT_WORDS}$")

# Which pages: (WORDS, "atelier.velo") or (SAVED, "<saved search id>").
Pages = tuple[Key, str]


def compact(words: list[str]) -> Pages | None:
    """The searched words as a button's field, when they fit."""
    joined = ".".join(words)
    return (WORDS, joined) if _COMPACT.match(joined) else None


def page_data(pages: Pages, page: int) -> str:
    """The callback data of page ``page`` of ``pages``."""
    key, value = pages
    return key.data(value, page)


def hit_button(label: str, kind: str, ref_id: int) -> InlineKeyboardButton:
    """The button of a search hit: a lab's or an innovation's card, an event's card (the events
    feature's), or an FAQ entry's answer."""
    if kind == "event":
        data = event_button_data("card", ref_id)
    elif kind == "faq":
        data = FAQ.data(ref_id)
    else:
        key = catalogue_keys.LAB if kind == "lab" else catalogue_keys.INNOVATION
        data = key.data(ref_id)
    return InlineKeyboardButton(catalogue_keys.shortened(label), callback_data=data)
