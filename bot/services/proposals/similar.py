"""Look-alike innovations, so a member can see « c'est la même ? » before sending."""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz, utils

from bot.services.proposals.views import Similar
from storage.models import Proposal

NAME_THRESHOLD = 85.0
DESCRIPTION_THRESHOLD = 80.0
MAX_SHOWN = 3


def find_similar(
    row: Proposal, innovations: Sequence[tuple[int, str, str, str]]
) -> tuple[Similar, ...]:
    """Innovations whose title or summary is close to the proposal's, best first."""
    found: list[Similar] = []
    for innovation_id, title, summary, commune in innovations:
        by_name = fuzz.token_sort_ratio(row.name, title, processor=utils.default_process)
        by_text = 0.0
        if row.description and summary:
            by_text = fuzz.token_set_ratio(
                row.description, summary, processor=utils.default_process
            )
        if by_name >= NAME_THRESHOLD or by_text >= DESCRIPTION_THRESHOLD:
            found.append(Similar(innovation_id, title, commune, max(by_name, by_text)))
    found.sort(key=lambda s: -s.score)
    return tuple(found[:MAX_SHOWN])
