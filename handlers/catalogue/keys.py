"""callback_data of browsing buttons: ``catalogue:<action>:<ids>``, ids only (≤ 64 bytes)."""

from __future__ import annotations

from telegram import InlineKeyboardButton

from handlers.keys import ID, Key

FEATURE = "catalogue"
PAGE = r"[0-9]{1,6}"
LABS = Key(FEATURE, "labs", (PAGE,))  # the labs, page n
LAB = Key(FEATURE, "lab", (ID,))
THEMES = Key(FEATURE, "themes", (PAGE,))  # choose a theme (page 0)
THEME = Key(FEATURE, "it", (PAGE, PAGE))  # the innovations of theme n°, page
DEPARTEMENT = Key(FEATURE, "id", (r"[0-9]{2}", PAGE))  # the innovations of a département, page
INNOVATION = Key(FEATURE, "inno", (ID,))
MAP = Key(FEATURE, "pin", (ID,))  # an innovation's location as a map pin
NEARBY = Key(FEATURE, "near", (PAGE,))  # « Autour de moi » (page 0)
KEYS = {
    key.action: key for key in (LABS, LAB, THEMES, THEME, DEPARTEMENT, INNOVATION, MAP, NEARBY)
}
LABEL_LIMIT = 60  # characters of a title on a button (Telegram cuts long labels anyway)


def button(label: str, action: str, *ids: int | str) -> InlineKeyboardButton:
    """A button doing ``action`` (one of KEYS) on ``ids``; long titles are shortened."""
    return KEYS[action].button(shortened(label), *ids)


def shortened(label: str) -> str:
    """A title short enough for a button (Telegram cuts long labels anyway)."""
    return label if len(label) <= LABEL_LIMIT else label[: LABEL_LIMIT - 1].rstrip() + "…"
