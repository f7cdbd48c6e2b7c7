"""Search labs, innovations, events and FAQ entries together, forgivingly, ranked.

Decisions: all words must match (« monnaie locale »); when nothing does, unknown words are
corrected to the closest indexed word (one typo, two for long words), then any word may match.
Questions (« c'est quoi… ? ») lift FAQ entries. The work is bounded: at most ``cap`` matches are
ranked, the newest ones, so a common word costs the same at 1k or 100k innovations.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.services.search_query import Vocabulary, fold, is_question, to_terms, words
from storage.db import Sessions
from storage.models import SavedSearch
from storage.repositories.search import Candidate, SearchRepository
from storage.repositories.search_index import KINDS

FAQ_BOOST = 1.5  # a question that has an FAQ entry gets that entry first


@dataclass(frozen=True)
class Hit:
    kind: str  # "lab", "innovation", "event" or "faq"
    ref_id: int
    title: str


@dataclass(frozen=True)
class SearchResult:
    hits: tuple[Hit, ...]  # the asked page
    total: int  # matches ranked (at most the cap)
    page: int
    pages: int
    corrected: str | None = None  # the words actually searched, when typos were corrected
    question: bool = False

    @property
    def top(self) -> Hit | None:
        return self.hits[0] if self.hits and self.page == 0 else None


class SearchService:
    def __init__(
        self,
        sessions: Sessions,
        *,
        cap: int = 200,
        vocabulary_seconds: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sessions, self._cap = sessions, cap
        self._vocabulary: Vocabulary | None = None
        self._vocabulary_at = 0.0
        self._vocabulary_seconds, self._clock = vocabulary_seconds, clock

    async def search(
        self, text: str, *, page: int = 0, per_page: int = 5, faq: bool = True
    ) -> SearchResult:
        """One page of ranked results for what the member typed (never raises on odd input)."""
        query_words = words(text)
        question = faq and is_question(text)
        async with self._sessions() as session:
            repo = SearchRepository(session)
            found, corrected = await self._match(repo, query_words, faq=faq)
            boost = FAQ_BOOST if question else 1.0
            ranked = sorted(
                found,
                key=lambda c: (-(c.score * (boost if c.doc_id % 4 == 3 else 1.0)), -c.doc_id),
            )
            pages = max(1, -(-len(ranked) // per_page))
            page = min(max(page, 0), pages - 1)
            chosen = [c.doc_id for c in ranked[page * per_page : (page + 1) * per_page]]
            titles = await repo.titles(chosen)
        hits = tuple(
            Hit(KINDS[doc_id % 4], doc_id // 4, titles[doc_id])
            for doc_id in chosen
            if doc_id in titles
        )
        return SearchResult(hits, len(ranked), page, pages, corrected, question)

    async def _match(
        self, repo: SearchRepository, query_words: list[str], *, faq: bool
    ) -> tuple[list[Candidate], str | None]:
        if not query_words:
            return [], None

        async def find(query: list[str], any_term: bool = False) -> list[Candidate]:
            terms = to_terms(query)
            return await repo.candidates(terms, any_term=any_term, cap=self._cap, faq=faq)

        found = await find(query_words)
        if found:
            return found, None
        fixed = (await self._vocabulary_of(repo)).corrected(query_words)
        searched = fixed or query_words
        if fixed:
            found = await find(fixed)
        if not found and len(searched) > 1:
            found = await find(searched, any_term=True)
        return found, (" ".join(fixed) if fixed and found else None)

    async def _vocabulary_of(self, repo: SearchRepository) -> Vocabulary:
        now = self._clock()
        if self._vocabulary is None or now - self._vocabulary_at > self._vocabulary_seconds:
            self._vocabulary = Vocabulary(await repo.vocabulary())
            self._vocabulary_at = now
        return self._vocabulary

    async def warm(self) -> None:
        """Load the vocabulary now rather than on the first misspelt search."""
        async with self._sessions() as session:
            await self._vocabulary_of(SearchRepository(session))

    async def suggestions(self, text: str, limit: int = 3) -> list[str]:
        """Titles or themes close to a search that found nothing."""
        wanted = fold(" ".join(words(text)) or text[:100])
        async with self._sessions() as session:
            pool = await SearchRepository(session).suggestion_pool()
        folded = {fold(p): p for p in pool}
        found = process.extract(
            wanted, list(folded), scorer=fuzz.WRatio, limit=limit, score_cutoff=60
        )
        return [folded[match] for match, _score, _index in found]

    async def save(self, member_id: int, text: str) -> int:
        """Remember a search with several pages; its "more" button carries only the id."""
        async with self._sessions.begin() as session:
            saved = SavedSearch(member_id=member_id, query=text[:300])
            session.add(saved)
            await session.flush()
            return saved.id

    async def saved(self, search_id: int, member_id: int) -> str | None:
        """The text of a member's own saved search (another member's id gives nothing)."""
        async with self._sessions() as session:
            saved = await session.get(SavedSearch, search_id)
        return saved.query if saved is not None and saved.member_id == member_id else None
