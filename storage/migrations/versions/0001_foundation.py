"""foundation: members and catalogue

Revision ID: 0001_foundation
Revises:
Create Date: 2026-11-28 09:29:50.675638
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models.base

revision: str = "0001_foundation"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the members, conversation states, events and catalogue tables."""
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("commune", sa.String(length=100), nullable=False),
        sa.Column("starts_at", storage.models.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", storage.models.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("participants", sa.Integer(), nullable=True),
        sa.Column("created_at", storage.models.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", storage.models.base.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
        sa.UniqueConstraint("slug", name=op.f("uq_events_slug")),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_events_starts_at"), ["starts_at"], unique=False)

    op.create_table(
        "members",
        sa.Column("telegram_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("first_name", sa.String(length=256), nullable=False),
        sa.Column("last_name", sa.String(length=256), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("telegram_language", sa.String(length=16), nullable=False),
        sa.Column("roles", sa.String(length=128), nullable=False),
        sa.Column("opt_in_announcements", sa.Boolean(), nullable=False),
        sa.Column("is_reachable", sa.Boolean(), nullable=False),
        sa.Column("created_at", storage.models.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", storage.models.base.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("telegram_id", name=op.f("pk_members")),
    )
    op.create_table(
        "conversation_states",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
        sa.Column("updated_at", storage.models.base.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", "key", name=op.f("pk_conversation_states")),
    )
    op.create_table(
        "seed_records",
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("imported_at", storage.models.base.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_seed_records")),
    )
    op.create_table(
        "event_figures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_event_figures_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_figures")),
    )
    with op.batch_alter_table("event_figures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_figures_event_id"), ["event_id"], unique=False)

    op.create_table(
        "event_follow_ups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_event_follow_ups_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_follow_ups")),
    )
    with op.batch_alter_table("event_follow_ups", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_event_follow_ups_event_id"), ["event_id"], unique=False
        )

    op.create_table(
        "labs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("theme", sa.String(length=100), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", storage.models.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", storage.models.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_labs_event_id_events"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_labs")),
        sa.UniqueConstraint("slug", name=op.f("uq_labs_slug")),
    )
    with op.batch_alter_table("labs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_labs_event_id"), ["event_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_labs_theme"), ["theme"], unique=False)

    op.create_table(
        "innovations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("theme", sa.String(length=100), nullable=False),
        sa.Column("commune", sa.String(length=100), nullable=False),
        sa.Column("departement", sa.String(length=3), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("website", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("lab_id", sa.Integer(), nullable=True),
        sa.Column("submitted_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", storage.models.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", storage.models.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["lab_id"], ["labs.id"], name=op.f("fk_innovations_lab_id_labs"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by"],
            ["members.telegram_id"],
            name=op.f("fk_innovations_submitted_by_members"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_innovations")),
    )
    with op.batch_alter_table("innovations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_innovations_departement"), ["departement"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_innovations_lab_id"), ["lab_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_innovations_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_innovations_theme"), ["theme"], unique=False)


def downgrade() -> None:
    """Drop the foundation tables."""
    with op.batch_alter_table("innovations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_innovations_theme"))
        batch_op.drop_index(batch_op.f("ix_innovations_status"))
        batch_op.drop_index(batch_op.f("ix_innovations_lab_id"))
        batch_op.drop_index(batch_op.f("ix_innovations_departement"))

    op.drop_table("innovations")
    with op.batch_alter_table("labs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_labs_theme"))
        batch_op.drop_index(batch_op.f("ix_labs_event_id"))

    op.drop_table("labs")
    with op.batch_alter_table("event_follow_ups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_follow_ups_event_id"))

    op.drop_table("event_follow_ups")
    with op.batch_alter_table("event_figures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_figures_event_id"))

    op.drop_table("event_figures")
    op.drop_table("seed_records")
    op.drop_table("conversation_states")
    op.drop_table("members")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_starts_at"))

    op.drop_table("events")
