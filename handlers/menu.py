"""The welcome menu's buttons and the command menus published to Telegram."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.context import Ctx
from handlers.common import query_of, say

PREFIX = "menu:"
PATTERN = r"^menu:[a-z_]{1,32}$"
MenuTarget = Callable[[Update, Ctx], Awaitable[object]]

# Rows of the welcome keyboard: (catalogue key of the label, target name).
WELCOME_ROWS: tuple[tuple[tuple[str, str], ...], ...] = (
    (("menu.search", "search"), ("menu.labs", "labs")),
    (("menu.innovations", "innovations"), ("menu.events", "events")),
    (("menu.submit", "submit"),),
    (("menu.help", "help"), ("menu.language", "language")),
)


@dataclass(frozen=True)
class MenuCommand:
    """One entry of the command menu: French and English names, description key, audience."""

    fr: str
    en: str
    description_key: str
    admin_only: bool = False


def welcome_keyboard(update: Update, context: Ctx) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(context.deps.t(update, key), callback_data=PREFIX + target)
                for key, target in row
            ]
            for row in WELCOME_ROWS
        ]
    )


class MenuRouter:
    """Sends a welcome-menu press to the feature it names; features not built yet say so."""

    def __init__(self, targets: Mapping[str, MenuTarget]) -> None:
        self._targets = targets

    async def __call__(self, update: Update, context: Ctx) -> None:
        query = query_of(update)
        await query.answer()
        target = self._targets.get((query.data or "").removeprefix(PREFIX))
        if target is None:
            await say(update, context, "menu.soon")
            return
        await target(update, context)
