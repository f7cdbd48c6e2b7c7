"""/langue (/language): pick one of the bot's languages; the choice is stored with the member."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot.context import Ctx
from bot.languages import LANGUAGES, Language
from handlers.common import chat_of, language, query_of, sender
from handlers.keys import Key

SET = Key("lang", "set", (r"[a-z]{2}",))  # the language's code


def label(spoken: Language) -> str:
    """« 🇫🇷 Français »: each language is named in itself."""
    return f"{spoken.flag} {spoken.name}".strip()


async def ask_language(update: Update, context: Ctx) -> None:
    """Offer the languages as buttons; say which translations still await review."""
    texts, lang = context.deps.texts, language(update, context)
    offered = [spoken for spoken in LANGUAGES if spoken.code in texts.languages]
    keyboard = InlineKeyboardMarkup(
        [[SET.button(label(spoken), spoken.code) for spoken in offered]]
    )
    lines = [texts.get(lang, "language.ask")]
    lines += [
        texts.get(lang, "language.awaiting_review", language=spoken.name)
        for spoken in offered
        if not spoken.reviewed
    ]
    await context.bot.send_message(chat_of(update).id, "\n".join(lines), reply_markup=keyboard)


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
