"""surveys: questionnaires, responses, answers, sent polls and quick polls

Revision ID: 0005_surveys
Revises: 0001_foundation
Create Date: 2026-11-28 09:36:20.501810
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models.base

revision: str = "0005_surveys"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the surveys, responses, answers, sent polls and quick polls tables."""
    op.create_table(
        "quick_polls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("poll_id", sa.String(length=64), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("question", sa.String(length=300), nullable=False),
        sa.Column("options", sa.Text(), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("closes_at", storage.models.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("closed_at", storage.models.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("final_counts", sa.Text(), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        sa.Column("created_at", storage.models.base.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quick_polls")),
        sa.UniqueConstraint("poll_id", name=op.f("uq_quick_polls_poll_id")),
    )
    op.create_index(op.f("ix_quick_polls_closes_at"), "quick_polls", ["closes_at"], unique=False)

    op.create_table(
        "quick_poll_votes",
        sa.Column("quick_poll_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("choices", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["quick_poll_id"],
            ["quick_polls.id"],
            name=op.f("fk_quick_poll_votes_quick_poll_id_quick_polls"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("quick_poll_id", "member_id", name=op.f("pk_quick_poll_votes")),
    )
    op.create_table(
        "surveys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("intro", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("open_to_all", sa.Boolean(), nullable=False),
        sa.Column("identified", sa.Boolean(), nullable=False),
        sa.Column("public_results", sa.Boolean(), nullable=False),
        sa.Column("scheduled_for", storage.models.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("dispatched_at", storage.models.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("invited_count", sa.Integer(), nullable=False),
        sa.Column("closed_at", storage.models.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", storage.models.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_surveys_event_id_events"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_surveys")),
    )
    op.create_index(op.f("ix_surveys_event_id"), "surveys", ["event_id"], unique=False)
    op.create_index(op.f("ix_surveys_status"), "surveys", ["status"], unique=False)

    op.create_table(
        "survey_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("prompt", sa.String(length=300), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("options", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["surveys.id"],
            name=op.f("fk_survey_questions_survey_id_surveys"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_questions")),
        sa.UniqueConstraint("survey_id", "position", name="uq_survey_questions_pos"),
    )
    op.create_table(
        "survey_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.BigInteger(), nullable=False),
        sa.Column("invited", sa.Boolean(), nullable=False),
        sa.Column("next_position", sa.Integer(), nullable=False),
        sa.Column("started_at", storage.models.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("completed_at", storage.models.base.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["surveys.id"],
            name=op.f("fk_survey_responses_survey_id_surveys"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_responses")),
        sa.UniqueConstraint("survey_id", "member_id", name="uq_survey_responses_member"),
    )
    op.create_table(
        "survey_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("choices", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("skipped", sa.Boolean(), nullable=False),
        sa.Column("answered_at", storage.models.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["survey_questions.id"],
            name=op.f("fk_survey_answers_question_id_survey_questions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["survey_responses.id"],
            name=op.f("fk_survey_answers_response_id_survey_responses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_answers")),
        sa.UniqueConstraint("response_id", "question_id", name="uq_survey_answers_question"),
    )
    op.create_index(
        "ix_survey_answers_question_choice",
        "survey_answers",
        ["question_id", "skipped", "choices"],
        unique=False,
    )

    op.create_table(
        "survey_polls",
        sa.Column("poll_id", sa.String(length=64), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("sent_at", storage.models.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["survey_questions.id"],
            name=op.f("fk_survey_polls_question_id_survey_questions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["survey_responses.id"],
            name=op.f("fk_survey_polls_response_id_survey_responses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("poll_id", name=op.f("pk_survey_polls")),
    )
    op.create_index(
        op.f("ix_survey_polls_response_id"), "survey_polls", ["response_id"], unique=False
    )


def downgrade() -> None:
    """Drop the survey and quick poll tables."""
    op.drop_index(op.f("ix_survey_polls_response_id"), table_name="survey_polls")

    op.drop_table("survey_polls")
    op.drop_index("ix_survey_answers_question_choice", table_name="survey_answers")

    op.drop_table("survey_answers")
    op.drop_table("survey_responses")
    op.drop_table("survey_questions")
    op.drop_index(op.f("ix_surveys_status"), table_name="surveys")
    op.drop_index(op.f("ix_surveys_event_id"), table_name="surveys")

    op.drop_table("surveys")
    op.drop_table("quick_poll_votes")
    op.drop_index(op.f("ix_quick_polls_closes_at"), table_name="quick_polls")

    op.drop_table("quick_polls")
