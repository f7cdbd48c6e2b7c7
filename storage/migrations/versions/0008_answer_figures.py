"""answer figures: a figure can be « plus de » its value, as the 2013 source states it

``event_figures.more_than``: « Plus de 300 participants » was shown « 300 personnes ». The
seeded participants figure of the 2013 day is corrected where it is still as seeded (same key,
same value); a figure an organiser changed is left alone.

Revision ID: 0008_answer_figures
Revises: 0007_search_folding
Create Date: 2026-12-01 23:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_answer_figures"
down_revision: str | Sequence[str] | None = "0007_search_folding"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add ``more_than`` and set it on the seeded « plus de 300 participants »."""
    with op.batch_alter_table("event_figures") as batch:
        batch.add_column(
            sa.Column("more_than", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    figures = sa.table(
        "event_figures",
        sa.column("event_id", sa.Integer),
        sa.column("key", sa.String),
        sa.column("value", sa.Float),
        sa.column("more_than", sa.Boolean),
    )
    events = sa.table("events", sa.column("id", sa.Integer), sa.column("slug", sa.String))
    of_2013 = sa.select(events.c.id).where(events.c.slug == "innov-deizh-2013")
    op.execute(
        figures.update()
        .where(
            figures.c.key == "participants",
            figures.c.value == 300,
            figures.c.event_id.in_(of_2013.scalar_subquery()),
        )
        .values(more_than=True)
    )


def downgrade() -> None:
    """Drop ``more_than`` (the figure reads « 300 » again)."""
    with op.batch_alter_table("event_figures") as batch:
        batch.drop_column("more_than")
