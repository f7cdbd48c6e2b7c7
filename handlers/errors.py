"""The last resort: log the failure with its update id and apologise to the member."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import RetryAfter, TelegramError

from bot.context import Ctx
from bot.metrics import TELEGRAM_429

log = logging.getLogger(__name__)


async def on_error(update: object, context: Ctx) -> None:
    """Log the exception (with the update id) and tell the member something went wrong."""
    update_id = update.update_id if isinstance(update, Update) else None
    if isinstance(context.error, RetryAfter):  # a reply refused: Telegram's flood limit
        TELEGRAM_429.inc()
    log.error("error while handling update %s", update_id, exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    try:
        if update.callback_query is not None:
            await update.callback_query.answer()
        await context.bot.send_message(
            update.effective_chat.id, context.deps.t(update, "errors.apology")
        )
    except TelegramError:
        log.warning("could not apologise for update %s", update_id, exc_info=True)
