"""Members: remember who is talking before routing (cached, see MemberService), and /langue
(/language), the language a member picks, stored with them."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot.context import Ctx
from bot.languages import LANGUAGES, Language
from bot.services.members.service import Identity
from handlers.common import chat_of, language, query_of, sender
from handlers.keys import Key

LANGUAGE = Key("members", "language", (r"[a-z]{2}",))  # the chosen language's code


def label(spoken: Language) -> str:
    """« 🇫🇷 Français »: each language is named in itself."""
    return f"{spoken.flag} {spoken.name}".strip()


async def ask_language(update: Update, context: Ctx) -> None:
    """Offer the languages as buttons; say which translations still await review."""
    texts, lang = context.deps.texts, language(update, context)
    offered = [spoken for spoken in LANGUAGES if spoken.code in texts.languages]
    keyboard = InlineKeyboardMarkup(
        [[LANGUAGE.button(label(spoken), spoken.code) for spoken in offered]]
    )
    lines = [texts.get(lang, "members.language.ask")]
    lines += [
        texts.get(lang, "members.language.awaiting_review", language=spoken.name)
        for spoken in offered
        if not spoken.reviewed
    ]
    await context.bot.send_message(chat_of(update).id, "\n".join(lines), reply_markup=keyboard)


async def on_language_chosen(update: Update, context: Ctx) -> None:
    """Store the chosen language and confirm in it."""
    query = query_of(update)
    (code,) = LANGUAGE.values(query.data)
    if code not in context.deps.texts.languages:
        await query.answer(context.deps.t(update, "fallback.stale_button"))
        return
    await context.deps.members.set_language(sender(update).id, code)
    await query.answer()
    await query.edit_message_text(context.deps.t(update, "members.language.saved"))


async def remember(update: Update, context: Ctx) -> None:
    """Record the sender so their language and roles are known to every handler."""
    user = update.effective_user
    if user is None or user.is_bot:
        return
    await context.deps.members.remember(
        Identity(
            telegram_id=user.id,
            first_name=user.first_name,
            last_name=user.last_name or "",
            username=user.username or "",
            language_code=user.language_code or "",
        )
    )
