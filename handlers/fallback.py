"""What the bot says when it cannot use a message: never silence, never a traceback.

In groups the bot stays quiet about messages it cannot use, so it never floods a discussion;
in private chats it always answers with a pointer to /aide.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import chain
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot.context import Ctx
from bot.texts import shorten
from handlers.access import admins_only
from handlers.common import is_private, message_of, query_of, say


async def unknown_command(update: Update, context: Ctx) -> None:
    """An unknown /command: name it and point to /aide."""
    if not is_private(update):
        return
    command = (message_of(update).text or "").split()[0].split("@")[0]
    # Named, not echoed: a 4,090-character "command" is shown by its first 40 units.
    await say(update, context, "fallback.unknown_command", command=shorten(command, 40))


def command_names(handlers: Iterable[BaseHandler[Any, Any, Any]]) -> set[str]:
    """Every /command some handler answers, dialogues' steps included."""
    names: set[str] = set()
    for handler in handlers:
        if isinstance(handler, CommandHandler):
            names |= handler.commands
        elif isinstance(handler, ConversationHandler):
            steps = chain.from_iterable(handler.states.values())
            names |= command_names([*handler.entry_points, *steps, *handler.fallbacks])
    return names


def unknown_commands(known: Iterable[str]) -> MessageHandler[Ctx, None]:
    """A /command none of ``known`` (any case, any addressee): answered at once, see the table."""
    names = "|".join(sorted(map(re.escape, known)))
    known_filter = filters.Regex(re.compile(rf"^/(?:{names})(?:@\w+)?(?!\w)", re.IGNORECASE))
    return MessageHandler(filters.COMMAND & ~known_filter, unknown_command)


async def unusable_message(update: Update, context: Ctx) -> None:
    """A sticker, voice note, or anything the bot cannot read."""
    if is_private(update):
        await say(update, context, "fallback.unusable")


async def plain_text(update: Update, context: Ctx) -> None:
    """Plain text with no better route."""
    if is_private(update):
        await say(update, context, "fallback.text")


async def stale_button(update: Update, context: Ctx) -> None:
    """A button no handler knows (old message, forged data): answer, do nothing."""
    await query_of(update).answer(context.deps.t(update, "fallback.stale_button"))


@admins_only
async def organiser_button(update: Update, context: Ctx) -> None:
    """An organiser's button (event dialogue, announcement) pressed outside its dialogue.

    Registered in the table so a member pressing a forged or replayed organiser button is
    refused as such (and logged), not just told the button is stale.
    """
    await stale_button(update, context)
