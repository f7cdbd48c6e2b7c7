"""Publish the command menus: French by default, one menu per other language of bot.languages,
and fuller menus in the private chats of moderators and administrators (and the moderators'
group).

Menus are a convenience only: every organiser command checks the sender's role itself.
"""

from __future__ import annotations

import logging

from telegram import BotCommand, BotCommandScope, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import TelegramError

from bot.context import BotApp, Deps, deps_of
from bot.languages import REFERENCE
from bot.texts import Texts
from handlers import COMMANDS
from handlers.menu import ADMIN, MEMBER, MODERATOR

log = logging.getLogger(__name__)


def menu(texts: Texts, language: str, viewer: str) -> list[BotCommand]:
    """The command list shown to ``viewer`` (member, moderator, admin) speaking ``language``.

    Commands have French and English names; other languages (Breton) list the French ones.
    """
    return [
        BotCommand(command.name_in(language), texts.get(language, f"commands.{command.menu}"))
        for command in COMMANDS
        if command.shown_to(viewer)
    ]


def audiences(deps: Deps) -> list[tuple[BotCommandScope, str]]:
    """Each scope that gets a menu, with the menu it gets (admins win over moderators)."""
    bot = deps.config.bot
    scopes: list[tuple[BotCommandScope, str]] = [(BotCommandScopeDefault(), MEMBER)]
    moderator_chats = [*bot.moderator_ids, bot.moderators_chat_id]
    scopes.extend(
        (BotCommandScopeChat(chat_id), MODERATOR)
        for chat_id in dict.fromkeys(moderator_chats)
        if chat_id and chat_id not in bot.admin_ids
    )
    scopes.extend((BotCommandScopeChat(admin_id), ADMIN) for admin_id in bot.admin_ids)
    return scopes


async def publish_commands(app: BotApp) -> bool:
    """Publish every menu; a failure is logged as a warning and the bot starts anyway."""
    deps = deps_of(app)
    try:
        for scope, viewer in audiences(deps):
            for language in deps.texts.languages:
                await app.bot.set_my_commands(
                    menu(deps.texts, language, viewer),
                    scope=scope,
                    language_code=None if language == REFERENCE else language,
                )
    except TelegramError as exc:
        log.warning("could not publish the command menus (%s); starting anyway", exc)
        return False
    return True
