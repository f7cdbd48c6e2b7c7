"""Networking profiles: read and write one member's profile, with its labs and themes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Row, Select, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Innovation, Lab, Member, Profile, ProfileLab, ProfileTheme, Proposal


class ProfileRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, member_id: int) -> Profile | None:
        return await self._session.get(Profile, member_id)

    async def get_or_add(self, member_id: int) -> Profile:
        """The member's profile, created empty and invisible if they had none."""
        profile = await self.get(member_id)
        if profile is None:
            profile = Profile(member_id=member_id, contact="relay", visible=False, hidden="")
            self._session.add(profile)
            await self._session.flush()
        return profile

    async def many(self, member_ids: Iterable[int]) -> list[Profile]:
        ids = list(dict.fromkeys(member_ids))
        if not ids:
            return []
        query = select(Profile).where(Profile.member_id.in_(ids)).order_by(Profile.member_id)
        return list(await self._session.scalars(query))

    async def visible(self) -> list[Row[Any]]:
        """Every profile its owner turned visible in the directory, as plain rows (read for
        every directory search: rows cost a fifth of ORM objects to build)."""
        columns = Profile.__table__.columns
        query = select(*columns).where(Profile.visible.is_(True)).order_by(Profile.member_id)
        return list(await self._session.execute(query))

    async def labs_of(self, member_ids: Sequence[int] | None) -> dict[int, list[tuple[int, str]]]:
        """(lab id, title) of each member's labs, in the catalogue's order (None: of every
        visible profile, without a list of ids to bind)."""
        if member_ids is not None and not member_ids:
            return {}
        query = (
            select(ProfileLab.member_id, Lab.id, Lab.title)
            .join(Lab, Lab.id == ProfileLab.lab_id)
            .where(ProfileLab.member_id.in_(_ids_or_visible(member_ids)))
            .order_by(Lab.position, Lab.id)
        )
        found: dict[int, list[tuple[int, str]]] = {}
        for member_id, lab_id, title in await self._session.execute(query):
            found.setdefault(member_id, []).append((lab_id, title))
        return found

    async def themes_of(self, member_ids: Sequence[int] | None) -> dict[int, list[str]]:
        """Each member's themes (None: of every visible profile)."""
        if member_ids is not None and not member_ids:
            return {}
        query = (
            select(ProfileTheme.member_id, ProfileTheme.theme)
            .where(ProfileTheme.member_id.in_(_ids_or_visible(member_ids)))
            .order_by(ProfileTheme.theme)
        )
        found: dict[int, list[str]] = {}
        for member_id, theme in await self._session.execute(query):
            found.setdefault(member_id, []).append(theme)
        return found

    async def toggle_lab(self, member_id: int, lab_id: int) -> None:
        row = await self._session.get(ProfileLab, (member_id, lab_id))
        if row is None:
            self._session.add(ProfileLab(member_id=member_id, lab_id=lab_id))
        else:
            await self._session.delete(row)
        await self._session.flush()

    async def toggle_theme(self, member_id: int, theme: str) -> None:
        row = await self._session.get(ProfileTheme, (member_id, theme))
        if row is None:
            self._session.add(ProfileTheme(member_id=member_id, theme=theme))
        else:
            await self._session.delete(row)
        await self._session.flush()

    async def innovation_contact(self, innovation_id: int) -> int | None:
        """The member who proposed an approved innovation, if they made their contact public
        in the proposal (otherwise the card never says who proposed it)."""
        query = (
            select(Innovation.submitted_by)
            .join(Proposal, Proposal.innovation_id == Innovation.id)
            .where(Innovation.id == innovation_id, Innovation.status == "approved")
            .where(Proposal.member_id == Innovation.submitted_by)
            .where(Proposal.contact_public.is_(True))
            .limit(1)
        )
        found: int | None = await self._session.scalar(query)
        return found

    async def username(self, member_id: int) -> str:
        """The member's Telegram @username as last seen ("" when they have none)."""
        member = await self._session.get(Member, member_id)
        return member.username if member is not None else ""

    async def language(self, member_id: int) -> tuple[str, str]:
        """(chosen language, Telegram's language) of a member, to write to them."""
        member = await self._session.get(Member, member_id)
        return ("", "") if member is None else (member.language, member.telegram_language)

    async def delete(self, member_id: int) -> None:
        for model in (ProfileLab, ProfileTheme):
            await self._session.execute(delete(model).where(model.member_id == member_id))
        await self._session.execute(delete(Profile).where(Profile.member_id == member_id))


def _ids_or_visible(member_ids: Sequence[int] | None) -> Select[int] | list[int]:
    if member_ids is None:
        return select(Profile.member_id).where(Profile.visible.is_(True))
    return list(member_ids)
