"""Search labs, innovations, events and FAQ entries together, forgivingly, ranked.

Decisions: all words must match (« monnaie locale »); when nothing does, unknown words are
corrected to the closest indexed word (one typo, two for long words), then any word may match
(a partial match). Questions (« c'est quoi… ? ») lift FAQ entries. An FAQ entry's title, for
ranking, is every way of asking it (its question and phrasings, not its answer), and it answers
straight away only when those hold most of the query's weight (``ANSWER_SHARE``): a word found
in an answer's text (« personne » in the SCOP definition) never makes that answer the reply.
The work is bounded: the index hands over at most ``cap`` matches (the newest), unranked, in
one query; they are ranked here by rare words found in the title, so a common word costs about
the same at 1k or 100k innovations. On SQLite that read goes through a read-only sqlite3
connection (see storage/repositories/search_direct.py). The indexed vocabulary (and the FAQ's
ways of asking) is cached for a minute: a word added since is still found (as a prefix), only
its typos wait for the next refresh.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from rapidfuzz import fuzz, process
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.services.search.query import (
    Vocabulary,
    asked,
    is_question,
    matches,
    stems_of,
    title_words,
    to_terms,
    words,
)
from storage.db import Sessions
from storage.folding import fold
from storage.models import SavedSearch
from storage.repositories import search_index
from storage.repositories.search import Candidate, SearchRepository, Term
from storage.repositories.search_direct import DirectSqliteReader
from storage.repositories.search_index import KINDS

FAQ_BOOST = 1.5  # a question that has an FAQ entry gets that entry first
TITLE_WEIGHT = 4.0  # a word found in the title counts four times one found in the text
ANSWER_SHARE = 0.5  # an FAQ entry answers when its ways of asking hold this share of the weight
# ... and all of it when words were corrected: a guess (« site » → « suite ») is no intent.
UNASKED = 0.5  # an FAQ entry found only in its answer's text is less about the query
FAQ_CODE = 3  # kind code of FAQ documents (search_index.KINDS)


class Reader(Protocol):
    """SearchRepository (a session) or DirectSqliteReader (SQLite's hot path)."""

    async def candidates(
        self, terms: Sequence[Term], *, any_term: bool, cap: int, faq: bool = True
    ) -> list[Candidate]: ...

    async def vocabulary(self) -> dict[str, int]: ...

    async def faq_asks(self) -> dict[int, str]: ...


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
    capped: bool = False  # there may be more matches than ``total``
    answers: bool = False  # the top hit is an FAQ entry asked that way: its answer is the reply
    partial: bool = False  # no document has all the words: these have some of them
    loose: bool = False  # the best hit holds the words only in its text, none in its title

    @property
    def top(self) -> Hit | None:
        return self.hits[0] if self.hits and self.page == 0 else None


class SearchService:
    def __init__(
        self,
        sessions: Sessions,
        *,
        cap: int = 60,
        vocabulary_seconds: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sessions, self._cap = sessions, cap
        self._vocabulary: Vocabulary | None = None
        self._asks: dict[int, frozenset[str]] = {}  # FAQ id -> words of its ways of asking
        self._asked_stems: dict[int, frozenset[str]] = {}  # FAQ id -> their stems
        self._vocabulary_at = 0.0
        self._clock = clock
        bind = sessions.kw.get("bind")
        database = bind.url.database if isinstance(bind, AsyncEngine) else None
        sqlite_file = isinstance(bind, AsyncEngine) and bind.dialect.name == "sqlite"
        self._direct = (
            DirectSqliteReader(database)
            if sqlite_file and database and database != ":memory:"
            else None
        )
        # PostgreSQL's vocabulary (ts_stat) reads the whole index: refresh it less often; it
        # only serves typo corrections and weights there, new words are found as prefixes.
        default_seconds = 60.0 if sqlite_file else 900.0
        self._vocabulary_seconds = vocabulary_seconds or default_seconds

    async def search(
        self, text: str, *, page: int = 0, per_page: int = 5, faq: bool = True
    ) -> SearchResult:
        """One page of ranked results for what the member typed (never raises on odd input)."""
        query_words = words(text)
        question = faq and is_question(text)
        if self._direct is not None:
            reader: Reader = self._direct
            vocabulary = await self._vocabulary_of(reader)
            found, terms, corrected, partial = await self._match(
                reader, vocabulary, query_words, faq=faq
            )
        else:
            async with self._sessions() as session:
                reader = SearchRepository(session)
                vocabulary = await self._vocabulary_of(reader)
                found, terms, corrected, partial = await self._match(
                    reader, vocabulary, query_words, faq=faq
                )
        weights = [vocabulary.weight(term) for term in terms]

        def titled(candidate: Candidate) -> frozenset[str]:
            """The title's words; an FAQ entry's are those of every way of asking it."""
            if candidate.doc_id % 4 == FAQ_CODE:
                asked = self._asks.get(candidate.doc_id // 4)
                if asked is not None:
                    return asked
            return title_words(candidate.title)

        def score(candidate: Candidate) -> tuple[float, int]:
            in_title = titled(candidate)
            found_in_title = [matches(t, in_title) for t in terms]
            points = sum(
                w * (TITLE_WEIGHT if hit else 1.0)
                for hit, w in zip(found_in_title, weights, strict=True)
            )
            # A short title that matches says more (an FAQ entry: its question's length).
            points /= 1.0 + 0.05 * len(title_words(candidate.title))
            if candidate.doc_id % 4 == FAQ_CODE:
                points *= FAQ_BOOST if question else 1.0
                points *= 1.0 if any(found_in_title) else UNASKED
            return -points, -candidate.doc_id

        def answers(candidate: Candidate) -> bool:
            """Whether the FAQ entry's ways of asking hold most of the query's weight."""
            stems = self._asked_stems.get(candidate.doc_id // 4)
            if candidate.doc_id % 4 != FAQ_CODE or not weights or stems is None:
                return False
            held = sum(w for t, w in zip(terms, weights, strict=True) if asked(t, stems))
            share = 1.0 if corrected else ANSWER_SHARE
            return held >= share * sum(weights) - 1e-9

        ranked = sorted(found, key=score)
        pages = max(1, -(-len(ranked) // per_page))
        page = min(max(page, 0), pages - 1)
        hits = tuple(
            Hit(KINDS[c.doc_id % 4], c.doc_id // 4, c.title)
            for c in ranked[page * per_page : (page + 1) * per_page]
        )
        capped = len(ranked) >= self._cap
        answered = bool(ranked) and answers(ranked[0])
        loose = bool(ranked) and not any(matches(t, titled(ranked[0])) for t in terms)
        return SearchResult(
            hits, len(ranked), page, pages, corrected, question, capped, answered, partial, loose
        )

    async def _match(
        self, repo: Reader, vocabulary: Vocabulary, query_words: list[str], *, faq: bool
    ) -> tuple[list[Candidate], list[Term], str | None, bool]:
        """All words; else with typos corrected; else any word (the last: partial)."""
        if not query_words:
            return [], [], None, False

        async def find(query: list[str], any_term: bool = False) -> list[Candidate]:
            terms[:] = [vocabulary.expand(t) for t in to_terms(query)]
            return await repo.candidates(terms, any_term=any_term, cap=self._cap, faq=faq)

        terms: list[Term] = []
        found = await find(query_words)
        if found:
            return found, terms, None, False
        fixed = vocabulary.corrected(query_words)
        if fixed:
            found = await find(fixed)
        partial = False
        if not found and len(fixed or query_words) > 1:
            found = await find(fixed or query_words, any_term=True)
            partial = bool(found)
        return found, terms, (" ".join(fixed) if fixed and found else None), partial

    async def _vocabulary_of(self, repo: Reader) -> Vocabulary:
        now = self._clock()
        if self._vocabulary is None or now - self._vocabulary_at > self._vocabulary_seconds:
            if self._vocabulary is None:
                await self._ensure_index()
            self._vocabulary = Vocabulary(await repo.vocabulary())
            asks = await repo.faq_asks()
            self._asks = {i: title_words(text) for i, text in asks.items()}
            self._asked_stems = {i: stems_of(text) for i, text in asks.items()}
            self._vocabulary_at = now
        return self._vocabulary

    async def _ensure_index(self) -> None:
        """Re-create the index triggers if a later migration rebuilt a table (and lost them)."""
        async with self._sessions.begin() as session:
            connection = await session.connection()
            if not await connection.run_sync(search_index.is_installed):
                await connection.run_sync(search_index.install)

    async def warm(self, *, optimize: bool = False) -> None:
        """Load the vocabulary now (and merge the index after a bulk import)."""
        if optimize:
            async with self._sessions.begin() as session:
                await SearchRepository(session).optimize()
        self._vocabulary = None
        if self._direct is not None:
            await self._vocabulary_of(self._direct)
            return
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
