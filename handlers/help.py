"""/aide (/help): what the member can do; organisers also see their commands."""

from __future__ import annotations

from telegram import Update

from bot.context import Ctx
from handlers.common import say, sender
from handlers.keyboards import KEYBOARDS, Rows
from handlers.menu import LANGUAGE

# The language switch lives under the help: members who need it look there first.
HELP_ROWS: Rows = ((("menu.language", LANGUAGE.data()),),)


async def show_help(update: Update, context: Ctx) -> None:
    """List what the member can do, plus the organisers' commands for admins."""
    language = context.deps.language_of(update.effective_user)
    keyboard = KEYBOARDS.get(context.deps.texts, language, HELP_ROWS)
    await say(update, context, "help.text", reply_markup=keyboard)
    if context.deps.members.is_admin(sender(update).id):
        await say(update, context, "help.admin")
