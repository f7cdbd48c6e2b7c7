"""From what a member typed to safe search terms: words, accents off, French endings, typos.

Only ``[^\\W_]+`` words ever reach the database, folded and quoted by the repository, so quotes,
operators (AND, OR, NEAR, ``*``, ``-``), SQL or emoji in the input are just ignored characters.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

from rapidfuzz.distance import Levenshtein
from rapidfuzz.process import extractOne

from storage.folding import fold
from storage.repositories.search import Term

MAX_INPUT = 300  # characters read from a message (Telegram allows 4,096)
MAX_TERMS = 6  # words searched at most; the rest of a pasted paragraph adds nothing
_WORD = re.compile(r"[^\W_]+")
# A question mark, or a sentence opening the way French and English questions do (« quelle »,
# « y a-t-il », « what »…), as a whole word: « questionnaire » or « outils » are no questions.
# Spoken forms too: « c quoi », « c koi », « … c'est quoi », « kesako ».
_QUESTION = re.compile(
    r"\?|\bc(?:'?\s?est)?\s+(?:quoi|koi)\b|\bkesako\b|"
    r"^\s*(c'?est quoi|qu'?est|quand|combien|comment|où|ou|qui|quel\w*|pourquoi|y a|ya|"
    r"est-ce|peut-on|what|how|when|where|who|which|why|is there|are there|do|does|can)\b",
    re.I,
)

# Words that say nothing about what is searched (French and English), questions included.
_STOP_TEXT = """
    a à au aux avec c ca ça ce ces cet cette chez d dans de des du elle en est et il ils j je l la
    le les leur lieu lui m ma mais me mes moi mon n ne nos notre nous on ou où par pas pour qu que
    quel quelle quelles quels qui quoi s sa se ses si son sur t ta te tes toi ton tu un une vos
    votre vous y est-ce combien comment quand sont etait ete faire fait peux peut veux veut dire
    ont ai as avez avons avait avaient etaient sera seront va vais ya koi peuvent pouvez pouvons
    faut doit doivent
    the of and or not near to in on for what is are when how who an
    does do did was were there it its any can could i me my you your at about where which why
    many much
"""
STOP_WORDS = frozenset(fold(word) for word in _STOP_TEXT.split())


def words(text: str) -> list[str]:
    """The folded words of the input that may say what is searched (stop words left out)."""
    # Folded before it is cut into words, as the search index does (« ﬁlm », « l·l »).
    found = _WORD.findall(fold(text[:MAX_INPUT]))
    kept = [w for w in found if w not in STOP_WORDS and (len(w) > 1 or w.isdigit())]
    return list(dict.fromkeys(kept))[:MAX_TERMS]


def is_question(text: str) -> bool:
    """Whether ``text`` reads as a question (« c'est quoi une SCOP ? »)."""
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
    """The indexed words with their document counts: known words, variants, typos, weights."""

    MAX_VARIANTS = 12  # beyond, a prefix query is cheaper than that many words

    def __init__(self, counts: Mapping[str, int]) -> None:
        self._counts = dict(counts)
        self._sorted = sorted(self._counts)
        # What a typo may be corrected to: never a stop word nor a short word (« park » is not
        # « par »: that would search for nothing, confidently).
        self._targets = [w for w in self._sorted if len(w) >= 4 and w not in STOP_WORDS]

    def _starting_with(self, prefix: str) -> list[str]:
        i = bisect.bisect_left(self._sorted, prefix)
        j = bisect.bisect_left(self._sorted, prefix + "\U0010ffff")
        return self._sorted[i:j]

    def knows(self, term: Term) -> bool:
        if term.prefix:
            return bool(self._starting_with(term.word)[:1])
        return term.word in self._counts

    def expand(self, term: Term) -> Term:
        """The term with the indexed words it stands for, when they are few."""
        if not term.prefix:
            return term
        found = self._starting_with(term.word)
        if not found or len(found) > self.MAX_VARIANTS:
            return term  # unknown yet (added since the last load) or too common: use the prefix
        return Term(term.word, prefix=True, variants=tuple(found))

    def weight(self, term: Term) -> float:
        """Rare words weigh more (an inverse document frequency)."""
        words = term.variants or ((term.word,) if term.word in self._counts else ())
        # A word the catalogue does not know weighs most: it is what the query is about, and
        # no answer holds it (« la GPEC territoriale ? » is not a question about « territorial »).
        count = max((self._counts[w] for w in words), default=0)
        return 1.0 / math.log(2.0 + count)

    def correct(self, word: str) -> str | None:
        """The closest indexed word, one typo away (two for long words), if any."""
        if len(word) < 4 or word.isdigit():
            return None
        budget = 1 if len(word) < 8 else 2
        match = extractOne(word, self._targets, scorer=Levenshtein.distance, score_cutoff=budget)
        return None if match is None else str(match[0])

    def split(self, word: str) -> list[str] | None:
        """Two indexed words run together (« innovdeizh » → « innov », « deizh »), if any."""
        for at in range(3, len(word) - 2):
            if word[:at] in self._counts and word[at:] in self._counts:
                return [word[:at], word[at:]]
        return None

    def corrected(self, query_words: Sequence[str]) -> list[str] | None:
        """The words with unknown ones replaced by their correction (a typo, a missing space);
        None when nothing changed."""
        result: list[str] = []
        changed = False
        for word, term in zip(query_words, to_terms(query_words), strict=True):
            if self.knows(term):
                result.append(word)
                continue
            fixed = self.correct(word)
            parts = [fixed] if fixed is not None else self.split(word)
            changed = changed or parts is not None
            result.extend(parts or [word])
        return result if changed else None


@lru_cache(maxsize=16384)
def title_words(title: str) -> frozenset[str]:
    """The folded words of a title (cached: the same titles come back search after search)."""
    return frozenset(_WORD.findall(fold(title)))


def matches(term: Term, words_of_title: frozenset[str]) -> bool:
    """Whether the title's words contain ``term`` (a variant, a prefix or the word)."""
    if term.variants:
        return not words_of_title.isdisjoint(term.variants)
    if term.prefix:
        return any(w.startswith(term.word) for w in words_of_title)
    return term.word in words_of_title


def asked(term: Term, stems: frozenset[str]) -> bool:
    """Whether a way of asking holds ``term``: the same stem, or one a little longer (« débattre »
    for « debat »), never a short word inside a long one (« car » is not « carte »)."""
    word = term.word
    if word in stems:
        return True
    return len(word) >= 4 and any(s.startswith(word) and len(s) - len(word) <= 2 for s in stems)


def stems_of(text: str) -> frozenset[str]:
    """The stems of a text's words (an FAQ entry's ways of asking)."""
    return frozenset(stem(w) for w in title_words(text))
