"""The welcome menu's buttons, and the row type of the command table (handlers/__init__.py).

The table gives each command its French name, English alias, callback, audience and menu text:
``build_handlers`` makes the ``CommandHandler``s from it, bot/commands.py the menus published
with setMyCommands (French by default, English for "en", fuller for moderators and admins).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CommandHandler, filters

from bot.context import Ctx
from handlers.common import query_of
from handlers.keyboards import KEYBOARDS, Rows
from handlers.keys import Key

Callback = Callable[[Update, Ctx], Coroutine[Any, Any, Any]]

# The welcome menu's buttons (menu:<target>); each has its handler in the table.
SEARCH = Key("menu", "search")
LABS = Key("menu", "labs")
INNOVATIONS = Key("menu", "innovations")
EVENTS = Key("menu", "events")
SUBMIT = Key("menu", "submit")  # the proposals dialogue's entry point
LANGUAGE = Key("menu", "language")  # under the help

# Rows of the welcome keyboard: (catalogue key of the label, callback data).
WELCOME_ROWS: Rows = (
    (("menu.search", SEARCH.data()), ("menu.labs", LABS.data())),
    (("menu.innovations", INNOVATIONS.data()), ("menu.events", EVENTS.data())),
    (("menu.submit", SUBMIT.data()),),
)

MEMBER, MODERATOR, ADMIN = "member", "moderator", "admin"
# Who sees a command in their menu (the commands themselves check roles on the server).
AUDIENCES = {MEMBER: {MEMBER}, MODERATOR: {MEMBER, MODERATOR}, ADMIN: {MEMBER, MODERATOR, ADMIN}}


@dataclass(frozen=True)
class Command:
    """One /command: French name, English alias, what answers it, who sees it, its menu text.

    ``en`` is None when the English name is the French one; ``menu`` names the description shown
    in the command menu (the text ``commands.<menu>``), None for a command the menu leaves out.
    """

    fr: str
    en: str | None
    callback: Callback
    audience: str = MEMBER
    menu: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return (self.fr,) if self.en is None else (self.fr, self.en)

    def name_in(self, language: str) -> str:
        return self.en or self.fr if language == "en" else self.fr

    def shown_to(self, viewer: str) -> bool:
        return self.menu is not None and self.audience in AUDIENCES[viewer]

    def handler(self, only: filters.BaseFilter | None = None) -> CommandHandler[Ctx, Any]:
        return CommandHandler(self.names, self.callback, filters=only)


def welcome_keyboard(context: Ctx, language: str) -> InlineKeyboardMarkup:
    """The welcome menu's buttons in ``language`` (built once per language)."""
    return KEYBOARDS.get(context.deps.texts, language, WELCOME_ROWS)


def pressed(target: Callback) -> Callback:
    """A menu button's callback: answer the press, then do what the command does."""

    async def open_target(update: Update, context: Ctx) -> None:
        await query_of(update).answer()
        await target(update, context)

    return open_target
