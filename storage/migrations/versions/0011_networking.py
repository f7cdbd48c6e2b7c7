"""networking: opt-in profiles, introductions, blocks, reports, relay log

Profiles are private until their owner turns them visible; relayed messages are never stored
(only who wrote to whom and when).

Revision ID: 0011_networking
Revises: 0010_answer_figures
Create Date: 2026-12-01 22:55:30.609035
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models.base

revision: str = "0011_networking"
down_revision: str | Sequence[str] | None = "0010_answer_figures"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the profiles, their labs and themes, introductions, blocks, reports, relays."""
    op.create_table(
        "networking_blocks",
        sa.Column("blocker_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("blocked_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("created_at", storage.models.base.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("blocker_id", "blocked_id", name=op.f("pk_networking_blocks")),
    )
    with op.batch_alter_table("networking_blocks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_networking_blocks_blocked_id"), ["blocked_id"], unique=False
        )

    op.create_table(
        "networking_introductions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("requester_id", sa.BigInteger(), nullable=False),
        sa.Column("target_id", sa.BigInteger(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("created_at", storage.models.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", storage.models.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("answered_at", storage.models.base.UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_networking_introductions")),
    )
    with op.batch_alter_table("networking_introductions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_networking_introductions_expires_at"), ["expires_at"], unique=False
        )
        batch_op.create_index(
            "ix_networking_introductions_requester_state", ["requester_id", "state"], unique=False
        )
        batch_op.create_index(
            "ix_networking_introductions_target_state", ["target_id", "state"], unique=False
        )

    op.create_table(
        "networking_profiles",
        sa.Column("member_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("structure", sa.String(length=150), nullable=False),
        sa.Column("structure_key", sa.String(length=150), nullable=False),
        sa.Column("commune", sa.String(length=100), nullable=False),
        sa.Column("departement", sa.String(length=3), nullable=False),
        sa.Column("offer", sa.String(length=200), nullable=False),
        sa.Column("seek", sa.String(length=200), nullable=False),
        sa.Column("languages", sa.String(length=16), nullable=False),
        sa.Column("contact", sa.String(length=16), nullable=False),
        sa.Column("visible", sa.Boolean(), nullable=False),
        sa.Column("hidden", sa.String(length=200), nullable=False),
        sa.Column("created_at", storage.models.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", storage.models.base.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("member_id", name=op.f("pk_networking_profiles")),
    )
    with op.batch_alter_table("networking_profiles", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_networking_profiles_departement"), ["departement"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_networking_profiles_structure_key"), ["structure_key"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_networking_profiles_visible"), ["visible"], unique=False
        )

    op.create_table(
        "networking_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reporter_id", sa.BigInteger(), nullable=False),
        sa.Column("reported_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", storage.models.base.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_networking_reports")),
    )
    with op.batch_alter_table("networking_reports", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_networking_reports_reported_id"), ["reported_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_networking_reports_reporter_id"), ["reporter_id"], unique=False
        )

    op.create_table(
        "networking_profile_themes",
        sa.Column("member_id", sa.BigInteger(), nullable=False),
        sa.Column("theme", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["networking_profiles.member_id"],
            name=op.f("fk_networking_profile_themes_member_id_networking_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("member_id", "theme", name=op.f("pk_networking_profile_themes")),
    )
    op.create_table(
        "networking_relays",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("introduction_id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.BigInteger(), nullable=False),
        sa.Column("recipient_id", sa.BigInteger(), nullable=False),
        sa.Column("sent_at", storage.models.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["introduction_id"],
            ["networking_introductions.id"],
            name=op.f("fk_networking_relays_introduction_id_networking_introductions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_networking_relays")),
    )
    with op.batch_alter_table("networking_relays", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_networking_relays_introduction_id"), ["introduction_id"], unique=False
        )

    op.create_table(
        "networking_profile_labs",
        sa.Column("member_id", sa.BigInteger(), nullable=False),
        sa.Column("lab_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["lab_id"],
            ["labs.id"],
            name=op.f("fk_networking_profile_labs_lab_id_labs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["networking_profiles.member_id"],
            name=op.f("fk_networking_profile_labs_member_id_networking_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("member_id", "lab_id", name=op.f("pk_networking_profile_labs")),
    )
    with op.batch_alter_table("networking_profile_labs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_networking_profile_labs_lab_id"), ["lab_id"], unique=False
        )


def downgrade() -> None:
    """Drop the networking tables."""
    with op.batch_alter_table("networking_profile_labs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_networking_profile_labs_lab_id"))

    op.drop_table("networking_profile_labs")
    with op.batch_alter_table("networking_relays", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_networking_relays_introduction_id"))

    op.drop_table("networking_relays")
    op.drop_table("networking_profile_themes")
    with op.batch_alter_table("networking_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_networking_reports_reporter_id"))
        batch_op.drop_index(batch_op.f("ix_networking_reports_reported_id"))

    op.drop_table("networking_reports")
    with op.batch_alter_table("networking_profiles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_networking_profiles_visible"))
        batch_op.drop_index(batch_op.f("ix_networking_profiles_structure_key"))
        batch_op.drop_index(batch_op.f("ix_networking_profiles_departement"))

    op.drop_table("networking_profiles")
    with op.batch_alter_table("networking_introductions", schema=None) as batch_op:
        batch_op.drop_index("ix_networking_introductions_target_state")
        batch_op.drop_index("ix_networking_introductions_requester_state")
        batch_op.drop_index(batch_op.f("ix_networking_introductions_expires_at"))

    op.drop_table("networking_introductions")
    with op.batch_alter_table("networking_blocks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_networking_blocks_blocked_id"))

    op.drop_table("networking_blocks")
