"""intake: the journal of updates received, written before Telegram is told (inbound_updates)

Revision ID: 0009_intake
Revises: 0008_erasure_messages
Create Date: 2026-12-01 23:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.models.base import UtcDateTime

revision: str = "0009_intake"
down_revision: str | Sequence[str] | None = "0008_erasure_messages"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create inbound_updates."""
    op.create_table(
        "inbound_updates",
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=True),
        sa.Column("member_id", sa.BigInteger(), nullable=True),
        sa.Column("payload", sa.Text(), nullable=True),
        sa.Column("received_at", UtcDateTime(), nullable=False),
        sa.Column("done_at", UtcDateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("update_id", name=op.f("pk_inbound_updates")),
    )
    op.create_index(
        "ix_inbound_updates_pending", "inbound_updates", ["done_at", "received_at"], unique=False
    )
    op.create_index(
        op.f("ix_inbound_updates_member_id"), "inbound_updates", ["member_id"], unique=False
    )


def downgrade() -> None:
    """Drop inbound_updates."""
    op.drop_index(op.f("ix_inbound_updates_member_id"), table_name="inbound_updates")
    op.drop_index("ix_inbound_updates_pending", table_name="inbound_updates")
    op.drop_table("inbound_updates")
