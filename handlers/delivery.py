"""/annonce: compose, preview with the number of recipients, confirm, watch the progress.

The progress message is edited in place by a job every few seconds (« 340/1 200 envoyés,
3 bloqués ») until nothing is pending, then it becomes the final summary with the true counts.
The message itself is sent by the delivery engine, never from here.
"""

from __future__ import annotations

import contextlib
from enum import StrEnum
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import (
    CallbackContext,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.context import DEPS_KEY, Ctx, Deps
from bot.formatting import format_number
from handlers.access import admins_only
from handlers.common import chat_of, message_of, query_of, say, say_plural, sender
from handlers.proposals.keys import quiet_per_message_warning

PATTERN = r"^announce:(send|discard)$"
PROGRESS_EVERY = 3.0


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
    await say_plural(update, context, "delivery.announce.count", count, reply_markup=markup)
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
        view = await service.confirm(sender(update).id, progress.chat.id, progress.message_id)
    except LookupError:
        await say(update, context, "delivery.announce.expired")
        return ConversationHandler.END
    if context.job_queue is not None:
        context.job_queue.run_repeating(
            update_progress,
            interval=PROGRESS_EVERY,
            first=PROGRESS_EVERY,
            data=view.id,
            name=f"announce:{view.id}",
        )
    return ConversationHandler.END


async def update_progress(context: CallbackContext[Any, Any, Any, Any]) -> None:
    """Edit the organiser's progress message; the final summary once nothing is pending."""
    job = context.job
    assert job is not None
    assert isinstance(job.data, int)
    deps = context.bot_data[DEPS_KEY]
    assert isinstance(deps, Deps)
    view, progress = await deps.delivery.announcements.progress(job.data)
    language = deps.language_of(None)
    member = deps.members.cached(view.progress_chat_id)
    if member is not None:
        language = deps.texts.pick_language(member.language, member.telegram_language)
    key = "delivery.announce.done" if progress.done else "delivery.announce.progress"
    counts = {
        "sent": progress.sent,
        "total": progress.total,
        "blocked": progress.blocked,
        "failed": progress.failed,
        "doubt": progress.in_doubt,
    }
    text = deps.texts.get(
        language, key, **{name: format_number(n, language) for name, n in counts.items()}
    )
    with contextlib.suppress(BadRequest):  # "message is not modified" between two ticks
        await context.bot.edit_message_text(
            text, chat_id=view.progress_chat_id, message_id=view.progress_message_id
        )
    if progress.done:
        job.schedule_removal()


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
