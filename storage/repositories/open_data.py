"""Open-data queries: the published (approved) innovations, all or changed since a moment."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Innovation


class OpenDataRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def published(self, since: datetime | None = None) -> list[Innovation]:
        """Approved innovations by id, those updated at or after ``since`` when given."""
        query = select(Innovation).where(Innovation.status == "approved")
        if since is not None:
            query = query.where(Innovation.updated_at >= since)
        return list(await self._session.scalars(query.order_by(Innovation.id)))

    async def add(self, innovation: Innovation) -> None:
        self._session.add(innovation)
        await self._session.flush()
