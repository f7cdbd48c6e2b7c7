"""The draft store under the proposal dialogue: one transaction per answer, steps in the row."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from bot.services.catalogue.communes import CommuneDirectory
from bot.services.proposals.rules import STALE_HOURS, Invalid, Step, next_step
from bot.services.proposals.views import DraftView, Outcome, Similar, view
from storage.db import Sessions
from storage.models import Proposal, utcnow
from storage.repositories.proposals import ProposalRepository

Change = Callable[[Proposal, ProposalRepository], Awaitable[tuple[str, ...] | None]]


class StaleButton(Exception):
    """A button of an older message or another draft: the step it belonged to is over."""


class DraftStore:
    """Reads the member's draft and applies one change to it at a time."""

    def __init__(
        self,
        sessions: Sessions,
        communes: CommuneDirectory | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._sessions = sessions
        self.communes = communes
        self._clock = clock

    async def draft(self, member_id: int) -> DraftView | None:
        """The member's draft in progress, if any."""
        async with self._sessions() as session:
            row = await ProposalRepository(session).draft_of(member_id)
            return view(row) if row else None

    def is_stale(self, draft: DraftView) -> bool:
        return self._clock() - draft.updated_at > timedelta(hours=STALE_HOURS)

    def _advance(self, row: Proposal) -> None:
        step, has_contact = Step(row.step), bool(row.contact)
        if row.editing and not (step is Step.CONTACT and has_contact):
            row.step, row.editing = Step.SUMMARY, False
        else:
            row.step = next_step(step, has_contact=has_contact)

    async def _change(
        self,
        member_id: int,
        change: Change,
        *,
        draft_id: int | None = None,
        step: Step | None = None,
    ) -> Outcome:
        """Apply ``change`` to the member's draft in one transaction; problems change nothing."""
        async with self._sessions.begin() as session:
            repo = ProposalRepository(session)
            row = await repo.draft_of(member_id)
            if row is None or (draft_id is not None and row.id != draft_id):
                raise StaleButton
            allowed = (step, Step.DUPLICATE) if step is Step.SUMMARY else (step,)
            if step is not None and row.step not in allowed:
                raise StaleButton
            # Checks run before any field changes, so a refused answer changes nothing.
            try:
                suggestions = await change(row, repo) or ()
            except Invalid as problem:
                return Outcome(view(row), problem.key, dict(problem.params))
            except SimilarFound as similar:
                row.updated_at = self._clock()
                return Outcome(view(row), similar=similar.items)
            row.updated_at = self._clock()
            return Outcome(view(row), suggestions=suggestions)


class SimilarFound(Exception):
    """Raised by ``send`` to stop and show look-alike innovations (the step change is kept)."""

    def __init__(self, items: tuple[Similar, ...]) -> None:
        super().__init__("similar innovations")
        self.items = items
