"""What a proposal's answers must look like: steps, limits and the checks of each field.

Where the issue is silent: the organisation is required (an initiative is always carried by
someone, « collectif d'habitants » counts); a website without ``http`` gets ``https://``
added; a phone number is 8 to 15 digits with an optional ``+``.
"""

from __future__ import annotations

import re
from enum import StrEnum

NAME_MAX = 120
NAME_MIN = 2
DESCRIPTION_MAX = 1000
DESCRIPTION_MIN = 10
ORGANISATION_MAX = 200
WEBSITE_MAX = 300
CONTACT_MAX = 200
PLACE_MAX = 100
THEME_OTHER = "autre"
STALE_HOURS = 48


class Step(StrEnum):
    """Steps of the dialogue; the value is also the ConversationHandler state."""

    NAME = "submit.name"
    DESCRIPTION = "submit.description"
    THEME = "submit.theme"
    PLACE = "submit.place"
    ORGANISATION = "submit.organisation"
    WEBSITE = "submit.website"
    CONTACT = "submit.contact"
    VISIBILITY = "submit.visibility"
    PHOTO = "submit.photo"
    SUMMARY = "submit.summary"
    DUPLICATE = "submit.duplicate"


ORDER: tuple[Step, ...] = (
    Step.NAME,
    Step.DESCRIPTION,
    Step.THEME,
    Step.PLACE,
    Step.ORGANISATION,
    Step.WEBSITE,
    Step.CONTACT,
    Step.VISIBILITY,
    Step.PHOTO,
    Step.SUMMARY,
)
OPTIONAL = frozenset({Step.WEBSITE, Step.CONTACT, Step.PHOTO})
# Fields the member may change from the summary (the visibility comes with the contact).
EDITABLE: tuple[Step, ...] = (*ORDER[:6], Step.CONTACT, Step.PHOTO)

_URL = re.compile(
    r"^(https?://)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}(:[0-9]{1,5})?(/\S*)?$",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"^[^@\s]{1,64}@([a-z0-9-]{1,63}\.)+[a-z]{2,24}$", re.IGNORECASE)
_PHONE_CHARS = re.compile(r"^\+?[0-9 .()/-]{8,25}$")


class Invalid(ValueError):
    """An answer that does not fit; ``key`` names the catalogue text explaining why."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def next_step(step: Step, *, has_contact: bool) -> Step:
    """The step after ``step`` (the visibility question only when a contact was given)."""
    following = ORDER[ORDER.index(step) + 1]
    if following is Step.VISIBILITY and not has_contact:
        return Step.PHOTO
    return following


def previous_step(step: Step, *, has_contact: bool) -> Step:
    """The step before ``step``; the first step has none and stays."""
    if step is Step.DUPLICATE:
        return Step.SUMMARY
    index = ORDER.index(step)
    if index == 0:
        return step
    before = ORDER[index - 1]
    if before is Step.VISIBILITY and not has_contact:
        return Step.CONTACT
    return before


def clean_text(
    text: str, *, minimum: int, maximum: int, field: str, needs_letters: bool = False
) -> str:
    """Collapsed spaces, within the limits, or Invalid with the limit to show.

    ``needs_letters``: a name is words (« ??? » or « 1234 » names nothing).
    """
    cleaned = " ".join(text.split()) if field != "description" else text.strip()
    if len(cleaned) > maximum:
        raise Invalid("proposals.too_long", limit=maximum, length=len(cleaned))
    if len(cleaned) < minimum:
        raise Invalid("proposals.too_short", minimum=minimum)
    if needs_letters and not any(character.isalpha() for character in cleaned):
        raise Invalid("proposals.needs_letters")
    return cleaned


def clean_website(text: str) -> str:
    """A web or social link, with ``https://`` added when the member left it out."""
    candidate = text.strip()
    if len(candidate) > WEBSITE_MAX or not _URL.match(candidate):
        raise Invalid("proposals.website_invalid")
    if not candidate.lower().startswith(("http://", "https://")):
        candidate = "https://" + candidate
    return candidate


def clean_contact(text: str) -> str:
    """An e-mail address or a phone number, as typed (trimmed)."""
    candidate = text.strip()
    if len(candidate) <= CONTACT_MAX:
        if _EMAIL.match(candidate):
            return candidate
        digits = re.sub(r"[^0-9]", "", candidate)
        if _PHONE_CHARS.match(candidate) and 8 <= len(digits) <= 15:
            return candidate
    raise Invalid("proposals.contact_invalid")
