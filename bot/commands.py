"""Publish the command menus: French by default, English for "en", and one for admins' chats."""

from __future__ import annotations

import logging

from telegram import BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import TelegramError

from bot.context import BotApp
from bot.texts import Texts
from handlers import MENU_COMMANDS

log = logging.getLogger(__name__)


def menu(texts: Texts, language: str, *, admin: bool) -> list[BotCommand]:
    """The command list shown to a member speaking ``language`` (admins see more)."""
    return [
        BotCommand(
            command.en if language == "en" else command.fr,
            texts.get(language, command.description_key),
        )
        for command in MENU_COMMANDS
        if admin or not command.admin_only
    ]


async def publish_commands(app: BotApp) -> bool:
    """Publish every menu; a failure is logged as a warning and the bot starts anyway."""
    deps = app.bot_data["deps"]
    texts: Texts = deps.texts
    try:
        await app.bot.set_my_commands(
            menu(texts, "fr", admin=False), scope=BotCommandScopeDefault()
        )
        await app.bot.set_my_commands(
            menu(texts, "en", admin=False), scope=BotCommandScopeDefault(), language_code="en"
        )
        for admin_id in deps.members.admin_ids:
            scope = BotCommandScopeChat(admin_id)
            await app.bot.set_my_commands(menu(texts, "fr", admin=True), scope=scope)
            await app.bot.set_my_commands(
                menu(texts, "en", admin=True), scope=scope, language_code="en"
            )
    except TelegramError as exc:
        log.warning("could not publish the command menus (%s); starting anyway", exc)
        return False
    return True
