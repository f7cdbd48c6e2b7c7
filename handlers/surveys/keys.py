"""callback_data of surveys: the « Répondre » button, ``surveys:go:<survey id>``, and the
organisers' pickers (below).

The button also goes out in invitations planned in the outbox (handlers/surveys/admin.py), so
its data must stay readable by later versions: old invitations are still pressed weeks later.
"""

from __future__ import annotations

from handlers.keys import Key

GO = Key("surveys", "go", (r"[0-9]{1,9}",))

# Organisers' pickers (handlers/surveys/pickers.py): a command typed bare offers the surveys (or,
# for /enquete_creer, the events) as buttons; then the few choices left are buttons too.
SURVEY_ID = r"[0-9]{1,9}"
PICK_ACTIONS = ("schedule", "open", "close", "export", "results")
PICK = {action: Key("surveys", "pick", (action, SURVEY_ID)) for action in PICK_ACTIONS}
SCHEDULE = Key("surveys", "sched", (SURVEY_ID,))  # at the default time: the morning after
CLOSE = Key("surveys", "close", (SURVEY_ID, "0|1"))  # 1: results made public
EXPORT = Key("surveys", "export", (SURVEY_ID, "csv|json"))
NEW = Key("surveys", "new", (r"[0-9]{1,12}",))  # the event a new survey is for
QUICK_POLL = {  # /sondage_resultats, /sondage_fermer typed bare in the poll's group
    action: Key("surveys", "qpick", (action, SURVEY_ID)) for action in ("results", "close")
}
