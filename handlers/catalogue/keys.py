"""callback_data of browsing buttons: ``catalogue:<action>:<ids>``, ids only (≤ 64 bytes)."""

from __future__ import annotations

from telegram import InlineKeyboardButton

from bot.services.events.messages import button_data as event_button_data
from handlers.keys import ID, Key

FEATURE = "catalogue"
PAGE = r"[0-9]{1,6}"
LABS = Key(FEATURE, "labs", (PAGE,))  # the labs, page n
LAB = Key(FEATURE, "lab", (ID,))
THEMES = Key(FEATURE, "themes", (PAGE,))  # choose a theme (page 0)
THEME = Key(FEATURE, "it", (PAGE, PAGE))  # the innovations of theme n°, page
DEPARTEMENT = Key(FEATURE, "id", (r"[0-9]{2}", PAGE))  # the innovations of a département, page
INNOVATION = Key(FEATURE, "inno", (ID,))
FAQ = Key(FEATURE, "faq", (ID,))
MAP = Key(FEATURE, "pin", (ID,))  # an innovation's location as a map pin
NEARBY = Key(FEATURE, "near", (PAGE,))  # « Autour de moi » (page 0)
KEYS = {
    key.action: key
    for key in (LABS, LAB, THEMES, THEME, DEPARTEMENT, INNOVATION, FAQ, MAP, NEARBY)
}
# Search result kinds -> the action opening their card (events: the events feature's card).
CARD_ACTIONS = {"lab": LAB.action, "innovation": INNOVATION.action, "faq": FAQ.action}
LABEL_LIMIT = 60  # characters of a title on a button (Telegram cuts long labels anyway)


def button(label: str, action: str, *ids: int | str) -> InlineKeyboardButton:
    """A button doing ``action`` (one of KEYS) on ``ids``; long titles are shortened."""
    return KEYS[action].button(shortened(label), *ids)


def card_button(label: str, kind: str, ref_id: int) -> InlineKeyboardButton:
    """The button opening a search hit's card; an event opens the events feature's card."""
    if kind == "event":
        return InlineKeyboardButton(
            shortened(label), callback_data=event_button_data("card", ref_id)
        )
    return button(label, CARD_ACTIONS[kind], ref_id)


def shortened(label: str) -> str:
    """A title short enough for a button (Telegram cuts long labels anyway)."""
    return label if len(label) <= LABEL_LIMIT else label[: LABEL_LIMIT - 1].rstrip() + "…"
