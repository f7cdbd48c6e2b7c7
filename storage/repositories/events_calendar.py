"""Queries of calendar feeds: members' private tokens and the events each feed lists."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Event, EventCalendarFeed, Member, Rsvp
from storage.repositories.events import COMING


class CalendarFeedRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def token_of(self, member_id: int) -> str | None:
        row = await self._session.get(EventCalendarFeed, member_id)
        return None if row is None else row.token

    async def add_token(self, member_id: int, token: str) -> None:
        """The member's first token (IntegrityError if another request made one meanwhile)."""
        self._session.add(EventCalendarFeed(member_id=member_id, token=token))
        await self._session.flush()

    async def replace_token(self, member_id: int, token: str) -> None:
        """A new token for the member (the old one then opens nothing), made if none yet."""
        row = await self._session.get(EventCalendarFeed, member_id)
        if row is None:
            await self.add_token(member_id, token)
        else:
            row.token = token
            await self._session.flush()

    async def member_of(self, token: str) -> int | None:
        query = select(EventCalendarFeed.member_id).where(EventCalendarFeed.token == token)
        return await self._session.scalar(query)

    async def language_of(self, member_id: int) -> tuple[str, str]:
        """(chosen language, Telegram language) of the member; empty when unknown."""
        query = select(Member.language, Member.telegram_language).where(
            Member.telegram_id == member_id
        )
        row = (await self._session.execute(query)).first()
        return ("", "") if row is None else (row[0] or "", row[1] or "")

    async def events_since(self, since: datetime, limit: int) -> list[Event]:
        """Every event starting from ``since`` (cancelled ones too), soonest first."""
        query = select(Event).where(Event.starts_at >= since).order_by(Event.starts_at, Event.id)
        return list(await self._session.scalars(query.limit(limit)))

    async def coming_since(self, member_id: int, since: datetime, limit: int) -> list[Event]:
        """The events from ``since`` the member said « Je viens » to (cancelled ones too)."""
        query = (
            select(Event)
            .join(Rsvp, Rsvp.event_id == Event.id)
            .where(Rsvp.member_id == member_id, Rsvp.answer == COMING)
            .where(Event.starts_at >= since)
            .order_by(Event.starts_at, Event.id)
        )
        return list(await self._session.scalars(query.limit(limit)))
