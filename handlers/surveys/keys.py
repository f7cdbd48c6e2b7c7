"""callback_data of surveys: the « Répondre » button, ``surveys:go:<survey id>``.

The button also goes out in invitations planned in the outbox (handlers/surveys/admin.py), so
its data must stay readable by later versions: old invitations are still pressed weeks later.
"""

from __future__ import annotations

from handlers.keys import Key

GO = Key("surveys", "go", (r"[0-9]{1,9}",))
