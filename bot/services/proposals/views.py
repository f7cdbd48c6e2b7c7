"""Read-only views of proposals handed to handlers (never live database rows)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.services.proposals.rules import Step
from storage.models import Proposal


@dataclass(frozen=True)
class DraftView:
    """A proposal as the member and the moderators see it."""

    id: int
    member_id: int | None
    status: str
    step: Step
    editing: bool
    language: str
    name: str
    description: str
    theme: str
    place_query: str
    commune: str
    departement: str
    latitude: float | None
    longitude: float | None
    organisation: str
    website: str
    contact: str
    contact_public: bool | None
    photo_file_id: str
    question: str
    reason: str
    card_chat_id: int | None
    card_message_id: int | None
    innovation_id: int | None
    created_at: datetime
    updated_at: datetime
    sent_at: datetime | None
    decided_by: int | None
    decided_at: datetime | None


@dataclass(frozen=True)
class Similar:
    """An existing innovation that looks like the proposal."""

    innovation_id: int
    title: str
    commune: str
    score: float


@dataclass(frozen=True)
class Outcome:
    """What an answer did: the draft after it, and the problem to explain if it was refused."""

    draft: DraftView
    problem: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    suggestions: tuple[str, ...] = ()
    similar: tuple[Similar, ...] = ()
    # A line to say before the next question (« Rangée dans « Mobilité » »), with ``params``.
    notice: str = ""


def view(row: Proposal) -> DraftView:
    """The draft as handlers show it (an unknown step reads as the summary)."""
    try:
        step = Step(row.step)
    except ValueError:  # a step renamed by a later version: go back to the summary
        step = Step.SUMMARY
    return DraftView(
        id=row.id,
        member_id=row.member_id,
        status=row.status,
        step=step,
        editing=row.editing,
        language=row.language,
        name=row.name,
        description=row.description,
        theme=row.theme,
        place_query=row.place_query,
        commune=row.commune,
        departement=row.departement,
        latitude=row.latitude,
        longitude=row.longitude,
        organisation=row.organisation,
        website=row.website,
        contact=row.contact,
        contact_public=row.contact_public,
        photo_file_id=row.photo_file_id,
        question=row.question,
        reason=row.reason,
        card_chat_id=row.card_chat_id,
        card_message_id=row.card_message_id,
        innovation_id=row.innovation_id,
        created_at=row.created_at,
        updated_at=row.updated_at,
        sent_at=row.sent_at,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
    )


def has_answer(draft: DraftView) -> bool:
    """Whether the draft's current step already has an answer (asked again after /retour)."""
    values = {
        Step.NAME: draft.name,
        Step.DESCRIPTION: draft.description,
        Step.THEME: draft.theme,
        Step.PLACE: draft.commune or (draft.latitude is not None),
        Step.ORGANISATION: draft.organisation,
        Step.WEBSITE: draft.website,
        Step.CONTACT: draft.contact,
        Step.VISIBILITY: draft.contact_public is not None,
        Step.PHOTO: draft.photo_file_id,
    }
    return bool(values.get(draft.step))
