"""Catalogue rows: events, figures, follow-ups, labs, innovations."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Event, EventFigure, EventFollowUp, Innovation, Lab, Member


class CatalogueRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def counts(self) -> dict[str, int]:
        """How many labs, events, approved innovations and members."""
        result: dict[str, int] = {}
        for name, model in (("labs", Lab), ("events", Event), ("members", Member)):
            result[name] = int(
                await self._session.scalar(select(func.count()).select_from(model)) or 0
            )
        result["innovations"] = int(
            await self._session.scalar(
                select(func.count()).select_from(Innovation).where(Innovation.status == "approved")
            )
            or 0
        )
        return result

    async def labs(self) -> list[Lab]:
        return list(await self._session.scalars(select(Lab).order_by(Lab.position, Lab.id)))

    async def events(self) -> list[Event]:
        return list(await self._session.scalars(select(Event).order_by(Event.starts_at)))

    async def event_by_slug(self, slug: str) -> Event | None:
        return await self._session.scalar(select(Event).where(Event.slug == slug))

    async def figures(self, event_id: int) -> list[EventFigure]:
        query = (
            select(EventFigure)
            .where(EventFigure.event_id == event_id)
            .order_by(EventFigure.position)
        )
        return list(await self._session.scalars(query))

    async def follow_ups(self, event_id: int) -> list[EventFollowUp]:
        query = (
            select(EventFollowUp)
            .where(EventFollowUp.event_id == event_id)
            .order_by(EventFollowUp.position)
        )
        return list(await self._session.scalars(query))
