"""The states of the proposal dialogue's ConversationHandler (see dialogue.py for why so few)."""

from __future__ import annotations

from enum import StrEnum

from telegram.ext import ConversationHandler

END = ConversationHandler.END
NAME = "submit"  # the ConversationHandler's name: stored states are keyed by it


class State(StrEnum):
    DRAFTING = "proposals.drafting"  # answering the draft's current question (its step)
    OFFER = "proposals.offer"  # resume the draft in progress, or start again?
    ANSWER = "proposals.answer"  # typing the answer to the moderators' question


# What a handler of the dialogue returns: a state, END, or None (stay where the member is).
Next = State | int | None
