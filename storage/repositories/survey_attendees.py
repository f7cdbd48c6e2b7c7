"""Who came to an event (RSVP "yes", from the Meetings feature) and which language they read."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Member, Rsvp


class AttendeeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def came(self, event_id: int) -> list[int]:
        query = (
            select(Rsvp.member_id)
            .where(Rsvp.event_id == event_id, Rsvp.answer == "yes")
            .order_by(Rsvp.member_id)
        )
        return list(await self._session.scalars(query))

    async def languages(self, member_ids: Sequence[int]) -> dict[int, tuple[str, str]]:
        """(chosen language, Telegram's language) of each member."""
        query = select(Member.telegram_id, Member.language, Member.telegram_language).where(
            Member.telegram_id.in_(list(member_ids))
        )
        rows = await self._session.execute(query)
        return {member_id: (chosen, telegram) for member_id, chosen, telegram in rows}
