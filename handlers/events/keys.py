"""callback_data of events, one ``Key`` per button.

- On an event card: ``events:<yes|maybe|no|remind|ics>:<event id>`` (« Je viens » is also
  « Liste d'attente » and « Je prends la place »; ``remind`` toggles the reminder);
  ``events:card:<event id>`` opens a card (lists, search hits, past events), ``events:list:0``
  is « Retour » to the list. Cards also go out through the outbox (reminders, notices), so
  bot/services/events/messages.py builds this data (``button_data``: services cannot import
  handlers); tests/test_events_keys.py checks that these keys read what it builds. Old cards
  stay valid: the format lives on in chats.
- /abonnements: ``events:follow:<theme index>`` (0 is « every gathering »),
  ``events:news:0`` toggles « Annonces du réseau » (the member's opt-in to /annonce).
- The organisers' /nouvel_evenement dialogue: ``events:new:<choice>``, its themes
  ``events:theme:<index>`` and the fields « Modifier » offers ``events:edit:<field>``.
- Organisers' pickers (handlers/events/organisers.py): ``events:pick:<move|cancel>:<event id>``
  (/deplacer_evenement, /annuler_evenement typed bare), ``events:cancelok:<event id>`` confirms.
- The member's calendar link (handlers/events/calendar.py): ``events:feed:0`` under the
  /evenements list gives it, ``events:feedreset:0`` on it asks to confirm a new one, and
  ``events:feedresetok:0`` makes it.
"""

from __future__ import annotations

import re

from handlers.keys import ID, Key

FEATURE = "events"
YES = Key(FEATURE, "yes", (ID,))
MAYBE = Key(FEATURE, "maybe", (ID,))
NO = Key(FEATURE, "no", (ID,))
REMIND = Key(FEATURE, "remind", (ID,))
RSVP = (YES, MAYBE, NO, REMIND)
ICS = Key(FEATURE, "ics", (ID,))
CARD = Key(FEATURE, "card", (ID,))
LIST = Key(FEATURE, "list", (ID,))
FOLLOW = Key(FEATURE, "follow", (r"[0-9]{1,4}",))
NEWS = Key(FEATURE, "news", ("0",))
NEW_CHOICES = ("d0", "d1", "d7", "skip", "nolimit", "y1", "y0", "publish", "discard", "edit")
NEW = Key(FEATURE, "new", ("|".join(NEW_CHOICES),))
THEME = Key(FEATURE, "theme", (r"[0-9]{1,3}",))
EDIT_FIELDS = ("title", "date", "place", "address", "description", "theme", "capacity", "yearly")
EDIT = Key(FEATURE, "edit", ("|".join(EDIT_FIELDS),))
PICK_MOVE = Key(FEATURE, "pick", ("move", ID))
PICK_CANCEL = Key(FEATURE, "pick", ("cancel", ID))
PICK = {"move": PICK_MOVE, "cancel": PICK_CANCEL}
CANCEL_OK = Key(FEATURE, "cancelok", (ID,))
FEED = Key(FEATURE, "feed", ("0",))
FEED_RESET = Key(FEATURE, "feedreset", ("0",))
FEED_RESET_OK = Key(FEATURE, "feedresetok", ("0",))


def new_choice(*choices: str) -> re.Pattern[str]:
    """The pattern of the dialogue's buttons for ``choices`` (of NEW_CHOICES)."""
    if unknown := set(choices) - set(NEW_CHOICES):
        raise ValueError(f"not choices of the dialogue: {sorted(unknown)}")
    return Key(FEATURE, NEW.action, ("|".join(choices),)).pattern


def rsvp_of(data: str | None) -> tuple[str, int] | None:
    """(yes|maybe|no|remind, event id) of an RSVP button."""
    for key in RSVP:
        if (values := key.parse(data)) is not None:
            return key.action, int(values[0])
    return None
