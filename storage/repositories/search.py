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


@dataclass(frozen=True)
class Term:
    word: str  # folded, letters and digits only
    prefix: bool  # match any word starting with it
    # Indexed words it stands for (SQLite): a few exact words read lazily beat one prefix,
    # whose posting lists FTS5 merges in full. Empty: use the word (or prefix) itself.
    variants: tuple[str, ...] = ()


@dataclass(frozen=True)
class Candidate:
    doc_id: int  # item id * 4 + kind code
    title: str


class SearchRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._sqlite = session.get_bind().dialect.name == "sqlite"

    async def candidates(
        self, terms: Sequence[Term], *, any_term: bool, cap: int, faq: bool = True
    ) -> list[Candidate]:
        """Documents matching all (or any) terms, newest first, at most ``cap``, with titles.

        Unranked on purpose: ranking every match of a common word is what costs at 100k
        documents, while the first ``cap`` matches in id order come lazily off the index.
        The service ranks these few.
        """
        if not terms:
            return []
        sql, match = candidates_query(self._sqlite, terms, any_term=any_term, faq=faq)
        rows = await self._session.execute(text(sql), {"q": match, "cap": cap})
        return [Candidate(int(doc_id), str(title)) for doc_id, title in rows]

    async def optimize(self) -> None:
        """Merge the FTS5 index segments (after a bulk import); nothing to do on PostgreSQL."""
        if self._sqlite:
            await self._session.execute(
                text("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
            )

    async def vocabulary(self) -> dict[str, int]:
        """Every indexed word (folded) and how many documents hold it."""
        rows = await self._session.execute(text(VOCABULARY_SQL[self._sqlite]))
        return {str(word): int(count) for word, count in rows}

    async def faq_asks(self) -> dict[int, str]:
        """Per FAQ entry: its question and other phrasings (the ways members ask it)."""
        rows = await self._session.execute(text(FAQ_ASKS_SQL))
        return {int(faq_id): f"{question}\n{phrasings}" for faq_id, question, phrasings in rows}

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


def candidates_query(
    sqlite: bool, terms: Sequence[Term], *, any_term: bool, faq: bool
) -> tuple[str, str]:
    """(SQL with :q and :cap, the match expression) of a candidates query."""
    kinds = "" if faq else (" AND rowid % 4 <> 3" if sqlite else " AND id % 4 <> 3")
    if sqlite:
        match = (" OR " if any_term else " AND ").join(_fts5(t) for t in terms)
        sql = (
            "SELECT rowid, title FROM search_fts WHERE search_fts MATCH :q"
            f"{kinds} ORDER BY rowid DESC LIMIT :cap"
        )
    else:
        joiner = " | " if any_term else " & "
        match = joiner.join(f"'{t.word}'" + (":*" if t.prefix else "") for t in terms)
        sql = (
            "SELECT id, title FROM search_documents WHERE tsv @@ to_tsquery('simple', :q)"
            f"{kinds} ORDER BY id DESC LIMIT :cap"
        )
    return sql, match


FAQ_ASKS_SQL = "SELECT id, question, phrasings FROM faq_entries"
VOCABULARY_SQL = {
    True: "SELECT term, doc FROM search_vocab",
    False: "SELECT word, ndoc FROM ts_stat('SELECT tsv FROM search_documents')",
}


def _fts5(term: Term) -> str:
    if term.variants:
        return "(" + " OR ".join(f'"{word}"' for word in term.variants) + ")"
    return f'"{term.word}"' + ("*" if term.prefix else "")
