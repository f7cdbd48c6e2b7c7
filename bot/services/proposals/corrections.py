"""Moderators correct a field of a pending proposal before publishing it (« Corriger »).

A typo in the name, a commune spelt wrong, a website without its scheme: fixing it is quicker
than refusing and asking the member to start again. The moderator picks a field on the card,
types the new value, and the card shows it. The value goes through the same checks as the
member's answer (bot/services/proposals/fields.py), and the audit trail records who changed
which field (``corrected``). Only pending proposals are corrected; the contact is the member's
and is not offered. The pending correction is kept in the prompt columns the typed reasons and
questions use (``prompt_kind`` = "fix:<field>"), so it survives a restart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.services.catalogue.communes import CommuneDirectory
from bot.services.proposals.fields import apply_text, file_theme
from bot.services.proposals.moderation import Card, ModerationService
from bot.services.proposals.rules import Step
from storage.db import Sessions
from storage.models import utcnow
from storage.repositories.proposals import ProposalRepository

FIELDS = ("name", "description", "theme", "place", "organisation", "website")
PREFIX = "fix:"


@dataclass(frozen=True)
class Corrected:
    """The outcome of a typed value: the card updated, or the communes meant (not found)."""

    card: Card | None
    suggestions: tuple[str, ...] = ()


class CorrectionService:
    """Start and complete a moderator's correction of one field."""

    def __init__(
        self,
        sessions: Sessions,
        moderation: ModerationService,
        communes: CommuneDirectory | None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._sessions = sessions
        self._moderation = moderation
        self._communes = communes
        self._clock = clock

    async def start(self, submission_id: int, moderator_id: int, field: str) -> Card | None:
        """The moderator will type the new value of ``field``; None if not pending."""
        if field not in FIELDS:
            return None
        async with self._sessions.begin() as session:
            row = await ProposalRepository(session).get(submission_id)
            if row is None or row.status != "pending":
                return None
            row.prompt_by, row.prompt_kind = moderator_id, PREFIX + field
            row.updated_at = self._clock()
        return await self._moderation.card(submission_id)

    async def complete(self, moderator_id: int, text: str) -> Corrected | None:
        """Apply the typed value (Invalid if it does not fit); None if nothing is pending."""
        async with self._sessions.begin() as session:
            repo = ProposalRepository(session)
            row = await repo.prompted_by(moderator_id)
            if row is None or not row.prompt_kind.startswith(PREFIX):
                return None
            field = row.prompt_kind.removeprefix(PREFIX)
            suggestions = None
            if field == "theme":  # typed: filed as the member's typed theme is
                await file_theme(row, text, repo)
            else:
                suggestions = apply_text(row, Step(f"submit.{field}"), text, self._communes)
            if suggestions is not None:
                return Corrected(None, suggestions)
            row.prompt_by, row.prompt_kind = None, ""
            await repo.log(row.id, "corrected", moderator_id, field)
            submission_id = row.id
        return Corrected(await self._moderation.card(submission_id))

    async def cancel(self, moderator_id: int) -> None:
        """/annuler instead of the new value: the proposal stays as it was."""
        async with self._sessions.begin() as session:
            row = await ProposalRepository(session).prompted_by(moderator_id)
            if row is not None and row.prompt_kind.startswith(PREFIX):
                row.prompt_by, row.prompt_kind = None, ""
