"""Catalogue queries: labs, approved innovations and FAQ entries by pages, and counts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Event, FaqEntry, Innovation, Lab, Member

APPROVED = Innovation.status == "approved"


class CatalogueRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def _page(
        self, query: Select[int, str], offset: int, limit: int
    ) -> tuple[list[Any], int]:
        total = await self._session.scalar(select(func.count()).select_from(query.subquery()))
        rows = list(await self._session.execute(query.offset(offset).limit(limit)))
        return rows, int(total or 0)

    async def labs(self, offset: int, limit: int) -> tuple[list[Any], int]:
        """(id, title) of labs in the order of the collection."""
        query = select(Lab.id, Lab.title).order_by(Lab.position, Lab.id)
        return await self._page(query, offset, limit)

    async def lab_ids(self) -> list[int]:
        return list(await self._session.scalars(select(Lab.id).order_by(Lab.position, Lab.id)))

    async def lab(self, lab_id: int) -> Lab | None:
        return await self._session.get(Lab, lab_id)

    async def lab_by_slug(self, slug: str) -> Lab | None:
        return await self._session.scalar(select(Lab).where(Lab.slug == slug))

    async def innovations_of_lab(self, lab_id: int) -> list[Any]:
        query = select(Innovation.id, Innovation.title).where(
            APPROVED, Innovation.lab_id == lab_id
        )
        return list(await self._session.execute(query.order_by(Innovation.title).limit(20)))

    async def themes(self) -> list[str]:
        """Themes of approved innovations, alphabetical."""
        query = select(Innovation.theme).where(APPROVED, Innovation.theme != "").distinct()
        return sorted(await self._session.scalars(query))

    async def innovations(
        self, *, theme: str | None, departement: str | None, offset: int, limit: int
    ) -> tuple[list[Any], int]:
        """(id, title) of approved innovations of a theme or a département, by title."""
        query = select(Innovation.id, Innovation.title).where(APPROVED)
        if theme is not None:
            query = query.where(Innovation.theme == theme)
        if departement is not None:
            query = query.where(Innovation.departement == departement)
        return await self._page(query.order_by(Innovation.title, Innovation.id), offset, limit)

    async def innovation(self, innovation_id: int) -> Innovation | None:
        found = await self._session.get(Innovation, innovation_id)
        return found if found is not None and found.status == "approved" else None

    async def faq(self, faq_id: int) -> FaqEntry | None:
        return await self._session.get(FaqEntry, faq_id)

    async def faq_entries(self) -> list[FaqEntry]:
        """Every FAQ entry, in the catalogue's order."""
        query = select(FaqEntry).order_by(FaqEntry.position, FaqEntry.id)
        return list(await self._session.scalars(query))

    async def located(
        self, south: float, north: float, west: float, east: float, limit: int
    ) -> list[Any]:
        """(id, title, commune, latitude, longitude) of approved innovations in a box."""
        query = select(
            Innovation.id, Innovation.title, Innovation.commune,
            Innovation.latitude, Innovation.longitude,
        ).where(
            APPROVED,
            Innovation.latitude.between(south, north),
            Innovation.longitude.between(west, east),
        )  # fmt: skip
        return list(await self._session.execute(query.limit(limit)))

    async def communes_without_coordinates(self) -> list[str]:
        query = select(Innovation.commune).where(
            APPROVED, Innovation.latitude.is_(None), Innovation.commune != ""
        )
        return list(await self._session.scalars(query.distinct()))

    async def in_communes(self, communes: Sequence[str], limit: int) -> list[Any]:
        """(id, title, commune) of approved innovations without coordinates in these communes."""
        query = select(Innovation.id, Innovation.title, Innovation.commune).where(
            APPROVED, Innovation.latitude.is_(None), Innovation.commune.in_(communes)
        )
        return list(await self._session.execute(query.limit(limit)))

    async def counts(self) -> dict[str, int]:
        """How many labs, events (cancelled ones left out), approved innovations and members."""
        result: dict[str, int] = {}
        for name, model in (("labs", Lab), ("members", Member)):
            result[name] = int(
                await self._session.scalar(select(func.count()).select_from(model)) or 0
            )
        held = select(func.count()).select_from(Event).where(Event.cancelled_at.is_(None))
        result["events"] = int(await self._session.scalar(held) or 0)
        result["innovations"] = int(
            await self._session.scalar(
                select(func.count()).select_from(Innovation).where(Innovation.status == "approved")
            )
            or 0
        )
        return result
