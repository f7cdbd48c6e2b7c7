"""Open-data queries: the published (approved) innovations, all or changed since a moment."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Innovation

APPROVED = Innovation.status == "approved"
# What open data may show; never ``submitted_by`` (a member) nor the moderation status.
OPEN_COLUMNS = (
    Innovation.id,
    Innovation.title,
    Innovation.summary,
    Innovation.theme,
    Innovation.commune,
    Innovation.departement,
    Innovation.latitude,
    Innovation.longitude,
    Innovation.organisation,
    Innovation.website,
    Innovation.updated_at,
)


class OpenDataRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def published(self, since: datetime | None = None) -> list[Any]:
        """The open columns of approved innovations by id (updated at or after ``since``).

        Plain rows, not ORM objects: a 10,000-item export is three times faster this way.
        """
        query = select(*OPEN_COLUMNS).where(APPROVED)
        if since is not None:
            query = query.where(Innovation.updated_at >= since)
        return list(await self._session.execute(query.order_by(Innovation.id)))

    async def fingerprint(self) -> tuple[Any, ...]:
        """Changes whenever the published set or one of its items does: how many, the latest
        change, the sum of the ids (one removed and another added between two reads)."""
        query = select(func.count(), func.max(Innovation.updated_at), func.sum(Innovation.id))
        row = (await self._session.execute(query.where(APPROVED))).one()
        return tuple(row)

    async def editable(self) -> list[Innovation]:
        """Every approved innovation, as rows an import may change."""
        query = select(Innovation).where(APPROVED).order_by(Innovation.id)
        return list(await self._session.scalars(query))

    async def add(self, innovation: Innovation) -> None:
        self._session.add(innovation)
        await self._session.flush()
