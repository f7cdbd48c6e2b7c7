"""The guided proposal: every answer is saved in the member's draft the moment it is given.

The draft row, not the process memory, says which step comes next, so a restart (or a lost
conversation state) never loses an answer. A member has at most one draft; it never expires:
after ``STALE_HOURS`` without a change the member is offered to resume it or start again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from bot.services.catalogue.communes import CommuneDirectory, is_position
from bot.services.proposals.corrections import CorrectionService
from bot.services.proposals.drafts import DraftStore, SimilarFound, StaleButton
from bot.services.proposals.fields import apply_text, file_theme, repeats_previous_answer
from bot.services.proposals.moderation import ModerationService
from bot.services.proposals.rules import (
    OPTIONAL,
    THEME_OTHER,
    Invalid,
    Step,
    previous_step,
)
from bot.services.proposals.similar import find_similar
from bot.services.proposals.views import DraftView, Outcome, has_answer, view
from storage.db import Sessions
from storage.models import Proposal, utcnow
from storage.repositories.proposals import ProposalRepository

__all__ = ["ProposalService", "StaleButton"]


class ProposalService(DraftStore):
    """Drafts: start, answer, skip, go back, edit from the summary, send; ``.moderation``,
    ``.corrections`` (moderators correct a field before publishing)."""

    def __init__(
        self,
        sessions: Sessions,
        communes: CommuneDirectory | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        super().__init__(sessions, communes, clock)
        self.moderation = ModerationService(sessions, clock)
        self.corrections = CorrectionService(sessions, self.moderation, communes, clock)

    async def start(self, member_id: int, language: str) -> DraftView:
        """A fresh draft at the first step (an older draft is replaced only on request)."""
        async with self._sessions.begin() as session:
            repo = ProposalRepository(session)
            await repo.delete_drafts(member_id)
            row = await repo.add_draft(member_id, language, Step.NAME)
            row.created_at = row.updated_at = self._clock()
            return view(row)

    async def cancel(self, member_id: int) -> bool:
        """Drop the draft (an explicit cancel by the member)."""
        async with self._sessions.begin() as session:
            return await ProposalRepository(session).delete_drafts(member_id) > 0

    async def resume(self, member_id: int, draft_id: int) -> DraftView:
        """Pick the draft up again where it was left."""
        return (await self._change(member_id, _nothing, draft_id=draft_id)).draft

    async def themes(self) -> list[tuple[int, str]]:
        """(lab id, theme) for the theme buttons."""
        async with self._sessions() as session:
            return await ProposalRepository(session).lab_themes()

    async def answer_text(self, member_id: int, text: str, language: str) -> Outcome:
        """Store a typed answer for the current step, or say why it does not fit."""
        filed = False

        async def change(row: Proposal, repo: ProposalRepository) -> tuple[str, ...] | None:
            nonlocal filed
            row.language = language
            if repeats_previous_answer(row, text):
                return None  # changes nothing: the current step's question is asked again
            if Step(row.step) is Step.THEME:
                await file_theme(row, text, repo)
                filed = True
            elif (suggestions := apply_text(row, Step(row.step), text, self.communes)) is not None:
                return suggestions
            self._advance(row)
            return None

        outcome = await self._change(member_id, change)
        if filed and not outcome.problem:
            return replace(outcome, notice="proposals.theme_filed")
        return outcome

    async def keep(self, member_id: int, draft_id: int) -> Outcome:
        """« Garder » under a question asked again: the current answer stands, next question."""

        async def change(row: Proposal, _repo: ProposalRepository) -> None:
            if not has_answer(view(row)):
                raise StaleButton
            self._advance(row)

        return await self._change(member_id, change, draft_id=draft_id)

    async def choose_theme(self, member_id: int, draft_id: int, lab_id: int) -> Outcome:
        async def change(row: Proposal, repo: ProposalRepository) -> None:
            theme = THEME_OTHER if lab_id == 0 else await repo.lab_theme(lab_id)
            if theme is None:
                raise StaleButton
            row.theme = theme
            self._advance(row)

        return await self._change(member_id, change, draft_id=draft_id, step=Step.THEME)

    async def choose_commune(self, member_id: int, draft_id: int, index: int) -> Outcome:
        """A "did you mean" button (index in the suggestions), or -1 to keep the typed name."""

        async def change(row: Proposal, _repo: ProposalRepository) -> None:
            if index < 0:
                row.commune, row.departement = row.place_query[:100], ""
                row.latitude = row.longitude = None
            else:
                found = self.communes.suggest(row.place_query) if self.communes else ()
                if index >= len(found):
                    raise StaleButton
                chosen = found[index]
                row.commune, row.departement = chosen.name, chosen.departement
                row.latitude, row.longitude = chosen.latitude, chosen.longitude
            self._advance(row)

        return await self._change(member_id, change, draft_id=draft_id, step=Step.PLACE)

    async def set_location(self, member_id: int, latitude: float, longitude: float) -> Outcome:
        async def change(row: Proposal, _repo: ProposalRepository) -> None:
            if Step(row.step) is not Step.PLACE:
                raise Invalid("proposals.location_unexpected")
            if not is_position(latitude, longitude):
                raise Invalid("proposals.location_invalid")
            row.latitude, row.longitude = latitude, longitude
            # The nearest known commune names the place; the exact point is kept as shared.
            near = self.communes.nearest(latitude, longitude) if self.communes else None
            row.commune, row.departement = (near.name, near.departement) if near else ("", "")
            self._advance(row)

        return await self._change(member_id, change)

    async def set_visibility(self, member_id: int, draft_id: int, public: bool) -> Outcome:
        async def change(row: Proposal, _repo: ProposalRepository) -> None:
            row.contact_public = public
            self._advance(row)

        return await self._change(member_id, change, draft_id=draft_id, step=Step.VISIBILITY)

    async def set_photo(self, member_id: int, file_id: str) -> Outcome:
        async def change(row: Proposal, _repo: ProposalRepository) -> None:
            if Step(row.step) is not Step.PHOTO:
                raise Invalid("proposals.photo_unexpected")
            row.photo_file_id = file_id[:256]
            self._advance(row)

        return await self._change(member_id, change)

    async def skip(self, member_id: int, draft_id: int | None = None) -> Outcome:
        """/passer: leave an optional field empty and move on."""

        async def change(row: Proposal, _repo: ProposalRepository) -> None:
            step = Step(row.step)
            if step not in OPTIONAL:
                raise Invalid("proposals.not_optional")
            if step is Step.WEBSITE:
                row.website = ""
            elif step is Step.CONTACT:
                row.contact, row.contact_public = "", None
            else:
                row.photo_file_id = ""
            self._advance(row)

        return await self._change(member_id, change, draft_id=draft_id)

    async def back(self, member_id: int) -> Outcome:
        """/retour: the previous step (from a field being edited: the summary)."""

        async def change(row: Proposal, _repo: ProposalRepository) -> None:
            if row.editing and Step(row.step) is not Step.VISIBILITY:
                row.step, row.editing = Step.SUMMARY, False
            else:
                row.step = previous_step(Step(row.step), has_contact=bool(row.contact))
            # The question is asked again with the answer it has: an old « Tu voulais dire… »
            # about what was typed before would answer a question nobody asked.
            row.place_query = ""

        return await self._change(member_id, change)

    async def edit(self, member_id: int, draft_id: int, step: Step | None) -> Outcome:
        """Jump from the summary to one field (None: show the list of fields)."""

        async def change(row: Proposal, _repo: ProposalRepository) -> None:
            if step is not None:
                row.step, row.editing = step, step is not Step.SUMMARY

        return await self._change(member_id, change, draft_id=draft_id, step=Step.SUMMARY)

    async def send(self, member_id: int, draft_id: int, *, force: bool) -> Outcome:
        """Send for moderation; first show look-alike innovations unless ``force``."""

        async def change(row: Proposal, repo: ProposalRepository) -> None:
            if Step(row.step) not in (Step.SUMMARY, Step.DUPLICATE):
                raise StaleButton
            if not force:
                similar = find_similar(row, await repo.innovation_texts())
                if similar:
                    row.step = Step.DUPLICATE
                    raise SimilarFound(similar)
            row.status, row.sent_at = "pending", self._clock()
            await repo.log(row.id, "submitted", row.member_id)

        return await self._change(member_id, change, draft_id=draft_id)


async def _nothing(_row: Proposal, _repo: ProposalRepository) -> None:
    return None
