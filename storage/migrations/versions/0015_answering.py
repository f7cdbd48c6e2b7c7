"""answering: inbound_updates.answering_at, set before an update's first Bot API request (ha)

Revision ID: 0015_answering
Revises: 0014_leadership
Create Date: 2026-12-02 05:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.models.base import UtcDateTime

revision: str = "0015_answering"
down_revision: str | Sequence[str] | None = "0014_leadership"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add inbound_updates.answering_at (nullable: no update is being answered)."""
    with op.batch_alter_table("inbound_updates") as batch:
        batch.add_column(sa.Column("answering_at", UtcDateTime(), nullable=True))


def downgrade() -> None:
    """Drop inbound_updates.answering_at."""
    with op.batch_alter_table("inbound_updates") as batch:
        batch.drop_column("answering_at")
