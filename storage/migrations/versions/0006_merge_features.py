"""merge the feature branches into one line of history

Each feature (answers, submissions, meetings, surveys) was migrated from the foundation in
parallel; from here on there is one head again, and new migrations build on this one.

Revision ID: 0006_merge_features
Revises: 0002_answers, 0003_submissions, 0004_meetings, 0005_surveys
Create Date: 2026-11-28 10:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0006_merge_features"
down_revision: str | Sequence[str] | None = (
    "0002_answers",
    "0003_submissions",
    "0004_meetings",
    "0005_surveys",
)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Nothing to change: the feature branches meet here."""


def downgrade() -> None:
    """Nothing to change: the feature branches part here."""
