"""Who came to an event (the events' RSVPs), their language, and who was invited already."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Member, OutboxMessage, Rsvp


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

    async def invitation_left(self, purpose_prefix: str) -> set[int]:
        """Chats an invitation already left for (or was refused for): every state but
        pending and cancelled, in the delivery outbox."""
        query = select(OutboxMessage.chat_id).where(
            OutboxMessage.purpose.startswith(purpose_prefix, autoescape=True),
            OutboxMessage.state.not_in(("pending", "cancelled")),
        )
        return set(await self._session.scalars(query))

    async def languages(self, member_ids: Sequence[int]) -> dict[int, tuple[str, str]]:
        """(chosen language, Telegram's language) of each member."""
        query = select(Member.telegram_id, Member.language, Member.telegram_language).where(
            Member.telegram_id.in_(list(member_ids))
        )
        rows = await self._session.execute(query)
        return {member_id: (chosen, telegram) for member_id, chosen, telegram in rows}
