"""callback_data of café réseautage buttons (the outbox payloads of
bot/services/networking/round_messages.py carry the same data)."""

from __future__ import annotations

from handlers.keys import ID, Key

FEATURE = "networking"

JOIN = Key(FEATURE, "rjoin", (ID,))  # round id
SKIP = Key(FEATURE, "rskip", (ID,))
LEAVE = Key(FEATURE, "rleave", (ID,))
MET = Key(FEATURE, "rmet", (ID, "[123]"))  # round id, 1 yes / 2 not yet / 3 no
USEFUL = Key(FEATURE, "ruse", (ID, "[01]"))
PAUSE = Key(FEATURE, "rpause")
RESUME = Key(FEATURE, "rresume")
INVITE = Key(FEATURE, "rinvite", (ID,))  # the organiser confirms the invitations
LATER = Key(FEATURE, "rlater", (ID,))

OUTBOX_KEYS = (JOIN, SKIP, MET, USEFUL, RESUME)
