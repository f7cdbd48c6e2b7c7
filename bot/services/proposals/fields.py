"""Typed answers, step by step: checked, then written into the draft row."""

from __future__ import annotations

from bot.services.catalogue.communes import CommuneDirectory
from bot.services.proposals.rules import (
    DESCRIPTION_MAX,
    DESCRIPTION_MIN,
    NAME_MAX,
    NAME_MIN,
    ORDER,
    ORGANISATION_MAX,
    PLACE_MAX,
    THEME_OTHER,
    Invalid,
    Step,
    clean_contact,
    clean_text,
    clean_website,
    previous_step,
)
from bot.services.proposals.themes import closest_theme
from storage.models import Proposal
from storage.repositories.proposals import ProposalRepository

THEME_MAX = 60
SUGGESTIONS = 4


async def file_theme(row: Proposal, text: str, repo: ProposalRepository) -> None:
    """A typed theme: filed under the closest lab theme, else « Autre »."""
    typed = clean_text(text, minimum=2, maximum=THEME_MAX, field="theme")
    row.theme = closest_theme(typed, await repo.lab_theme_texts()) or THEME_OTHER


def apply_text(
    row: Proposal, step: Step, text: str, communes: CommuneDirectory | None
) -> tuple[str, ...] | None:
    """Write ``text`` as the answer to ``step``; a tuple of commune names means "did you mean"."""
    if step is Step.NAME:
        row.name = clean_text(
            text, minimum=NAME_MIN, maximum=NAME_MAX, field="name", needs_letters=True
        )
    elif step is Step.DESCRIPTION:
        row.description = clean_text(
            text, minimum=DESCRIPTION_MIN, maximum=DESCRIPTION_MAX, field="description"
        )
    elif step is Step.THEME:
        raise ValueError("a typed theme is filed by file_theme")
    elif step is Step.PLACE:
        return _place(row, clean_text(text, minimum=2, maximum=PLACE_MAX, field="place"), communes)
    elif step is Step.ORGANISATION:
        row.organisation = clean_text(
            text,
            minimum=NAME_MIN,
            maximum=ORGANISATION_MAX,
            field="organisation",
            needs_letters=True,
        )
    elif step is Step.WEBSITE:
        row.website = clean_website(text)
    elif step is Step.CONTACT:
        row.contact = clean_contact(text)
        row.contact_public = None
    elif step is Step.PHOTO:
        raise Invalid("proposals.photo_expected")
    else:
        raise Invalid("proposals.use_buttons")
    return None


def _place(row: Proposal, typed: str, communes: CommuneDirectory | None) -> tuple[str, ...] | None:
    if communes is None:  # no directory: keep the name as typed
        row.commune, row.departement, row.latitude, row.longitude = typed, "", None, None
        return None
    found = communes.find(typed)
    if found is not None:
        row.commune, row.departement = found.name, found.departement
        row.latitude, row.longitude = found.latitude, found.longitude
        return None
    row.place_query = typed
    return tuple(c.name for c in communes.suggest(typed)[:SUGGESTIONS])


# The typed answers, by the step that asks them.
_TYPED: dict[Step, str] = {
    Step.NAME: "name",
    Step.DESCRIPTION: "description",
    Step.PLACE: "commune",
    Step.ORGANISATION: "organisation",
    Step.WEBSITE: "website",
    Step.CONTACT: "contact",
}


def repeats_previous_answer(row: Proposal, text: str) -> bool:
    """Whether ``text`` is the answer just given to the step before, typed (or delivered) again.

    That happens when the next question never reached the member: a crash between the answer's
    commit and the question (the update is then handled again after the restart, or the member
    types it again, seeing no question). Taken as the next answer it would file a name as the
    description; instead nothing changes and the current question is asked again.
    """
    step = Step(row.step)
    if step not in ORDER or step is Step.SUMMARY:
        return False
    before = previous_step(step, has_contact=bool(row.contact))
    field = _TYPED.get(before)
    if before is step or field is None:
        return False
    stored = str(getattr(row, field) or "")
    return bool(stored) and text.strip().casefold() == stored.strip().casefold()
