"""Everything networking keeps that names one member, for the RGPD export and erasure."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, or_
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import OutboxMessage
from storage.repositories.networking import ProfileRepository
from storage.repositories.networking_introductions import (
    BlockRepository,
    IntroductionRepository,
    ReportRepository,
)


class NetworkingPrivacyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self.profiles = ProfileRepository(session)
        self.introductions = IntroductionRepository(session)
        self.blocks = BlockRepository(session)
        self.reports = ReportRepository(session)

    async def erase(self, member_id: int) -> None:
        """The profile, every introduction, relay log, block and report naming the member, and
        every outbox row those planned (to anyone: a request carries the requester's card)."""
        intro_ids = await self.introductions.delete_naming(member_id)
        report_ids = await self.reports.naming(member_id)
        await self._delete_outbox(
            [f"networking:{i}:" for i in intro_ids]
            + [f"networking:report:{i}" for i in report_ids]
        )
        await self.reports.delete_naming(member_id)
        await self.blocks.delete_naming(member_id)
        await self.profiles.delete(member_id)

    async def _delete_outbox(self, prefixes: Sequence[str]) -> None:
        for start in range(0, len(prefixes), 200):
            chunk = prefixes[start : start + 200]
            await self._session.execute(
                delete(OutboxMessage).where(
                    or_(*(OutboxMessage.purpose.startswith(p, autoescape=True) for p in chunk))
                )
            )
