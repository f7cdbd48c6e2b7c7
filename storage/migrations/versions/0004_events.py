"""meetings: outbox, RSVPs, event reminders, subscriptions; event columns

Revision ID: 0004_meetings
Revises: 0001_foundation
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.models.base import UtcDateTime

revision: str = "0004_meetings"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the events' new columns; create the outbox, RSVPs, reminders, follows and drafts."""
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("theme", sa.String(100), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("capacity", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("repeats_yearly", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("reminder_offsets", sa.String(64), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("cancelled_at", UtcDateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("schedule_rev", sa.Integer(), nullable=False, server_default="0")
        )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(64), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("due_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", UtcDateTime(timezone=True), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("in_doubt", sa.Boolean(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("claimed_by", sa.String(64), nullable=False),
        sa.Column("claimed_at", UtcDateTime(timezone=True), nullable=True),
        sa.Column("sent_at", UtcDateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(300), nullable=False),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("purpose", "chat_id", name="uq_outbox_purpose_chat"),
    )
    op.create_index("ix_outbox_state_due", "outbox", ["state", "due_at"])
    op.create_table(
        "rsvps",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("answer", sa.String(8), nullable=False),
        sa.Column("updated_at", UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_rsvps_event_id_events"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("event_id", "member_id", name=op.f("pk_rsvps")),
    )
    op.create_table(
        "event_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("offset_minutes", sa.Integer(), nullable=False),
        sa.Column("due_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("rev", sa.Integer(), nullable=False),
        sa.Column("fired_at", UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_event_reminders_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_reminders")),
        sa.UniqueConstraint("event_id", "offset_minutes", name="uq_event_reminders_event_offset"),
    )
    op.create_index("ix_event_reminders_state_due", "event_reminders", ["state", "due_at"])
    op.create_table(
        "event_subscriptions",
        sa.Column("member_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("theme", sa.String(100), nullable=False),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("member_id", "theme", name=op.f("pk_event_subscriptions")),
    )
    op.create_table(
        "meeting_drafts",
        sa.Column("member_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("updated_at", UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("member_id", "kind", name=op.f("pk_meeting_drafts")),
    )
    op.create_table(
        "announcements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.BigInteger(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.Column("progress_chat_id", sa.BigInteger(), nullable=False),
        sa.Column("progress_message_id", sa.BigInteger(), nullable=False),
        sa.Column("finished", sa.Boolean(), nullable=False),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_announcements")),
    )


def downgrade() -> None:
    """Drop what upgrade created and the events' new columns."""
    op.drop_table("announcements")
    op.drop_table("meeting_drafts")
    op.drop_table("event_subscriptions")
    op.drop_index("ix_event_reminders_state_due", table_name="event_reminders")
    op.drop_table("event_reminders")
    op.drop_table("rsvps")
    op.drop_index("ix_outbox_state_due", table_name="outbox")
    op.drop_table("outbox")
    with op.batch_alter_table("events", schema=None) as batch_op:
        for column in (
            "schedule_rev",
            "cancelled_at",
            "reminder_offsets",
            "repeats_yearly",
            "capacity",
            "theme",
        ):
            batch_op.drop_column(column)
