"""Rows about one member, for the RGPD export and erasure."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Base, ConversationState, Innovation, Member, Proposal, ProposalEvent


class PrivacyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def member(self, telegram_id: int) -> Member | None:
        return await self._session.get(Member, telegram_id)

    async def delete_member(self, telegram_id: int) -> None:
        await self._session.execute(delete(Member).where(Member.telegram_id == telegram_id))

    async def conversations(self, telegram_id: int) -> list[ConversationState]:
        """Stored dialogue states whose key names the member."""
        rows = await self._session.scalars(select(ConversationState))
        return [row for row in rows if telegram_id in _parts(row.key)]

    async def rows_by_member_id(
        self, member_id: int, *, exclude: set[str]
    ) -> dict[str, list[dict[str, Any]]]:
        """Rows of every table with a ``member_id`` column (but ``exclude``), by table."""
        found: dict[str, list[dict[str, Any]]] = {}
        for table in Base.metadata.sorted_tables:
            if table.name in exclude or "member_id" not in table.c:
                continue
            result = await self._session.execute(
                select(table).where(table.c.member_id == member_id)
            )
            rows = [dict(row._mapping) for row in result]
            if rows:
                found[table.name] = rows
        return found

    async def proposals(self, member_id: int) -> list[Proposal]:
        query = select(Proposal).where(Proposal.member_id == member_id)
        return list(await self._session.scalars(query.order_by(Proposal.id)))

    async def events_of(self, submission_ids: list[int]) -> list[ProposalEvent]:
        query = select(ProposalEvent).where(ProposalEvent.submission_id.in_(submission_ids))
        return list(await self._session.scalars(query.order_by(ProposalEvent.id)))

    async def delete_unpublished(self, member_id: int) -> None:
        await self._session.execute(
            delete(Proposal).where(Proposal.member_id == member_id, Proposal.status != "published")
        )

    async def anonymise_published(self, member_id: int) -> None:
        """Published proposals stay, without their author or private contact."""
        ids = select(Proposal.id).where(Proposal.member_id == member_id)
        # The member's own answers to moderators may hold personal details: blank them.
        await self._session.execute(
            update(ProposalEvent)
            .where(ProposalEvent.submission_id.in_(ids), ProposalEvent.action == "answered")
            .values(detail="")
        )
        await self._session.execute(
            update(Proposal)
            .where(Proposal.member_id == member_id)
            .values(member_id=None, contact="", contact_public=None, language="")
        )

    async def forget_actor(self, telegram_id: int) -> None:
        """The audit trail keeps what was done, not by whom, once that person is erased."""
        await self._session.execute(
            update(ProposalEvent)
            .where(ProposalEvent.actor_id == telegram_id)
            .values(actor_id=None)
        )
        for column in (Proposal.decided_by, Proposal.prompt_by):
            await self._session.execute(
                update(Proposal).where(column == telegram_id).values({column.key: None})
            )
        await self._session.execute(
            update(Innovation)
            .where(Innovation.submitted_by == telegram_id)
            .values(submitted_by=None)
        )


def _parts(key: str) -> list[object]:
    parts = json.loads(key)
    return parts if isinstance(parts, list) else [parts]
