"""Catalogue-wide queries (browsing the catalogue lives in storage/repositories/answers.py)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Event, Innovation, Lab, Member


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
