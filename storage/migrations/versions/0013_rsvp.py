"""events: RSVP that makes sense — a reminder toggle beside the answer, a waiting list

« Me rappeler » becomes a toggle of its own (``rsvps.remind``) instead of an answer, so it never
replaces a « Je viens »: old "yes" rows get the reminder on, old "remind" rows become "no answer,
reminder on". Waiting-list tickets come from ``events.queue_seq`` (strict order of arrival) and
an offered place is held since ``rsvps.offered_at``. Downgrading folds the new answers back into
the old three ("maybe", "wait", "offer" and reminder-only rows become "remind" when the reminder
was on, "no" otherwise) and keeps ``events.queue_seq``.

Revision ID: 0013_rsvp
Revises: 0012_networking_rounds
Create Date: 2026-12-01 23:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.models.base import UtcDateTime

revision: str = "0013_rsvp"
down_revision: str | Sequence[str] | None = "0012_networking_rounds"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the reminder toggle, the waiting-list ticket and offer time; convert old answers."""
    columns = {column["name"] for column in sa.inspect(op.get_bind()).get_columns("events")}
    if "queue_seq" not in columns:  # kept by a downgrade (see there)
        with op.batch_alter_table("events", schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("queue_seq", sa.Integer(), nullable=False, server_default="0")
            )
    with op.batch_alter_table("rsvps", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("remind", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("ticket", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("offered_at", UtcDateTime(timezone=True), nullable=True))
    op.execute("UPDATE rsvps SET remind = TRUE WHERE answer IN ('yes', 'remind')")
    op.execute("UPDATE rsvps SET answer = '' WHERE answer = 'remind'")


def downgrade() -> None:
    """Back to yes / no / remind (the waiting list and « peut-être » are folded).

    ``events.queue_seq`` stays: dropping a column on SQLite recreates the table, and dropping
    ``events`` there would delete every RSVP (ON DELETE CASCADE); the column is harmless.
    """
    op.execute(
        "UPDATE rsvps SET answer = CASE WHEN remind THEN 'remind' ELSE 'no' END"
        " WHERE answer NOT IN ('yes', 'no')"
    )
    with op.batch_alter_table("rsvps", schema=None) as batch_op:
        batch_op.drop_column("offered_at")
        batch_op.drop_column("ticket")
        batch_op.drop_column("remind")
