"""Moderation of proposals: publish, refuse with a reason, ask the member a question.

Every decision is checked here against the submission's status, so a replayed or forged button
changes nothing (the caller logs it); who may moderate is checked by the handlers' guard.
Publishing creates the ``innovations`` row (status ``approved``): search, the catalogue and inline
results see it at once (the search index follows that table by triggers). The audit trail
(``submission_events``) records who submitted, who decided, when, and why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.proposals.views import DraftView, view
from storage.db import Sessions
from storage.models import Innovation, Member, Proposal, utcnow
from storage.repositories.proposals import ProposalRepository

REASON_CODES = ("outside", "not_ess", "duplicate", "incomplete")
CODE_PREFIX = "@"  # a reason chosen from the buttons is stored as "@<code>", typed ones as text


@dataclass(frozen=True)
class AuditLine:
    actor_id: int | None
    action: str
    detail: str
    at: datetime


@dataclass(frozen=True)
class Card:
    """What the moderators' card shows: the proposal, its author and its history."""

    proposal: DraftView
    author: str
    trail: tuple[AuditLine, ...]


class ModerationService:
    """The moderators' side of proposals."""

    def __init__(self, sessions: Sessions, clock: Callable[[], datetime] = utcnow) -> None:
        self._sessions = sessions
        self._clock = clock

    async def pending(self) -> list[Card]:
        """Proposals waiting for a decision, oldest first."""
        async with self._sessions() as session:
            rows = await ProposalRepository(session).pending()
            return [await self._card(session, row) for row in rows]

    async def card(self, submission_id: int) -> Card | None:
        async with self._sessions() as session:
            row = await ProposalRepository(session).get(submission_id)
            if row is None or row.status == "draft":
                return None
            return await self._card(session, row)

    async def attach_card(self, submission_id: int, chat_id: int, message_id: int) -> None:
        """Remember the card in the moderators' chat, to edit it on decision."""
        async with self._sessions.begin() as session:
            row = await ProposalRepository(session).get(submission_id)
            if row is not None:
                row.card_chat_id, row.card_message_id = chat_id, message_id

    async def publish(self, submission_id: int, moderator_id: int) -> Card | None:
        """Make the proposal a public innovation; None if it is not pending any more."""
        async with self._sessions.begin() as session:
            repo = ProposalRepository(session)
            row = await repo.get(submission_id)
            if row is None or row.status != "pending":
                return None
            innovation = await repo.add_innovation(
                Innovation(
                    title=row.name,
                    summary=row.description,
                    theme=row.theme,
                    commune=row.commune,
                    departement=row.departement,
                    latitude=row.latitude,
                    longitude=row.longitude,
                    organisation=row.organisation,
                    website=row.website,
                    status="approved",
                    submitted_by=row.member_id,
                )
            )
            row.innovation_id = innovation.id
            self._decide(row, "published", moderator_id, "")
            await repo.log(row.id, "published", moderator_id)
            return await self._card(session, row)

    async def refuse(self, submission_id: int, moderator_id: int, reason: str) -> Card | None:
        """Refuse with a reason ("@<code>" or typed text); None if not pending any more."""
        async with self._sessions.begin() as session:
            repo = ProposalRepository(session)
            row = await repo.get(submission_id)
            if row is None or row.status != "pending" or not reason.strip():
                return None
            self._decide(row, "refused", moderator_id, reason.strip())
            await repo.log(row.id, "refused", moderator_id, row.reason)
            return await self._card(session, row)

    async def start_prompt(self, submission_id: int, moderator_id: int, kind: str) -> bool:
        """The moderator will type a reason or a question for this proposal."""
        async with self._sessions.begin() as session:
            row = await ProposalRepository(session).get(submission_id)
            if row is None or row.status != "pending":
                return False
            row.prompt_by, row.prompt_kind, row.updated_at = moderator_id, kind, self._clock()
            return True

    async def complete_prompt(self, moderator_id: int, text: str) -> tuple[str, Card] | None:
        """Apply the moderator's typed reason or question: ("reason"|"question", card)."""
        async with self._sessions.begin() as session:
            repo = ProposalRepository(session)
            row = await repo.prompted_by(moderator_id)
            if row is None or not text.strip():
                return None
            kind, row.prompt_by, row.prompt_kind = row.prompt_kind, None, ""
            if kind == "reason":
                self._decide(row, "refused", moderator_id, text.strip())
                await repo.log(row.id, "refused", moderator_id, row.reason)
            else:
                kind, row.question = "question", text.strip()
                await repo.log(row.id, "asked", moderator_id, row.question)
            return kind, await self._card(session, row)

    async def cancel_prompt(self, moderator_id: int) -> None:
        async with self._sessions.begin() as session:
            row = await ProposalRepository(session).prompted_by(moderator_id)
            if row is not None:
                row.prompt_by, row.prompt_kind = None, ""

    async def start_answer(self, member_id: int, submission_id: int) -> DraftView | None:
        """The member starts typing the answer to the moderators' question."""
        async with self._sessions.begin() as session:
            repo = ProposalRepository(session)
            row = await repo.get(submission_id)
            if row is None or row.member_id != member_id or not row.question:
                return None
            await repo.stop_answering(member_id)
            row.answering = True
            return view(row)

    async def answer(self, member_id: int, text: str) -> Card | None:
        """Record the member's answer; the card shows it to the moderators."""
        async with self._sessions.begin() as session:
            repo = ProposalRepository(session)
            row = await repo.answering_for(member_id)
            if row is None:
                return None
            row.answering, row.question = False, ""
            await repo.log(row.id, "answered", member_id, text.strip()[:4000])
            return await self._card(session, row)

    async def stop_answering(self, member_id: int) -> None:
        async with self._sessions.begin() as session:
            await ProposalRepository(session).stop_answering(member_id)

    def _decide(self, row: Proposal, status: str, moderator_id: int, reason: str) -> None:
        row.status, row.reason = status, reason
        row.decided_by, row.decided_at = moderator_id, self._clock()
        row.question, row.answering, row.prompt_by = "", False, None

    async def _card(self, session: AsyncSession, row: Proposal) -> Card:
        author = ""
        if row.member_id is not None:
            member = await session.get(Member, row.member_id)
            if member is not None:
                handle = f" @{member.username}" if member.username else ""
                author = f"{member.first_name}{handle}".strip()
        events = await ProposalRepository(session).events(row.id)
        trail = tuple(AuditLine(e.actor_id, e.action, e.detail, e.at) for e in events)
        return Card(view(row), author, trail)
