"""/annonce: compose, preview with the number of recipients, confirm, watch the progress.

The progress message is edited in place by a job every few seconds (« 340/1 200 envoyés,
3 bloqués ») until nothing is pending, then it becomes the final summary with the true counts
(``bot.jobs``). The message itself is sent by the delivery engine, never from here.
"""

from __future__ import annotations

from enum import StrEnum

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.context import Ctx
from handlers.access import admins_only
from handlers.common import chat_of, message_of, query_of, say, sender
from handlers.proposals.keys import quiet_per_message_warning

PATTERN = r"^announce:(send|discard)$"


class Step(StrEnum):
    TEXT = "announce.text"
    CONFIRM = "announce.confirm"


@admins_only
async def start(update: Update, context: Ctx) -> str:
    await say(update, context, "delivery.announce.ask")
    return Step.TEXT


@admins_only
async def on_text(update: Update, context: Ctx) -> str:
    """Keep the draft and show it as members will see it, with the count."""
    message = message_of(update)
    text = message.text_html or ""
    count = await context.deps.delivery.announcements.save_text(sender(update).id, text)
    await say(update, context, "delivery.announce.preview")
    await context.bot.send_message(chat_of(update).id, text)
    t = context.deps.t
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t(update, "delivery.announce.send"), callback_data="announce:send"
                ),
                InlineKeyboardButton(
                    t(update, "delivery.announce.discard"), callback_data="announce:discard"
                ),
            ]
        ]
    )
    await say(update, context, "delivery.announce.count", count=count, reply_markup=markup)
    return Step.CONFIRM


@admins_only
async def on_confirm(update: Update, context: Ctx) -> int:
    query = query_of(update)
    await query.answer()
    service = context.deps.delivery.announcements
    if query.data != "announce:send":
        await service.discard(sender(update).id)
        await say(update, context, "delivery.announce.cancelled")
        return ConversationHandler.END
    progress = await say(
        update, context, "delivery.announce.progress", sent=0, total=0, blocked=0, doubt=0
    )
    try:
        # The service tells the wiring, which edits the progress message as sends go out.
        await service.confirm(sender(update).id, progress.chat.id, progress.message_id)
    except LookupError:
        await say(update, context, "delivery.announce.expired")
    return ConversationHandler.END


async def on_cancel(update: Update, context: Ctx) -> int:
    await context.deps.delivery.announcements.discard(sender(update).id)
    await say(update, context, "delivery.announce.cancelled")
    return ConversationHandler.END


def build_conversation() -> ConversationHandler[Ctx]:
    """The /annonce dialogue (admins only, command and buttons)."""
    with quiet_per_message_warning():
        return ConversationHandler(
            entry_points=[CommandHandler(["annonce", "announce"], start)],
            states={
                Step.TEXT: [MessageHandler(filters.TEXT & ~filters.COMMAND, on_text)],
                Step.CONFIRM: [CallbackQueryHandler(on_confirm, pattern=PATTERN)],
            },
            fallbacks=[CommandHandler(["annuler", "cancel"], on_cancel)],
            name="announce",
            persistent=True,
            allow_reentry=True,
            per_chat=True,
            per_user=True,
            per_message=False,
        )
