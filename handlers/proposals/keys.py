"""callback_data of proposals, built and parsed here only.

The dialogue's buttons are ``proposals:<action>:<draft id>:<argument>``, the moderators' ones
``proposals:<action>:<proposal id>:<argument>`` (ids only: at most 39 bytes, far below 64).
"""

from __future__ import annotations

import re

from handlers.keys import ID, NUMBER, Key

FEATURE = "proposals"
IDS = (ID, NUMBER)

# The dialogue: a draft's answers, its summary and the offer to resume it.
THEME = Key(FEATURE, "theme", IDS)
COMMUNE = Key(FEATURE, "commune", IDS)
VISIBILITY = Key(FEATURE, "vis", IDS)
SKIP = Key(FEATURE, "skip", IDS)
KEEP = Key(FEATURE, "keep", IDS)  # asked again: keep the current answer
EDIT_MENU = Key(FEATURE, "editmenu", IDS)
EDIT = Key(FEATURE, "edit", IDS)
SUMMARY = Key(FEATURE, "summary", IDS)
SEND = Key(FEATURE, "send", IDS)
FORCE = Key(FEATURE, "force", IDS)
SAME = Key(FEATURE, "same", IDS)
CANCEL = Key(FEATURE, "cancel", IDS)
RESUME = Key(FEATURE, "resume", IDS)
RESTART = Key(FEATURE, "restart", IDS)
REPLY = Key(FEATURE, "reply", IDS)  # the member answers the moderators' question

# Moderation: the card in the moderators' chat.
PUBLISH = Key(FEATURE, "publish", IDS)
REFUSE = Key(FEATURE, "refuse", IDS)  # shows the reasons
REASON = Key(FEATURE, "reason", IDS)  # argument: the reason's index
BACK = Key(FEATURE, "back", IDS)  # from the reasons back to the card
TYPED = Key(FEATURE, "typed", IDS)  # « Écrire un motif »
ASK = Key(FEATURE, "ask", IDS)  # « Demander une précision »
FIX = Key(FEATURE, "fix", IDS)  # « Corriger »: shows the fields
FIX_FIELD = Key(FEATURE, "fixfield", IDS)  # argument: the field's index (corrections.FIELDS)

MODERATION = (PUBLISH, REFUSE, REASON, BACK, TYPED, ASK, FIX, FIX_FIELD)

# Any other proposals button (old, or of a step that is over): the member is told so.
DIALOGUE_ANY = re.compile(f"^{FEATURE}:(?!({'|'.join(key.action for key in MODERATION)}):)")


def ids(key: Key, data: str | None) -> tuple[int, int] | None:
    """(draft or proposal id, argument) of a button ``key`` built, or None."""
    values = key.parse(data)
    return None if values is None else (int(values[0]), int(values[1]))
