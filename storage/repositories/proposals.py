"""Proposals, their audit trail, and what duplicate detection and moderation look up."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import case, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Innovation, Lab, Proposal, ProposalEvent, utcnow


class ProposalRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, submission_id: int) -> Proposal | None:
        return await self._session.get(Proposal, submission_id)

    async def fresh(self, submission_id: int) -> Proposal | None:
        """The row as the database has it now (after a conditional update)."""
        return await self._session.get(Proposal, submission_id, populate_existing=True)

    async def decide(
        self, submission_id: int, status: str, moderator_id: int, reason: str, at: datetime
    ) -> bool:
        """Publish or refuse if still pending, in one conditional UPDATE: True for the one
        decision that applies (a concurrent one waits for the row, then matches nothing)."""
        return await self._if_pending(
            submission_id,
            status=status,
            reason=reason,
            decided_by=moderator_id,
            decided_at=at,
            question="",
            answering=False,
            # The decider's own prompt ends; a colleague's stays, to tell them who decided.
            prompt_by=case((Proposal.prompt_by == moderator_id, None), else_=Proposal.prompt_by),
        )

    async def hold_prompt(
        self, submission_id: int, moderator_id: int, kind: str, at: datetime, stale: datetime
    ) -> bool:
        """The moderator will type a reason or question, unless a colleague is typing one
        (since after ``stale``) or the proposal was decided; one prompt per moderator."""
        await self._session.execute(
            update(Proposal)
            .where(Proposal.prompt_by == moderator_id, Proposal.id != submission_id)
            .values(prompt_by=None, prompt_kind="")
            .execution_options(synchronize_session=False)
        )
        free = or_(
            Proposal.prompt_by.is_(None),
            Proposal.prompt_by == moderator_id,
            Proposal.updated_at < stale,
        )
        return await self._if_pending(
            submission_id, free, prompt_by=moderator_id, prompt_kind=kind, updated_at=at
        )

    async def ask(self, submission_id: int, moderator_id: int, question: str) -> bool:
        """Record the moderator's question if still pending and still theirs to ask."""
        return await self._if_pending(
            submission_id,
            Proposal.prompt_by == moderator_id,
            question=question,
            prompt_by=None,
            prompt_kind="",
        )

    async def release_prompt(self, submission_id: int, moderator_id: int) -> None:
        await self._session.execute(
            update(Proposal)
            .where(Proposal.id == submission_id, Proposal.prompt_by == moderator_id)
            .values(prompt_by=None, prompt_kind="")
            .execution_options(synchronize_session=False)
        )

    async def _if_pending(self, submission_id: int, *also: Any, **values: Any) -> bool:
        result = await self._session.execute(
            update(Proposal)
            .where(Proposal.id == submission_id, Proposal.status == "pending", *also)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0) or 0) == 1

    async def draft_of(self, member_id: int) -> Proposal | None:
        """The member's newest draft (there is at most one in practice)."""
        query = (
            select(Proposal)
            .where(Proposal.member_id == member_id, Proposal.status == "draft")
            .order_by(Proposal.id.desc())
            .limit(1)
        )
        return await self._session.scalar(query)

    async def add_draft(self, member_id: int, language: str, step: str) -> Proposal:
        row = Proposal(member_id=member_id, language=language, step=step, status="draft")
        self._session.add(row)
        await self._session.flush()
        return row

    async def delete_drafts(self, member_id: int) -> int:
        result = await self._session.execute(
            delete(Proposal).where(Proposal.member_id == member_id, Proposal.status == "draft")
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def pending(self) -> list[Proposal]:
        """Proposals waiting for a decision, oldest first."""
        query = (
            select(Proposal)
            .where(Proposal.status == "pending")
            .order_by(Proposal.sent_at, Proposal.id)
        )
        return list(await self._session.scalars(query))

    async def prompted_by(self, moderator_id: int) -> Proposal | None:
        """The proposal the moderator is typing a reason or question for (even if a colleague
        decided it meanwhile: the moderator is then told who)."""
        query = (
            select(Proposal)
            .where(Proposal.prompt_by == moderator_id)
            .order_by(Proposal.updated_at.desc())
            .limit(1)
        )
        return await self._session.scalar(query)

    async def answering_for(self, member_id: int) -> Proposal | None:
        query = (
            select(Proposal)
            .where(Proposal.member_id == member_id, Proposal.answering.is_(True))
            .order_by(Proposal.updated_at.desc())
            .limit(1)
        )
        return await self._session.scalar(query)

    async def stop_answering(self, member_id: int) -> None:
        await self._session.execute(
            update(Proposal).where(Proposal.member_id == member_id).values(answering=False)
        )

    async def of_member(self, member_id: int) -> list[Proposal]:
        query = select(Proposal).where(Proposal.member_id == member_id)
        return list(await self._session.scalars(query.order_by(Proposal.id)))

    async def log(
        self, submission_id: int, action: str, actor_id: int | None, detail: str = ""
    ) -> None:
        self._session.add(
            ProposalEvent(
                submission_id=submission_id,
                actor_id=actor_id,
                action=action,
                detail=detail,
                at=utcnow(),
            )
        )
        await self._session.flush()

    async def events(self, submission_id: int) -> list[ProposalEvent]:
        query = select(ProposalEvent).where(ProposalEvent.submission_id == submission_id)
        return list(await self._session.scalars(query.order_by(ProposalEvent.id)))

    async def events_by(self, actor_id: int) -> list[ProposalEvent]:
        query = select(ProposalEvent).where(ProposalEvent.actor_id == actor_id)
        return list(await self._session.scalars(query.order_by(ProposalEvent.id)))

    async def lab_themes(self) -> list[tuple[int, str]]:
        """(lab id, theme) of the first lab of each distinct theme, in the labs' order."""
        seen: set[str] = set()
        themes: list[tuple[int, str]] = []
        for lab in await self._session.scalars(select(Lab).order_by(Lab.position, Lab.id)):
            if lab.theme and lab.theme not in seen:
                seen.add(lab.theme)
                themes.append((lab.id, lab.theme))
        return themes

    async def lab_theme_texts(self) -> list[tuple[str, str, str]]:
        """(theme, title, outcome) of every lab with a theme, to file a typed theme."""
        query = select(Lab.theme, Lab.title, Lab.outcome).where(Lab.theme != "")
        rows = await self._session.execute(query.order_by(Lab.position, Lab.id))
        return [(r[0], r[1], r[2]) for r in rows]

    async def lab_theme(self, lab_id: int) -> str | None:
        lab = await self._session.get(Lab, lab_id)
        return lab.theme if lab is not None and lab.theme else None

    async def innovation_texts(self) -> list[tuple[int, str, str, str]]:
        """(id, title, summary, commune) of every approved innovation."""
        query = select(Innovation.id, Innovation.title, Innovation.summary, Innovation.commune)
        rows = await self._session.execute(query.where(Innovation.status == "approved"))
        return [(r[0], r[1], r[2], r[3]) for r in rows]

    async def add_innovation(self, innovation: Innovation) -> Innovation:
        self._session.add(innovation)
        await self._session.flush()
        return innovation
