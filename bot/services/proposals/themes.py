"""A typed theme, filed under one of the catalogue's themes, never as a new category.

Members may type their field rather than press a button (« mobilite », « insertion »,
« jeunes »): their words are matched to the labs' themes, titles and outcomes with the search's
folding and light stemming, one typo forgiven; nothing close enough means « Autre », which the
moderators can correct. A small home-made scorer: the catalogue has seventeen themes, a full-text
index for them would be heavier than these lines.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz.distance import Levenshtein

from bot.services.search.query import stem, words
from storage.folding import fold

_WORD = re.compile(r"[^\W_]+")
_TYPO_SIMILARITY = 0.75  # « numerik » meets « numerique » (one letter in eight)
# A match in the theme's own name weighs more than one in the lab's title, then its outcome.
_WEIGHTS = (3, 2, 1)


def closest_theme(typed: str, labs: Sequence[tuple[str, str, str]]) -> str | None:
    """The theme of (theme, lab title, lab outcome) that ``typed`` names best, or None."""
    typed_stems = [stem(word) for word in words(typed) if len(word) >= 3]
    best, best_score = None, 0
    for theme, title, outcome in labs:
        score = sum(
            weight * _hits(typed_stems, text)
            for weight, text in zip(_WEIGHTS, (theme, title, outcome), strict=True)
        )
        if score > best_score:
            best, best_score = theme, score
    return best


def _hits(typed_stems: Sequence[str], text: str) -> int:
    text_stems = {stem(word) for word in _WORD.findall(fold(text)) if len(word) >= 3}
    return sum(1 for typed in typed_stems if any(_meets(typed, word) for word in text_stems))


def _meets(typed: str, word: str) -> bool:
    prefix = word.startswith(typed) or (typed.startswith(word) and len(word) >= 5)
    if len(typed) >= 4 and prefix:
        return True
    return typed == word or (
        len(typed) >= 5 and Levenshtein.normalized_similarity(typed, word) >= _TYPO_SIMILARITY
    )
