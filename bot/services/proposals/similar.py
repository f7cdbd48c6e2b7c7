"""Look-alike innovations, so a member can see « c'est la même ? » before sending.

:func:`name_score` is also how an open-data import recognises an item it already has
(bot/services/open_data/matching.py): one measure of « the same name » for both.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz, utils

from bot.services.proposals.views import Similar
from storage.folding import fold
from storage.models import Proposal

NAME_THRESHOLD = 85.0
DESCRIPTION_THRESHOLD = 80.0
MAX_SHOWN = 3


def name_key(name: str) -> str:
    """A name as compared: lower case, without accents or punctuation."""
    return utils.default_process(fold(name))


def name_score(a: str, b: str) -> float:
    """0-100: how alike two names are, ignoring case, accents, punctuation and word order."""
    return fuzz.token_sort_ratio(name_key(a), name_key(b))


def find_similar(
    row: Proposal, innovations: Sequence[tuple[int, str, str, str]]
) -> tuple[Similar, ...]:
    """Innovations whose title or summary is close to the proposal's, best first."""
    found: list[Similar] = []
    for innovation_id, title, summary, commune in innovations:
        by_name = name_score(row.name, title)
        by_text = 0.0
        if row.description and summary:
            by_text = fuzz.token_set_ratio(
                row.description, summary, processor=utils.default_process
            )
        if by_name >= NAME_THRESHOLD or by_text >= DESCRIPTION_THRESHOLD:
            found.append(Similar(innovation_id, title, commune, max(by_name, by_text)))
    found.sort(key=lambda s: -s.score)
    return tuple(found[:MAX_SHOWN])
