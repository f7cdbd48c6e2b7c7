"""callback_data of the proposal dialogue: ``submit:<action>:<draft id>:<argument>``."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum

from telegram.warnings import PTBUserWarning

ACTIONS = frozenset(
    (
        *("theme", "commune", "vis", "send", "force", "same", "editmenu"),
        *("edit", "summary", "cancel", "skip", "resume", "restart", "reply"),
    )
)
PATTERN = r"^submit:[a-z]{1,12}:[0-9]{1,12}:-?[0-9]{1,6}$"
STEP_PATTERN = r"^submit:(theme|commune|vis|send|force|same|editmenu|edit|summary|cancel|skip):"
OFFER_PATTERN = r"^submit:(resume|restart):"
REPLY_PATTERN = r"^submit:reply:"
_PARSE = re.compile(PATTERN)
# A ConversationHandler state: a StrEnum value, or ConversationHandler.END (-1).
State = str | int


def data(action: str, draft_id: int, argument: int = 0) -> str:
    """The button data (ids only: at most 45 bytes, far below Telegram's 64)."""
    assert action in ACTIONS, action
    return f"submit:{action}:{draft_id}:{argument}"


def parse(raw: str | None) -> tuple[str, int, int] | None:
    """(action, draft id, argument), or None for anything we did not build."""
    if raw is None or not _PARSE.match(raw):
        return None
    _, action, draft_id, argument = raw.split(":")
    if action not in ACTIONS:
        return None
    return action, int(draft_id), int(argument)


class Extra(StrEnum):
    """Dialogue states that are not questions of the draft."""

    OFFER = "proposals.offer"
    ANSWER = "proposals.answer"


@contextmanager
def quiet_per_message_warning() -> Iterator[None]:
    """Build a ConversationHandler with buttons under ``per_message=False`` on purpose.

    PTB warns that buttons are then tracked per chat, not per message: that is what we want
    (old buttons are recognised by their ids, see ``parse``), so the warning is silenced here.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=PTBUserWarning, message=".*per_message.*")
        yield
