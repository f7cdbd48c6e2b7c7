"""Saved searches of one member, for the RGPD export and erasure."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import SavedSearch


class SearchPrivacyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def saved(self, member_id: int) -> list[SavedSearch]:
        query = select(SavedSearch).where(SavedSearch.member_id == member_id)
        return list(await self._session.scalars(query.order_by(SavedSearch.id)))

    async def delete_saved(self, member_id: int) -> None:
        await self._session.execute(delete(SavedSearch).where(SavedSearch.member_id == member_id))
