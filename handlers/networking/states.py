"""The steps of the networking dialogue (persisted: their values are data, keep them)."""

from __future__ import annotations

from enum import StrEnum

from bot.services.networking.fields import TEXT_FIELDS


class Step(StrEnum):
    NOTE = "networking.note"  # the one-line note of an introduction request
    RELAY = "networking.relay"  # a message to pass on
    NAME = "networking.text.name"  # a text field's new value, one step per field
    STRUCTURE = "networking.text.structure"
    COMMUNE = "networking.text.commune"
    OFFER = "networking.text.offer"
    SEEK = "networking.text.seek"


FIELD_STEPS = {
    "name": Step.NAME,
    "structure": Step.STRUCTURE,
    "commune": Step.COMMUNE,
    "offer": Step.OFFER,
    "seek": Step.SEEK,
}
if set(FIELD_STEPS) != set(TEXT_FIELDS):  # pragma: no cover (a field added without its step)
    raise RuntimeError("every text field needs its step")


def field_state(field: str) -> Step:
    """The step where the member types ``field``."""
    return FIELD_STEPS[field]
