"""/annonce: compose, preview with the number of recipients, confirm, watch the progress.

The progress message is edited in place by a job every few seconds (« 340/1 200 envoyés,
3 bloqués ») until nothing is pending, then it becomes the final summary with the true counts
(``bot.jobs``). The message itself is sent by the delivery engine, never from here.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.context import Ctx
from bot.formatting import format_number
from handlers.access import admins_only
from handlers.common import chat_of, language, message_of, query_of, say, say_plural, sender
from handlers.dialogues import cancel_command, dialogue, hold
from handlers.keys import Key

# The announcement's confirmation buttons.
SEND = Key("delivery", "send")
DISCARD = Key("delivery", "discard")
NAME = "announce"


class Step(StrEnum):
    TEXT = "announce.text"
    CONFIRM = "announce.confirm"


@admins_only
async def start(update: Update, context: Ctx) -> str:
    """/annonce: the admin is asked for the announcement's text; /annonce <texte> is previewed
    at once."""
    # The command itself is plain ASCII, so the HTML after its first space or line break is
    # the text typed.
    parts = (message_of(update).text_html or "").split(maxsplit=1)
    if len(parts) == 2 and parts[1].replace("\x00", "").strip():
        return await _preview(update, context, parts[1])
    await hold(update, context, NAME, Step.TEXT)
    await say(update, context, "delivery.announce.ask")
    return Step.TEXT


@admins_only
async def on_text(update: Update, context: Ctx) -> str:
    """Keep the draft and show it as members will see it, with the count."""
    return await _preview(update, context, message_of(update).text_html or "")


async def _preview(update: Update, context: Ctx, text: str) -> str:
    # NUL is dropped before storage anyway; a text of spaces or NULs is nothing to send (Telegram
    # refuses an empty message): ask again.
    text = text.replace("\x00", "")
    if not text.strip():
        await say(update, context, "delivery.announce.empty")
        return Step.TEXT
    audience = await context.deps.delivery.announcements.save_text(sender(update).id, text)
    await hold(update, context, NAME, Step.CONFIRM)
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
    refused = (
        context.deps.plural(update, "delivery.announce.refused", audience.refused)
        if audience.refused
        else ""
    )
    await say_plural(
        update,
        context,
        "delivery.announce.count",
        audience.recipients,
        reply_markup=markup,
        refused=refused,
    )
    return Step.CONFIRM


@admins_only
async def on_discard(update: Update, context: Ctx) -> int:
    """« Annuler »: the draft announcement is dropped, nothing is sent."""
    await query_of(update).answer()
    await context.deps.delivery.announcements.discard(sender(update).id)
    await say(update, context, "delivery.announce.cancelled")
    return ConversationHandler.END


@admins_only
async def on_send(update: Update, context: Ctx) -> int:
    """« Envoyer »: planned in the outbox first, then the progress message that follows it."""
    await query_of(update).answer()
    service = context.deps.delivery.announcements
    try:
        # Planned (committed) before « Envoi en cours » is said: a crash in between leaves the
        # sends to go, and the start-up sends the progress message (bot.jobs).
        view = await service.confirm(sender(update).id, chat_of(update).id)
    except LookupError:
        await say(update, context, "delivery.announce.expired")
        return ConversationHandler.END
    zero = format_number(0, language(update, context))
    total = format_number(view.recipients, language(update, context))
    progress = await say(
        update,
        context,
        "delivery.announce.progress",
        sent=zero,
        total=total,
        blocked=zero,
        doubt=zero,
    )
    # The service tells the wiring, which edits the progress message as sends go out.
    await service.attach_progress(view.id, progress.message_id)
    return ConversationHandler.END


async def on_cancel(update: Update, context: Ctx) -> int:
    """/annuler: the draft announcement is dropped, nothing is sent."""
    await context.deps.delivery.announcements.discard(sender(update).id)
    await say(update, context, "delivery.announce.cancelled")
    return ConversationHandler.END


def build_conversation(opened_by: CommandHandler[Ctx, Any]) -> ConversationHandler[Ctx]:
    """The /annonce dialogue (admins only, command and buttons); ``opened_by`` is the table's
    /annonce handler."""
    return dialogue(
        NAME,
        [opened_by],
        {
            Step.TEXT: [MessageHandler(filters.TEXT & ~filters.COMMAND, on_text)],
            Step.CONFIRM: [
                CallbackQueryHandler(on_send, pattern=SEND.pattern),
                CallbackQueryHandler(on_discard, pattern=DISCARD.pattern),
            ],
        },
        [cancel_command(on_cancel)],
    )
