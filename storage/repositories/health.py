"""What the health endpoints and /metrics read: open outbox rows and waiting updates.

Every query here rides an index (``ix_outbox_state_due``, ``ix_inbound_updates_pending``), so
a scrape every few seconds stays cheap however many rows years of sends leave in the outbox.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import InboundUpdate, OutboxMessage

# Outbox states that still need something: to be sent, in flight, or a human's look (doubt).
OPEN_STATES = ("pending", "sending", "doubt")


class HealthRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def outbox_open(self) -> dict[str, int]:
        """Rows per open state (every open state present, 0 when none)."""
        query = (
            select(OutboxMessage.state, func.count())
            .where(OutboxMessage.state.in_(OPEN_STATES))
            .group_by(OutboxMessage.state)
        )
        counts = dict.fromkeys(OPEN_STATES, 0)
        for state, count in await self._session.execute(query):
            counts[state] = count
        return counts

    async def outbox_first_due(self) -> datetime | None:
        """When the pending row due first is due (None: nothing pending)."""
        return await self._session.scalar(
            select(func.min(OutboxMessage.due_at)).where(OutboxMessage.state == "pending")
        )

    async def intake_waiting(self) -> tuple[int, datetime | None]:
        """Updates journaled and not done, and when the oldest of them arrived."""
        row = (
            await self._session.execute(
                select(func.count(), func.min(InboundUpdate.received_at)).where(
                    InboundUpdate.done_at.is_(None)
                )
            )
        ).one()
        return int(row[0]), row[1]
