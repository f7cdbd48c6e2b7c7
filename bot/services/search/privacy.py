"""What search exports and erases for a member: the searches kept for their "more" button."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from storage.repositories.search_privacy import SearchPrivacyRepository


async def export_searches(session: AsyncSession, telegram_id: int) -> list[dict[str, Any]]:
    """The member's saved searches (the text they typed, and when)."""
    rows = await SearchPrivacyRepository(session).saved(telegram_id)
    return [{"query": row.query, "at": row.created_at} for row in rows]


async def erase_searches(session: AsyncSession, telegram_id: int) -> None:
    """Saved searches are deleted (an old "more" button then answers like an unknown one)."""
    await SearchPrivacyRepository(session).delete_saved(telegram_id)
