"""/aide (/help): what the member can do; organisers also see their commands."""

from __future__ import annotations

from telegram import Update

from bot.context import Ctx
from handlers.common import say, sender


async def show_help(update: Update, context: Ctx) -> None:
    """List what the member can do, plus the organisers' commands for admins."""
    await say(update, context, "help.text")
    if context.deps.members.is_admin(sender(update).id):
        await say(update, context, "help.admin")
