"""The fields of a profile: which may be hidden, how long each may be, how text is cleaned."""

from __future__ import annotations

import re

from storage.folding import fold

# Fields in the order of the card and of the editor.
TEXT_FIELDS = ("name", "structure", "commune", "offer", "seek")
FIELDS = ("name", "structure", "commune", "labs", "themes", "offer", "seek", "languages")
HIDEABLE = frozenset(FIELDS)  # every field a card shows may be hidden; "contact" is not shown
EDITABLE = (*FIELDS, "contact")
LIMITS = {"name": 60, "structure": 120, "commune": 100, "offer": 200, "seek": 200}
LANGUAGES = ("fr", "br", "en")
CONTACTS = ("username", "relay", "closed")  # share my @username / only through the bot / no
NOTE_LIMIT = 200

_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_PUNCTUATION = re.compile(r"[^\w]+")


def one_line(text: str, limit: int) -> str:
    """Typed text as one clean line: no control characters, spaces collapsed, at most ``limit``."""
    text = _SPACES.sub(" ", _CONTROL.sub(" ", text or "")).strip()
    return text[:limit].rstrip()


def structure_key(structure: str) -> str:
    """A structure's name folded for comparison: « SCOP « Les Champs » » = « scop les champs »."""
    return _SPACES.sub(" ", _PUNCTUATION.sub(" ", fold(structure))).strip()[:150]


def hidden_set(stored: str) -> frozenset[str]:
    """The hidden fields of a stored profile (unknown names ignored)."""
    return frozenset(stored.split()) & HIDEABLE


def languages_of(stored: str) -> tuple[str, ...]:
    """The languages of a stored profile, in the order fr, br, en."""
    chosen = set(stored.split())
    return tuple(code for code in LANGUAGES if code in chosen)
