"""Small helpers every handler uses: who is talking, in which chat, and how to answer."""

from __future__ import annotations

import html
from typing import Any
from urllib.parse import quote

from telegram import CallbackQuery, Chat, InlineKeyboardMarkup, Message, Update, User
from telegram.constants import ChatType
from telegram.error import BadRequest

from bot.context import Ctx
from bot.formatting import format_number


def sender(update: Update) -> User:
    """The member who sent the update (every routed update has one)."""
    user = update.effective_user
    if user is None:
        raise ValueError(f"update {update.update_id} has no sender")
    return user


def chat_of(update: Update) -> Chat:
    """The chat the update came from (every routed update has one)."""
    chat = update.effective_chat
    if chat is None:
        raise ValueError(f"update {update.update_id} has no chat")
    return chat


def message_of(update: Update) -> Message:
    """The update's message (every routed update has one)."""
    message = update.effective_message
    if message is None:
        raise ValueError(f"update {update.update_id} has no message")
    return message


def query_of(update: Update) -> CallbackQuery:
    """The pressed button's callback query (button handlers only)."""
    if update.callback_query is None:
        raise ValueError(f"update {update.update_id} is not a button press")
    return update.callback_query


def is_private(update: Update) -> bool:
    """Whether the update comes from a private chat with the bot."""
    chat = update.effective_chat
    return chat is not None and chat.type == ChatType.PRIVATE


def language(update: Update, context: Ctx) -> str:
    """The sender's language for the bot's texts."""
    return context.deps.language_of(update.effective_user)


def label(update: Update, context: Ctx, key: str, **params: Any) -> str:
    """A button's text: plain, not HTML (a title's « & » or « < » is shown as typed)."""
    return html.unescape(context.deps.t(update, key, **params))


def figures(update: Update, context: Ctx, params: dict[str, Any]) -> dict[str, Any]:
    """``params`` with their whole numbers written the member's way (« 4 000 », « 4,000 »)."""
    lang = language(update, context)
    return {
        name: format_number(value, lang)
        if isinstance(value, int) and not isinstance(value, bool)
        else value
        for name, value in params.items()
    }


async def say(
    update: Update,
    context: Ctx,
    key: str,
    /,
    *,
    reply_markup: InlineKeyboardMarkup | None = None,
    **params: Any,
) -> Message:
    """Send catalogue text ``key`` to the update's chat, in the sender's language."""
    return await context.bot.send_message(
        chat_id=chat_of(update).id,
        text=context.deps.t(update, key, **params),
        reply_markup=reply_markup,
    )


async def say_plural(
    update: Update,
    context: Ctx,
    key: str,
    count: int,
    /,
    *,
    reply_markup: InlineKeyboardMarkup | None = None,
    **params: Any,
) -> Message:
    """Like :func:`say`, with the plural form of ``key`` for ``count`` (CLDR categories)."""
    return await context.bot.send_message(
        chat_id=chat_of(update).id,
        text=context.deps.plural(update, key, count, **params),
        reply_markup=reply_markup,
    )


# A card or a list as shown: its text and its buttons.
View = tuple[str, InlineKeyboardMarkup | None]


async def send_view(update: Update, context: Ctx, view: View) -> None:
    """Send a card or a list as a new message in the update's chat."""
    text, markup = view
    await context.bot.send_message(chat_of(update).id, text, reply_markup=markup)


async def show(update: Update, context: Ctx, view: View) -> None:
    """Edit the pressed message in place, or send a new one for a command or a link."""
    query = update.callback_query
    if query is None:
        await send_view(update, context, view)
        return
    text, markup = view
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as exc:  # the same button pressed twice: nothing to change
        if "not modified" not in str(exc):
            raise


async def edit_buttons(query: CallbackQuery, markup: InlineKeyboardMarkup | None) -> None:
    """Replace the pressed message's buttons; pressed twice, there is nothing to change."""
    try:
        await query.edit_message_reply_markup(markup)
    except BadRequest as exc:
        if "not modified" not in str(exc):
            raise


def deep_link(context: Ctx, payload: str) -> str:
    """The t.me link that opens the bot on ``payload`` (a card, a dialogue)."""
    return f"https://t.me/{context.bot.username}?start={payload}"


def share_url(context: Ctx, payload: str, title: str) -> str:
    """Telegram's share sheet with a card's deep link (no callback: nothing to store)."""
    return f"https://t.me/share/url?url={quote(deep_link(context, payload))}&text={quote(title)}"
