"""leadership: the ha mode's lease row (leader_lease) and the epoch of each outbox claim

Revision ID: 0014_leadership
Revises: 0013_rsvp
Create Date: 2026-12-02 04:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.models.base import UtcDateTime

revision: str = "0014_leadership"
down_revision: str | Sequence[str] | None = "0013_rsvp"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create leader_lease; add outbox.claim_epoch."""
    op.create_table(
        "leader_lease",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("holder", sa.String(length=64), nullable=False),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.Column("acquired_at", UtcDateTime(), nullable=False),
        sa.Column("renewed_at", UtcDateTime(), nullable=False),
        sa.Column("expires_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_leader_lease")),
    )
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(
            sa.Column("claim_epoch", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    """Drop outbox.claim_epoch and leader_lease."""
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("claim_epoch")
    op.drop_table("leader_lease")
