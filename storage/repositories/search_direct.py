"""SQLite only: the two hot search reads on a plain read-only sqlite3 connection.

Why: through aiosqlite every statement hops to a worker thread and back (cursor, execute,
fetch, rollback); on a busy 2-core machine those hops cost milliseconds, ten times the capped
FTS5 query itself (about 0.5 ms at 10k rows). The query is bounded (``LIMIT cap``), so running
it in the event loop's thread blocks it for less than one hop would. Writes never come here.
"""

from __future__ import annotations

import sqlite3
import weakref
from collections.abc import Sequence
from urllib.parse import quote

from storage.repositories.search import (
    FAQ_ASKS_SQL,
    VOCABULARY_SQL,
    Candidate,
    Term,
    candidates_query,
)


class DirectSqliteReader:
    def __init__(self, database: str) -> None:
        self._database = database
        self._connection: sqlite3.Connection | None = None

    def _open(self) -> sqlite3.Connection:
        if self._connection is None:
            uri = f"file:{quote(self._database)}?mode=ro"
            self._connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
            weakref.finalize(self, self._connection.close)
        return self._connection

    async def candidates(
        self, terms: Sequence[Term], *, any_term: bool, cap: int, faq: bool = True
    ) -> list[Candidate]:
        """As SearchRepository.candidates, without leaving the event loop's thread."""
        if not terms:
            return []
        sql, match = candidates_query(True, terms, any_term=any_term, faq=faq)
        rows = self._open().execute(sql, {"q": match, "cap": cap}).fetchall()
        return [Candidate(int(doc_id), str(title)) for doc_id, title in rows]

    async def vocabulary(self) -> dict[str, int]:
        rows = self._open().execute(VOCABULARY_SQL[True]).fetchall()
        return {str(word): int(count) for word, count in rows}

    async def faq_asks(self) -> dict[int, str]:
        rows = self._open().execute(FAQ_ASKS_SQL).fetchall()
        return {int(faq_id): f"{question}\n{phrasings}" for faq_id, question, phrasings in rows}

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
