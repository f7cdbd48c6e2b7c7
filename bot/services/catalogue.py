"""Read-only views of the catalogue shared by several features (counts for /stats)."""

from __future__ import annotations

from storage.db import Sessions
from storage.repositories.catalogue import CatalogueRepository


class CatalogueService:
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    async def counts(self) -> dict[str, int]:
        """Labs, events and approved innovations in the catalogue."""
        async with self._sessions() as session:
            return await CatalogueRepository(session).counts()
