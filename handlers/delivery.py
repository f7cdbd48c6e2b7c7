"""/annonce: compose, preview with the number of recipients, confirm, watch the progress.

The progress message is edited in place by a job every few seconds (« 340/1 200 envoyés,
3 bloqués ») until nothing is pending, then it becomes the final summary with the true counts.
The message itself is sent by the delivery engine, never from here.
"""

from __future__ import annotations

import contextlib
from enum import StrEnum
from typing import Any

from telegram import InlineKeyboardMarkup, Update
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
from handlers.access import admins_only
from handlers.common import chat_of, message_of, query_of, say, sender
from handlers.keys import Key, quiet_per_message_warning

# The announcement's confirmation buttons.
SEND = Key("delivery", "send")
DISCARD = Key("delivery", "discard")
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
                SEND.button(t(update, "delivery.announce.send")),
                DISCARD.button(t(update, "delivery.announce.discard")),
            ]
        ]
    )
    await say(update, context, "delivery.announce.count", count=count, reply_markup=markup)
    return Step.CONFIRM


@admins_only
async def on_discard(update: Update, context: Ctx) -> int:
    await query_of(update).answer()
    await context.deps.delivery.announcements.discard(sender(update).id)
    await say(update, context, "delivery.announce.cancelled")
    return ConversationHandler.END


@admins_only
async def on_send(update: Update, context: Ctx) -> int:
    """« Envoyer »: planned in the outbox; the progress message follows it."""
    await query_of(update).answer()
    service = context.deps.delivery.announcements
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
    text = deps.texts.get(
        language,
        key,
        sent=progress.sent,
        total=progress.total,
        blocked=progress.blocked,
        failed=progress.failed,
        doubt=progress.in_doubt,
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


def build_conversation(opened_by: CommandHandler[Ctx, Any]) -> ConversationHandler[Ctx]:
    """The /annonce dialogue (admins only, command and buttons); ``opened_by`` is the table's
    /annonce handler."""
    with quiet_per_message_warning():
        return ConversationHandler(
            entry_points=[opened_by],
            states={
                Step.TEXT: [MessageHandler(filters.TEXT & ~filters.COMMAND, on_text)],
                Step.CONFIRM: [
                    CallbackQueryHandler(on_send, pattern=SEND.pattern),
                    CallbackQueryHandler(on_discard, pattern=DISCARD.pattern),
                ],
            },
            fallbacks=[CommandHandler(["annuler", "cancel"], on_cancel)],
            name="announce",
            persistent=True,
            allow_reentry=True,
            per_chat=True,
            per_user=True,
            per_message=False,
        )
