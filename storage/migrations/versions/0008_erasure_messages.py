"""privacy: the bot's messages to others that show a member's data, to scrub on erasure

Revision ID: 0008_erasure_messages
Revises: 0007_search_folding
Create Date: 2026-12-01 23:15:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.models.base import UtcDateTime

revision: str = "0008_erasure_messages"
down_revision: str | Sequence[str] | None = "0007_search_folding"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the table of messages to scrub when their member is erased."""
    op.create_table(
        "member_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.BigInteger(), nullable=True),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=True),
        sa.Column("scrub", sa.Boolean(), nullable=False),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_messages")),
    )
    with op.batch_alter_table("member_messages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_member_messages_member_id"), ["member_id"])
        batch_op.create_index(batch_op.f("ix_member_messages_scrub"), ["scrub"])


def downgrade() -> None:
    """Drop it (messages not yet scrubbed are then forgotten)."""
    with op.batch_alter_table("member_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_member_messages_scrub"))
        batch_op.drop_index(batch_op.f("ix_member_messages_member_id"))
    op.drop_table("member_messages")
