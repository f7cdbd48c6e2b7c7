"""/proposer: the guided dialogue to propose an initiative, from a phone, in two minutes.

The dialogue is a persistent ConversationHandler, but the draft in the database is what counts:
every answer is saved as it is given, and each handler reads the draft's step. So after a restart
(or a lost state) the member continues where they were, with their answers. A draft is never
dropped except by an explicit cancel; after 48 hours without a change, the next message offers
to resume it or start again. In a group, /proposer answers with a button to the private chat.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.context import Ctx
from bot.services.proposals.rules import Step
from handlers.common import is_private, language, query_of, say, sender
from handlers.proposals.answer import on_answer, on_answer_cancel, on_reply_button
from handlers.proposals.handover import hand_over
from handlers.proposals.input import (
    END,
    on_back,
    on_button,
    on_location,
    on_other,
    on_photo,
    on_skip,
    on_text,
)
from handlers.proposals.keys import (
    OFFER_PATTERN,
    REPLY_PATTERN,
    STEP_PATTERN,
    Extra,
    State,
    parse,
    quiet_per_message_warning,
)
from handlers.proposals.steps import ask, offer

DEEP_LINK = "proposer"


async def open_dialogue(update: Update, context: Ctx) -> State:
    """Start a proposal, or offer to resume the one in progress."""
    if update.callback_query is not None:
        await update.callback_query.answer()
    if not is_private(update):
        username = context.bot.username
        link = f"https://t.me/{username}?start={DEEP_LINK}"
        keyboard = InlineKeyboardMarkup(
            [[InlineKeyboardButton(context.deps.t(update, "proposals.open_private"), url=link)]]
        )
        await say(update, context, "proposals.in_group", reply_markup=keyboard)
        return END
    member = sender(update).id
    draft = await context.deps.proposals.draft(member)
    if draft is not None:
        return await offer(update, context, draft)
    return await _fresh(update, context)


async def open_from_link(update: Update, context: Ctx, rest: str) -> bool:
    """Deep link ``?start=proposer`` (normally caught by the conversation's own entry point)."""
    await open_dialogue(update, context)
    return True


async def on_offer_button(update: Update, context: Ctx) -> State | None:
    """Resume the draft, or explicitly drop it and start again."""
    query = query_of(update)
    parsed = parse(query.data)
    draft = await context.deps.proposals.draft(sender(update).id)
    if parsed is None or draft is None or draft.id != parsed[1]:
        await query.answer(context.deps.t(update, "proposals.step_over"))
        return None
    await query.answer()
    if parsed[0] == "restart":
        return await _fresh(update, context)
    draft = await context.deps.proposals.resume(sender(update).id, draft.id)
    return await ask(update, context, draft)


async def on_offer_other(update: Update, context: Ctx) -> State:
    draft = await context.deps.proposals.draft(sender(update).id)
    if draft is None:
        return await _fresh(update, context)
    return await offer(update, context, draft)


async def on_cancel(update: Update, context: Ctx) -> State:
    """/annuler: the draft is dropped, on the member's explicit request."""
    await context.deps.proposals.cancel(sender(update).id)
    await say(update, context, "proposals.cancelled")
    return END


async def on_stale(update: Update, context: Ctx) -> None:
    """A proposal button whose step is over (old message, finished dialogue)."""
    await query_of(update).answer(context.deps.t(update, "proposals.step_over"))


async def _fresh(update: Update, context: Ctx) -> State:
    draft = await context.deps.proposals.start(sender(update).id, language(update, context))
    await say(update, context, "proposals.intro")
    return await ask(update, context, draft)


def build_conversation() -> ConversationHandler[Ctx]:
    """The persistent ConversationHandler named "submit"."""
    # New messages only: an edited earlier answer must not count as the answer to a later step.
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    step_handlers = [
        CommandHandler(["passer", "skip"], on_skip, filters=private),
        CommandHandler(["retour", "back"], on_back, filters=private),
        MessageHandler(private & filters.LOCATION, on_location),
        MessageHandler(private & filters.PHOTO, on_photo),
        MessageHandler(private & filters.TEXT & ~filters.COMMAND, on_text),
        CallbackQueryHandler(on_button, pattern=STEP_PATTERN),
        MessageHandler(private & ~filters.COMMAND & ~filters.StatusUpdate.ALL, on_other),
    ]
    states: dict[object, list[object]] = {step.value: step_handlers for step in Step}
    states[Extra.OFFER.value] = [
        MessageHandler(private & ~filters.COMMAND & ~filters.StatusUpdate.ALL, on_offer_other),
    ]
    states[Extra.ANSWER.value] = [
        CommandHandler(["annuler", "cancel"], on_answer_cancel),
        MessageHandler(private & filters.TEXT & ~filters.COMMAND, on_answer),
        MessageHandler(private & ~filters.COMMAND & ~filters.StatusUpdate.ALL, on_answer),
    ]
    with quiet_per_message_warning():
        return ConversationHandler(
            entry_points=[
                CommandHandler(["proposer", "submit"], open_dialogue),
                CommandHandler(
                    "start", open_dialogue, filters=filters.Regex(rf"^/start {DEEP_LINK}\b")
                ),
                CallbackQueryHandler(open_dialogue, pattern=r"^menu:submit$"),
                CallbackQueryHandler(on_offer_button, pattern=OFFER_PATTERN),
                CallbackQueryHandler(on_reply_button, pattern=REPLY_PATTERN),
            ],
            states=states,  # type: ignore[arg-type]
            fallbacks=[
                CommandHandler(["annuler", "cancel"], on_cancel),
                CallbackQueryHandler(on_stale, pattern=r"^submit:"),
                MessageHandler(filters.COMMAND, hand_over),
                CallbackQueryHandler(hand_over),
            ],
            name="submit",
            persistent=True,
            allow_reentry=True,
            per_chat=True,
            per_user=True,
            per_message=False,
        )
