"""Full-text queries on the search index (see search_index), the same answers on both databases.

Terms arrive already folded and reduced to letters and digits by the search service; they are
still passed as bound parameters inside quoted phrases, never spliced into SQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Event, FaqEntry, Innovation, Lab

# Title matches weigh more than body matches (FTS5 bm25 column weights; ts_rank uses A/B).
_TITLE_WEIGHT, _BODY_WEIGHT = 6.0, 1.0


@dataclass(frozen=True)
class Term:
    word: str  # folded, letters and digits only
    prefix: bool  # match any word starting with it


@dataclass(frozen=True)
class Candidate:
    doc_id: int  # item id * 4 + kind code
    score: float  # higher is better, comparable within one query


class SearchRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._sqlite = session.get_bind().dialect.name == "sqlite"

    async def candidates(
        self, terms: Sequence[Term], *, any_term: bool, cap: int, faq: bool = True
    ) -> list[Candidate]:
        """Documents matching all (or any) terms, scored; at most ``cap``, newest first.

        The cap bounds the work: ranking every match of a common word is what costs at 100k
        documents, while the first ``cap`` matches in id order come straight off the index.
        """
        if not terms:
            return []
        kinds = "" if faq else (" AND rowid % 4 <> 3" if self._sqlite else " AND id % 4 <> 3")
        if self._sqlite:
            joiner = " OR " if any_term else " AND "
            match = joiner.join(f'"{t.word}"' + ("*" if t.prefix else "") for t in terms)
            sql = (
                f"SELECT rowid, -bm25(search_fts, {_TITLE_WEIGHT}, {_BODY_WEIGHT}) "
                f"FROM search_fts WHERE search_fts MATCH :q{kinds} ORDER BY rowid DESC LIMIT :cap"
            )
        else:
            joiner = " | " if any_term else " & "
            match = joiner.join(f"'{t.word}'" + (":*" if t.prefix else "") for t in terms)
            sql = (
                "SELECT id, ts_rank(tsv, to_tsquery('simple', :q)) FROM (SELECT id, tsv "
                f"FROM search_documents WHERE tsv @@ to_tsquery('simple', :q){kinds} "
                "ORDER BY id DESC LIMIT :cap) AS found"
            )
        rows = await self._session.execute(text(sql), {"q": match, "cap": cap})
        return [Candidate(int(doc_id), float(score)) for doc_id, score in rows]

    async def titles(self, doc_ids: Sequence[int]) -> dict[int, str]:
        """The indexed title of each document still in the index."""
        if not doc_ids:
            return {}
        table, key = ("search_fts", "rowid") if self._sqlite else ("search_documents", "id")
        ids = ", ".join(str(int(i)) for i in doc_ids)  # ints only
        rows = await self._session.execute(
            text(f"SELECT {key}, title FROM {table} WHERE {key} IN ({ids})")
        )
        return {int(doc_id): str(title) for doc_id, title in rows}

    async def vocabulary(self) -> list[str]:
        """Every indexed word (folded), for typo correction."""
        if self._sqlite:
            sql = "SELECT term FROM search_vocab"
        else:
            sql = "SELECT word FROM ts_stat('SELECT tsv FROM search_documents')"
        return [str(word) for word in await self._session.scalars(text(sql))]

    async def suggestion_pool(self) -> list[str]:
        """Lab and event titles, FAQ questions and themes: what a near miss may have meant."""
        queries = (
            select(Lab.title),
            select(Event.title),
            select(FaqEntry.question),
            select(Lab.theme).distinct(),
            select(Innovation.theme).where(Innovation.status == "approved").distinct(),
        )
        pool: list[str] = []
        for query in queries:
            pool.extend(str(value) for value in await self._session.scalars(query) if value)
        return list(dict.fromkeys(pool))
