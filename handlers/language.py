"""/langue (/language): pick French or English; the choice is stored with the member."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot.context import Ctx
from handlers.common import query_of, say, sender
from handlers.keys import Key

SET = Key("lang", "set", (r"[a-z]{2}",))  # the language's code
CHOICES = (("fr", "language.french"), ("en", "language.english"))


async def ask_language(update: Update, context: Ctx) -> None:
    """Offer the languages as buttons."""
    keyboard = InlineKeyboardMarkup(
        [[SET.button(context.deps.t(update, key), code) for code, key in CHOICES]]
    )
    await say(update, context, "language.ask", reply_markup=keyboard)


async def on_language_chosen(update: Update, context: Ctx) -> None:
    """Store the chosen language and confirm in it."""
    query = query_of(update)
    (code,) = SET.values(query.data)
    if code not in context.deps.texts.languages:
        await query.answer(context.deps.t(update, "fallback.stale_button"))
        return
    await context.deps.members.set_language(sender(update).id, code)
    await query.answer()
    await query.edit_message_text(context.deps.t(update, "language.saved"))
