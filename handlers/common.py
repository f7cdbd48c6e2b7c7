"""Small helpers every handler uses: who is talking, in which chat, and how to answer."""

from __future__ import annotations

from typing import Any

from telegram import CallbackQuery, Chat, InlineKeyboardMarkup, Message, Update, User
from telegram.constants import ChatType

from bot.context import Ctx


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
