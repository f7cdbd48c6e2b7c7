"""From what a member typed to safe search terms: words, accents off, French endings, typos.

Only ``[^\\W_]+`` words ever reach the database, folded and quoted by the repository, so quotes,
operators (AND, OR, NEAR, ``*``, ``-``), SQL or emoji in the input are just ignored characters.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Sequence

from rapidfuzz.distance import Levenshtein
from rapidfuzz.process import extractOne

from storage.repositories.search import Term

MAX_INPUT = 300  # characters read from a message (Telegram allows 4,096)
MAX_TERMS = 6  # words searched at most; the rest of a pasted paragraph adds nothing
_WORD = re.compile(r"[^\W_]+")
_QUESTION = re.compile(r"\?|^\s*(c'?est quoi|qu'?est|quand|combien|comment|où|ou|qui|quel)", re.I)

# Words that say nothing about what is searched (French and English), questions included.
_STOP_TEXT = """
    a à au aux avec c ca ça ce ces cet cette chez d dans de des du elle en est et il ils j je l la
    le les leur lieu lui m ma mais me mes moi mon n ne nos notre nous on ou où par pas pour qu que
    quel quelle quelles quels qui quoi s sa se ses si son sur t ta te tes toi ton tu un une vos
    votre vous y est-ce combien comment quand sont etait ete faire fait peux peut veux veut dire
    the of and or not near to in on for what is are when how who an
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())


def fold(text: str) -> str:
    """Lower case without accents (« Économie » → « economie », « cœur » → « coeur »)."""
    text = text.casefold().replace("œ", "oe").replace("æ", "ae")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The folded words of the input that may say what is searched (stop words left out)."""
    found = [fold(w) for w in _WORD.findall(text[:MAX_INPUT])]
    kept = [w for w in found if w not in STOP_WORDS and (len(w) > 1 or w.isdigit())]
    return list(dict.fromkeys(kept))[:MAX_TERMS]


def is_question(text: str) -> bool:
    return bool(_QUESTION.search(text[:MAX_INPUT]))


def stem(word: str) -> str:
    """A light French stem, searched as a prefix: plurals and feminines meet their singular.

    « recycleries » → « recyclerie », « locales »/« locaux » → « loca », « sociale » → « social ».
    """
    if word.isdigit() or len(word) <= 3:
        return word
    if word.endswith("aux") and len(word) > 4:
        return word[:-2]
    if word[-1] in "sx":
        word = word[:-1]
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def to_terms(query_words: Sequence[str]) -> list[Term]:
    """Prefix terms for words of three letters or more; exact ones for short words and numbers."""
    return [Term(stem(w), prefix=len(w) >= 3 and not w.isdigit()) for w in query_words]


class Vocabulary:
    """The indexed words, to tell known words from typos and to correct them."""

    def __init__(self, vocabulary: Sequence[str]) -> None:
        self._sorted = sorted(set(vocabulary))

    def knows(self, term: Term) -> bool:
        i = bisect.bisect_left(self._sorted, term.word)
        if i == len(self._sorted):
            return False
        found = self._sorted[i]
        return found.startswith(term.word) if term.prefix else found == term.word

    def correct(self, word: str) -> str | None:
        """The closest indexed word, one typo away (two for long words), if any."""
        if len(word) < 4 or word.isdigit():
            return None
        budget = 1 if len(word) < 8 else 2
        match = extractOne(word, self._sorted, scorer=Levenshtein.distance, score_cutoff=budget)
        return None if match is None else str(match[0])

    def corrected(self, query_words: Sequence[str]) -> list[str] | None:
        """The words with unknown ones replaced by their correction; None when nothing changed."""
        result, changed = [], False
        for word, term in zip(query_words, to_terms(query_words), strict=True):
            fixed = None if self.knows(term) else self.correct(word)
            changed = changed or fixed is not None
            result.append(fixed or word)
        return result if changed else None
