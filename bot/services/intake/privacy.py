"""What the intake journal exports and erases for a member: updates not yet handled.

Handled rows name nobody (only their ``update_id`` and times stay, to recognise a second
delivery); a waiting row keeps who sent it until it is handled.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import utcnow
from storage.repositories.intake import IntakeRepository


async def export_intake(session: AsyncSession, telegram_id: int) -> list[dict[str, Any]]:
    """The member's updates waiting to be handled (the one asking for the export included)."""
    rows = await IntakeRepository(session).of_member(telegram_id)
    return [{"update_id": row.update_id, "received_at": row.received_at} for row in rows]


async def erase_intake(session: AsyncSession, telegram_id: int) -> None:
    """Waiting updates lose their sender and content (and count as done)."""
    await IntakeRepository(session).forget_member(telegram_id, utcnow())
