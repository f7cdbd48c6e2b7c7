"""Server-side role checks, applied to every admin and moderator command and button.

The check runs on the sender of the update, never on what the button or chat claims: a forged or
replayed ``callback_data`` from someone else is refused and logged.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from telegram import Update

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
