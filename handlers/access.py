"""Server-side role checks, applied to every admin and moderator command and button.

The check runs on the sender of the update, never on what the button or chat claims: a forged or
replayed ``callback_data`` from someone else is refused and logged.

Before any of that, a press is honoured only if the pressed message carries that button
(:func:`pressed_buttons_only`): a modified client can send any ``callback_data`` on any message
it can see, and handlers edit the pressed message — a group member turned the moderators' card
into a lab card that way. docs/architecture.md (« Hostile input ») lists the cases.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from telegram import CallbackQuery, Message, Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from bot.context import Ctx
from handlers.common import sender

log = logging.getLogger(__name__)
R = TypeVar("R")
Handler = Callable[[Update, Ctx], Coroutine[Any, Any, R]]


def admins_only(handler: Handler[R]) -> Handler[R | None]:
    """Run ``handler`` only for configured administrators."""
    return _guard(handler, "admin", "access.admins_only")


def moderators_only(handler: Handler[R]) -> Handler[R | None]:
    """Run ``handler`` only for moderators (administrators included)."""
    return _guard(handler, "moderator", "access.moderators_only")


def _guard(handler: Handler[R], role: str, refusal_key: str) -> Handler[R | None]:
    @functools.wraps(handler)
    async def guarded(update: Update, context: Ctx) -> R | None:
        user_id = sender(update).id
        members = context.deps.members
        allowed = members.is_admin(user_id) if role == "admin" else members.is_moderator(user_id)
        if allowed:
            return await handler(update, context)
        log.warning(
            "refused %s action %s to user %s (update %s)",
            role,
            handler.__qualname__,
            user_id,
            update.update_id,
        )
        refusal = context.deps.t(update, refusal_key)
        if update.callback_query is not None:
            await update.callback_query.answer(refusal, show_alert=True)
        elif update.effective_chat is not None:
            await context.bot.send_message(update.effective_chat.id, refusal)
        return None

    return guarded


async def pressed_buttons_only(update: Update, context: Ctx) -> None:
    """Group -2: a press whose data is not on the pressed message gets a toast and goes no
    further (no handler runs, nothing is edited)."""
    query = update.callback_query
    if query is None or _carries(query) or context.deps.members.is_moderator(sender(update).id):
        return
    log.warning(
        "refused a press of %r by user %s: not a button of message %s (update %s)",
        query.data,
        sender(update).id,
        query.message.message_id if query.message else None,
        update.update_id,
    )
    await query.answer(context.deps.t(update, "fallback.stale_button"))
    raise ApplicationHandlerStop


def _carries(query: CallbackQuery) -> bool:
    """Whether the pressed message has a button with the query's data.

    Inline-mode messages come without the message (``inline_message_id``): they are members'
    own posts of public cards, honoured as they are. A message too old for Telegram to show us
    (InaccessibleMessage) cannot be checked: honoured in a private chat, where only its member
    sees the buttons, refused in a group (moderators and organisers excepted, see above).
    """
    message = query.message
    if message is None or query.data is None:
        return True
    if not isinstance(message, Message) or not message.is_accessible:
        return message.chat.type == ChatType.PRIVATE
    markup = message.reply_markup
    rows = markup.inline_keyboard if markup is not None else ()
    return any(button.callback_data == query.data for row in rows for button in row)
