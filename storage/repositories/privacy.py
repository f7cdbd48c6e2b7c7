"""Rows about one member, for the RGPD export and erasure."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Base,
    ConversationState,
    Innovation,
    Member,
    MemberMessage,
    Proposal,
    ProposalEvent,
)


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


class MemberMessageRepository:
    """The bot's messages to others that show a member's data (``MemberMessage``)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def remember(
        self, member_id: int, chat_id: int, message_id: int, kind: str, submission_id: int
    ) -> None:
        self._session.add(
            MemberMessage(
                member_id=member_id,
                chat_id=chat_id,
                message_id=message_id,
                kind=kind,
                submission_id=submission_id,
            )
        )
        await self._session.flush()

    async def release(self, member_id: int) -> int:
        """The member is erased: their messages are to scrub, and name them no more."""
        result = await self._session.execute(
            update(MemberMessage)
            .where(MemberMessage.member_id == member_id)
            .values(member_id=None, scrub=True)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def to_scrub(self, limit: int) -> list[MemberMessage]:
        query = select(MemberMessage).where(MemberMessage.scrub.is_(True))
        return list(await self._session.scalars(query.order_by(MemberMessage.id).limit(limit)))

    async def scrubbed(self, ids: list[int]) -> None:
        await self._session.execute(delete(MemberMessage).where(MemberMessage.id.in_(ids)))


def _parts(key: str) -> list[object]:
    parts = json.loads(key)
    return parts if isinstance(parts, list) else [parts]
