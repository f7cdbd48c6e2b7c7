"""The lease row of ha mode (``storage/models/leadership.py``): who leads, since when."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import LeaderLease

LEASE_NAME = "bot"


class LeadershipRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def current(self, name: str = LEASE_NAME) -> LeaderLease | None:
        """The lease row as stored (expired or not), or None before any instance led."""
        return await self._session.get(LeaderLease, name)
