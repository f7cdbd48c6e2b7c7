"""callback_data of networking buttons: ``networking:<action>[:<field>…]``, ids only.

The buttons of messages that go through the outbox (a request, « vous êtes en relation », a
relayed message) are built by bot/services/networking/messages.py with the same data; a test
checks that each of them matches a key here.
"""

from __future__ import annotations

import re

from handlers.keys import ID, NUMBER, Key

FEATURE = "networking"
FIELD = r"[a-z]{2,12}"
WORDS = r"[a-z0-9.]{0,44}"  # the folded words searched, joined by dots (as search's pages)
_WORDS = re.compile(f"^{WORDS}$")

# The profile editor (/profil).
EDIT = Key(FEATURE, "edit")  # the editor's main screen
FIELD_SCREEN = Key(FEATURE, "field", (FIELD,))  # one field: its value, change, hide/show
ASK = Key(FEATURE, "ask", (FIELD,))  # type a new value (opens the dialogue)
HIDE = Key(FEATURE, "hide", (FIELD,))  # hide or show a field
CLEAR = Key(FEATURE, "clear", (FIELD,))  # empty a text field
VISIBLE = Key(FEATURE, "visible", ("[01]",))
LAB = Key(FEATURE, "lab", (ID,))
THEME = Key(FEATURE, "theme", (NUMBER,))  # the catalogue's theme number n
LANGUAGE = Key(FEATURE, "lang", ("fr|br|en",))
CONTACT = Key(FEATURE, "contact", ("username|relay|closed",))
COMMUNE = Key(FEATURE, "commune", (ID,))  # a suggested commune, by its number in the table
DONE = Key(FEATURE, "done")

# The directory (/annuaire).
PAGE = Key(FEATURE, "dir", (NUMBER, WORDS))  # results page n of these words
CARD = Key(FEATURE, "card", (ID,))  # a member's card (their Telegram id)

# Introductions: from a card, then the buttons of the messages the outbox sends.
PROPOSE = Key(FEATURE, "propose", (ID,))  # « Proposer une mise en relation » (opens the dialogue)
WITHOUT_NOTE = Key(FEATURE, "nonote")  # send the request without a note
BACK = Key(FEATURE, "back")  # leave the dialogue (note, message to relay, typed field)
ACCEPT = Key(FEATURE, "accept", (ID,))  # introduction id
DECLINE = Key(FEATURE, "decline", (ID,))
BLOCK = Key(FEATURE, "block", (ID,))
REPORT = Key(FEATURE, "report", (ID,))
WRITE = Key(FEATURE, "write", (ID,))  # write through the bot (opens the dialogue)
SHARE = Key(FEATURE, "share", (ID,))  # give my @username to the other

OUTBOX_KEYS = (ACCEPT, DECLINE, BLOCK, REPORT, WRITE, SHARE)


def words_field(words: list[str] | tuple[str, ...]) -> str:
    """The searched words as a page button's field: as many as fit, in order."""
    kept: list[str] = []
    for word in words:
        candidate = ".".join([*kept, word])
        if _WORDS.match(candidate):
            kept.append(word)
    return ".".join(kept)
