"""Stored dialogue states, and organisers' drafts of events and announcements."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ConversationState, OrganiserDraft, utcnow


class ConversationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def all_for(self, name: str) -> list[ConversationState]:
        query = select(ConversationState).where(ConversationState.name == name)
        return list(await self._session.scalars(query))

    async def put(self, name: str, key: str, state: str) -> None:
        row = await self._session.get(ConversationState, (name, key))
        if row is None:
            self._session.add(ConversationState(name=name, key=key, state=state))
        else:
            row.state = state
        await self._session.flush()

    async def remove(self, name: str, key: str) -> None:
        await self._session.execute(
            delete(ConversationState).where(
                ConversationState.name == name, ConversationState.key == key
            )
        )

    async def remove_containing(self, part: int) -> None:
        """Drop every dialogue whose key contains this chat or user id (RGPD erasure)."""
        for row in await self._session.scalars(select(ConversationState)):
            if part in _parts(row.key):
                await self._session.delete(row)


def _parts(key: str) -> list[object]:
    parts = json.loads(key)
    return parts if isinstance(parts, list) else [parts]


class OrganiserDraftRepository:
    """What an organiser has typed so far in /nouvel_evenement or /annonce, one row per kind."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, member_id: int, kind: str) -> dict[str, Any]:
        row = await self._session.get(OrganiserDraft, (member_id, kind))
        return {} if row is None else dict(json.loads(row.data))

    async def save(self, member_id: int, kind: str, data: dict[str, Any]) -> None:
        row = await self._session.get(OrganiserDraft, (member_id, kind))
        body = json.dumps(data, ensure_ascii=False)
        if row is None:
            self._session.add(OrganiserDraft(member_id=member_id, kind=kind, data=body))
        else:
            row.data = body
            row.updated_at = utcnow()
        await self._session.flush()

    async def take(self, member_id: int, kind: str) -> dict[str, Any] | None:
        """The draft, deleted by one ``DELETE … RETURNING``: of two takers at the same moment
        (a double press, two processes) exactly one gets it, the other None."""
        found = await self._session.execute(
            delete(OrganiserDraft)
            .where(OrganiserDraft.member_id == member_id, OrganiserDraft.kind == kind)
            .returning(OrganiserDraft.data)
            .execution_options(synchronize_session=False)
        )
        data = found.scalar()
        return None if data is None else dict(json.loads(data))

    async def drop(self, member_id: int, kind: str) -> None:
        row = await self._session.get(OrganiserDraft, (member_id, kind))
        if row is not None:
            await self._session.delete(row)
            await self._session.flush()
