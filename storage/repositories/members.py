"""Member rows."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Member


class MemberRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, telegram_id: int) -> Member | None:
        return await self._session.get(Member, telegram_id)

    async def upsert_seen(
        self,
        *,
        telegram_id: int,
        first_name: str,
        last_name: str,
        username: str,
        telegram_language: str,
        seen_at: datetime,
    ) -> Member:
        member = await self.get(telegram_id)
        if member is None:
            member = Member(telegram_id=telegram_id, created_at=seen_at)
            self._session.add(member)
        member.first_name = first_name
        member.last_name = last_name
        member.username = username
        member.telegram_language = telegram_language
        member.last_seen_at = seen_at
        member.is_reachable = True
        await self._session.flush()
        return member

    async def set_language(self, telegram_id: int, language: str) -> None:
        await self._session.execute(
            update(Member).where(Member.telegram_id == telegram_id).values(language=language)
        )

    async def toggle_announcements(self, telegram_id: int) -> bool:
        """Accept or refuse /annonce; True when the member now accepts (False if unknown)."""
        member = await self.get(telegram_id)
        if member is None:
            return False
        member.opt_in_announcements = not member.opt_in_announcements
        await self._session.flush()
        return member.opt_in_announcements

    async def mark_unreachable(self, telegram_id: int) -> None:
        await self._session.execute(
            update(Member).where(Member.telegram_id == telegram_id).values(is_reachable=False)
        )
