"""search: the index folds text as storage.folding.fold does, on both databases

SQLite spells out the letters its tokenizer cannot fold (« œ », « æ », « ß », « ﬁ »…) before
indexing, so « oeuvre » finds « Œuvre », and keeps the title as written for display
(``title UNINDEXED``, text in ``words``). PostgreSQL's ``search_fold()`` decomposes with
``normalize()`` instead of a table of accented letters, which also folds capitals under the C
ctype. The index is rebuilt from the source rows; downgrading keeps the new index (it answers
the same queries, and more).

Revision ID: 0007_search_folding
Revises: 0006_merge_features
Create Date: 2026-12-01 21:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from storage.repositories import search_index

revision: str = "0007_search_folding"
down_revision: str | Sequence[str] | None = "0006_merge_features"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Rebuild the search index so it folds text as storage.folding.fold does."""
    search_index.uninstall(op.get_bind())
    search_index.install(op.get_bind())


def downgrade() -> None:
    """Keep the new index: it answers the same queries, and more."""
