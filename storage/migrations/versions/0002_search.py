"""answers: FAQ entries, saved searches, full-text search index and its triggers

Revision ID: 0002_answers
Revises: 0001_foundation
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.models.base import UtcDateTime
from storage.repositories import search_index

revision: str = "0002_answers"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the FAQ and saved searches tables and the full-text index."""
    op.create_table(
        "faq_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("question", sa.String(length=300), nullable=False),
        sa.Column("phrasings", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("shows", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_faq_entries")),
        sa.UniqueConstraint("slug", name=op.f("uq_faq_entries_slug")),
    )
    op.create_table(
        "saved_searches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.BigInteger(), nullable=False),
        sa.Column("query", sa.String(length=300), nullable=False),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_searches")),
    )
    op.create_index(
        op.f("ix_saved_searches_member_id"), "saved_searches", ["member_id"], unique=False
    )
    search_index.install(op.get_bind())


def downgrade() -> None:
    """Drop the full-text index, the saved searches and FAQ tables."""
    search_index.uninstall(op.get_bind())
    op.drop_index(op.f("ix_saved_searches_member_id"), table_name="saved_searches")
    op.drop_table("saved_searches")
    op.drop_table("faq_entries")
