"""Moderation of proposals: publish, refuse with a reason, ask the member a question.

Every decision is one conditional UPDATE (``… WHERE status = 'pending'``, row count checked) in
the repository, so of two moderators deciding at the same moment (two processes on one database)
exactly one decision applies; the other gets a ``Decision`` that did not apply, with the card of
the decision taken, to be told who decided and when. A replayed or forged button changes
nothing (the caller logs it); who may moderate is checked by the handlers' guard.
Publishing creates the ``innovations`` row (status ``approved``): search, the catalogue and inline
results see it at once (the search index follows that table by triggers). The audit trail
(``submission_events``) records who submitted, who decided, when, and why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.proposals.views import DraftView, view
from storage.db import Sessions
from storage.models import Innovation, Member, Proposal, utcnow
from storage.repositories.privacy import MemberMessageRepository
from storage.repositories.proposals import ProposalRepository

REASON_CODES = ("outside", "not_ess", "duplicate", "incomplete")
CODE_PREFIX = "@"  # a reason chosen from the buttons is stored as "@<code>", typed ones as text
# A moderator typing a reason or a question holds the proposal that long; then a colleague may.
PROMPT_HOLD = timedelta(minutes=15)


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
    decider: str = ""  # the first name of the moderator who decided ("" if unknown or erased)
    prompter: str = ""  # the moderator typing a reason or a question, if any


@dataclass(frozen=True)
class Decision:
    """What became of a moderator's press: ``applied``, or a colleague was first (``card``
    then shows their decision, or ``card.prompter`` is typing a reason or a question)."""

    card: Card
    applied: bool


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
        await self.shown(submission_id, chat_id, message_id, "card")

    async def shown(self, submission_id: int, chat_id: int, message_id: int, kind: str) -> None:
        """A message with the author's data was sent to others ("card", "photo", "answer"):
        remembered, to be edited to « (données effacées) » if the author erases their data."""
        async with self._sessions.begin() as session:
            row = await ProposalRepository(session).get(submission_id)
            if row is not None and row.member_id is not None:
                await MemberMessageRepository(session).remember(
                    row.member_id, chat_id, message_id, kind, submission_id
                )

    async def publish(self, submission_id: int, moderator_id: int) -> Decision | None:
        """Make the proposal a public innovation; None if there is no such proposal."""
        async with self._sessions.begin() as session:
            repo = ProposalRepository(session)
            if not await repo.decide(submission_id, "published", moderator_id, "", self._clock()):
                return await self._too_late(session, submission_id)
            row = await repo.fresh(submission_id)
            if row is None:  # cannot be: the update above matched it
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
            await repo.log(row.id, "published", moderator_id)
            return Decision(await self._card(session, row), applied=True)

    async def refuse(self, submission_id: int, moderator_id: int, reason: str) -> Decision | None:
        """Refuse with a reason ("@<code>" or typed text); None if there is no such proposal."""
        if not reason.strip():
            return None
        async with self._sessions.begin() as session:
            return await self._refuse(session, submission_id, moderator_id, reason.strip())

    async def _refuse(
        self, session: AsyncSession, submission_id: int, moderator_id: int, reason: str
    ) -> Decision | None:
        repo = ProposalRepository(session)
        if not await repo.decide(submission_id, "refused", moderator_id, reason, self._clock()):
            return await self._too_late(session, submission_id)
        await repo.log(submission_id, "refused", moderator_id, reason)
        return await self._decision(session, submission_id, applied=True)

    async def _too_late(self, session: AsyncSession, submission_id: int) -> Decision | None:
        """The card of a proposal someone else decided (or is prompting on); None if none."""
        return await self._decision(session, submission_id, applied=False)

    async def _decision(
        self, session: AsyncSession, submission_id: int, *, applied: bool
    ) -> Decision | None:
        row = await ProposalRepository(session).fresh(submission_id)
        if row is None or row.status == "draft":
            return None
        return Decision(await self._card(session, row), applied)

    async def start_prompt(
        self, submission_id: int, moderator_id: int, kind: str
    ) -> Decision | None:
        """The moderator will type a reason or a question for this proposal (not applied if
        it was decided, or a colleague is typing one); None if there is no such proposal."""
        async with self._sessions.begin() as session:
            now = self._clock()
            repo = ProposalRepository(session)
            held = await repo.hold_prompt(
                submission_id, moderator_id, kind, now, now - PROMPT_HOLD
            )
            return await self._decision(session, submission_id, applied=held)

    async def complete_prompt(self, moderator_id: int, text: str) -> tuple[str, Decision] | None:
        """Apply the moderator's typed reason or question: ("reason"|"question", decision);
        not applied when a colleague decided meanwhile."""
        async with self._sessions.begin() as session:
            repo = ProposalRepository(session)
            row = await repo.prompted_by(moderator_id)
            if row is None or not text.strip():
                return None
            submission_id, kind = row.id, row.prompt_kind
            if kind == "reason":
                decision = await self._refuse(session, submission_id, moderator_id, text.strip())
            else:
                kind = "question"
                asked = await repo.ask(submission_id, moderator_id, text.strip())
                if asked:
                    await repo.log(submission_id, "asked", moderator_id, text.strip())
                decision = await self._decision(session, submission_id, applied=asked)
            if decision is None:
                return None
            if not decision.applied:
                await repo.release_prompt(submission_id, moderator_id)
            return kind, decision

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

    async def _card(self, session: AsyncSession, row: Proposal) -> Card:
        author = ""
        if row.member_id is not None:
            member = await session.get(Member, row.member_id)
            if member is not None:
                handle = f" @{member.username}" if member.username else ""
                author = f"{member.first_name}{handle}".strip()
        events = await ProposalRepository(session).events(row.id)
        trail = tuple(AuditLine(e.actor_id, e.action, e.detail, e.at) for e in events)
        return Card(
            view(row),
            author,
            trail,
            decider=await _first_name(session, row.decided_by),
            prompter=await _first_name(session, row.prompt_by),
        )


async def _first_name(session: AsyncSession, telegram_id: int | None) -> str:
    member = None if telegram_id is None else await session.get(Member, telegram_id)
    return member.first_name if member is not None else ""
