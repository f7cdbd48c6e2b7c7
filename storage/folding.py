"""Accent folding, defined once: Python calls :func:`fold`, the search index's SQL derives from it.

It lives in ``storage`` because that is the lowest layer every user can import: the search index
(``storage.repositories.search_index``) builds its SQLite and PostgreSQL folding from the tables
below, while search and the commune directory (``bot.services``) fold what members type with
:func:`fold`. Storage never imports ``bot``, so the function could not live any higher.
"""

from __future__ import annotations

import unicodedata

# Letters Unicode does not split into a base letter and a mark, that a French reader still
# reads as a ligature or an accented letter (« œ » of « cœur », « ø » of « Ørsted »).
_SPELLED_OUT = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d"})
# Where the SQL folding gives the same result as fold(): Latin-1, Latin Extended-A and Latin
# Extended Additional (every letter of French, Breton, Welsh, Vietnamese and most European
# names) and the typographic ligatures « ﬁ », « ﬂ »… of text pasted from a PDF. The search
# index test checks each one on both databases.
SQL_CHARACTERS = tuple(
    map(chr, [*range(0xC0, 0x180), *range(0x1E00, 0x1F00), *range(0xFB00, 0xFB07)])
)


def _decomposed(text: str) -> str:
    text = text.translate(_SPELLED_OUT)
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


# The accented letters already folded: most French text is ASCII after this table and skips
# the decomposition of every character.
_LATIN = str.maketrans(
    {c: _decomposed(c) for c in SQL_CHARACTERS if c.casefold() == c and _decomposed(c) != c}
)


def fold(text: str) -> str:
    """Lower case without accents or ligatures (« Œuvre » → « oeuvre », « ÇA » → « ca »)."""
    text = text.casefold().translate(_LATIN)
    if text.isascii():
        return text  # the common case, without decomposing every character
    return _decomposed(text)


def spelled_out() -> dict[str, str]:
    """The letters of ``SQL_CHARACTERS`` that lowering the case and removing the marks does not
    fold as :func:`fold` does (« œ », « ß », « ł », « ﬁ »…), with their folded form: the SQL
    folding replaces them first (SQLite's tokenizer and PostgreSQL's ``normalize`` do the rest).
    """
    return {c: fold(c) for c in SQL_CHARACTERS if _unmarked(c) != fold(c)}


def _unmarked(character: str) -> str:
    decomposed = unicodedata.normalize("NFD", character.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
