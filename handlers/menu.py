"""The welcome menu's buttons and the command menus published to Telegram."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from telegram import InlineKeyboardMarkup, Update

from bot.context import Ctx
from handlers.common import query_of, say
from handlers.keyboards import KEYBOARDS, Rows

PREFIX = "menu:"
PATTERN = r"^menu:[a-z_]{1,32}$"
MenuTarget = Callable[[Update, Ctx], Awaitable[object]]

# Rows of the welcome keyboard: (catalogue key of the label, callback data).
WELCOME_ROWS: Rows = (
    (("menu.search", "menu:search"), ("menu.labs", "menu:labs")),
    (("menu.innovations", "menu:innovations"), ("menu.events", "menu:events")),
    (("menu.submit", "menu:submit"),),
)


MEMBER, MODERATOR, ADMIN = "member", "moderator", "admin"
# Who sees a command in their menu (the commands themselves check roles on the server).
AUDIENCES = {MEMBER: {MEMBER}, MODERATOR: {MEMBER, MODERATOR}, ADMIN: {MEMBER, MODERATOR, ADMIN}}


@dataclass(frozen=True)
class MenuCommand:
    """One entry of the command menu: French and English names, description key, audience."""

    fr: str
    en: str
    description_key: str
    audience: str = MEMBER

    def shown_to(self, viewer: str) -> bool:
        return self.audience in AUDIENCES[viewer]


def welcome_keyboard(update: Update, context: Ctx) -> InlineKeyboardMarkup:
    language = context.deps.language_of(update.effective_user)
    return KEYBOARDS.get(context.deps.texts, language, WELCOME_ROWS)


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
