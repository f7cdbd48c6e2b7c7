"""calendar_feeds: each member's private calendar link (event_calendar_feeds)

Revision ID: 0016_calendar_feeds
Revises: 0015_answering
Create Date: 2026-12-02 04:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.models.base import UtcDateTime

revision: str = "0016_calendar_feeds"
down_revision: str | Sequence[str] | None = "0015_answering"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create event_calendar_feeds (one token per member, unique)."""
    op.create_table(
        "event_calendar_feeds",
        sa.Column("member_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("member_id", name=op.f("pk_event_calendar_feeds")),
        sa.UniqueConstraint("token", name=op.f("uq_event_calendar_feeds_token")),
    )


def downgrade() -> None:
    """Drop event_calendar_feeds."""
    op.drop_table("event_calendar_feeds")
