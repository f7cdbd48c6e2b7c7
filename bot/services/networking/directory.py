"""The directory's forgiving search, over visible fields only, in memory.

It reuses the catalogue search's pieces (bot/services/search/query.py): the same folding, stop
words, light French stems, prefixes and one-typo corrections; every word must match, and when
none does, unknown words are corrected to the closest word of the visible profiles. Profiles are
never put in the public search index: the directory reads visible cards only, so what a member
hid is not even in the words searched. A community directory holds hundreds or a few thousand
profiles; reading them all per search is cheaper than a second index to keep private.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from bot.services.networking.views import Card
from bot.services.search.query import Vocabulary, matches, title_words, to_terms, words
from storage.folding import fold

THEME_WEIGHT = 3  # a word of a theme or a lab counts three times one found elsewhere


def rank(cards: Sequence[Card], query: str) -> tuple[list[Card], list[str], str | None]:
    """(matching cards best first, the words searched, the corrected words if typos were fixed).

    An empty query lists every card, by name.
    """
    searched = words(query)
    by_name = sorted(cards, key=lambda c: (fold(c.name) or "~", c.member_id))
    if not searched:
        return by_name, [], None
    found = _matching(by_name, searched)
    if found:
        return found, searched, None
    counts = Counter(w for c in cards for w in title_words(c.search_text()))
    corrected = Vocabulary(counts).corrected(searched)
    if corrected is None:
        return [], searched, None
    return _matching(by_name, corrected), corrected, " ".join(corrected)


def _matching(cards: Sequence[Card], searched: Sequence[str]) -> list[Card]:
    terms = to_terms(searched)
    scored = []
    for order, card in enumerate(cards):
        everything = title_words(card.search_text())
        if not all(matches(term, everything) for term in terms):
            continue
        tagged = title_words(" ".join([*card.themes, *card.labs]))
        score = sum(THEME_WEIGHT if matches(term, tagged) else 1 for term in terms)
        scored.append((-score, order, card))
    return [card for *_, card in sorted(scored, key=lambda s: (s[0], s[1]))]
