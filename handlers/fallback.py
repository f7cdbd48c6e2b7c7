"""What the bot says when it cannot use a message: never silence, never a traceback.

In groups the bot stays quiet about messages it cannot use, so it never floods a discussion;
in private chats it always answers with a pointer to /aide.
"""

from __future__ import annotations

from telegram import Update

from bot.context import Ctx
from handlers.common import is_private, message_of, query_of, say


async def unknown_command(update: Update, context: Ctx) -> None:
    """An unknown /command: name it and point to /aide."""
    if not is_private(update):
        return
    command = (message_of(update).text or "").split()[0].split("@")[0]
    await say(update, context, "fallback.unknown_command", command=command)


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
