"""/proposer: the guided dialogue to propose an initiative, from a phone, in two minutes.

Every answer is saved in the member's draft as it is given; a draft is never dropped except by
an explicit cancel, and after 48 hours without a change the next message offers to resume it or
start again. In a group, /proposer answers with a button to the private chat.

Decision: the step lives in the draft row (``proposals.step``, "submit.name" … "submit.summary"),
and the ConversationHandler has a single state for the whole questionnaire, DRAFTING (plus
OFFER, resume or start again?, and ANSWER, the moderators' question), rather than one state per
question. Why: the row is written in the same transaction as the answer, while PTB persists
conversation states up to a second later, so after a crash only the row is sure to be right; and
the service already knows what each step accepts (text, commune, location, photo, the buttons of
that draft), so a state per question would copy those rules into filters, to disagree with the
row one day. Every question takes the same handlers, which read the row.

Routing (handlers/__init__.py): this dialogue is alone in group 0, before the table. What it
answers stops there: its callbacks raise ``ApplicationHandlerStop(next state)``, PTB's way. An
update none of its handlers match (another feature's command or button) falls through to the
table in group 1, which answers it; the step is unchanged. Opening another dialogue
(/nouvel_evenement, /annonce, a survey's « Répondre »…) pauses the proposal: the ``pausing``
handlers, made from those dialogues' own entry points, end this conversation *without* stopping
the update, so the other dialogue opens in group 1; the draft is kept and /proposer offers to
resume it.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any, NoReturn

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    ApplicationHandlerStop,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.context import Ctx
from bot.services.proposals.rules import Step
from handlers import menu, start
from handlers.common import is_private, language, query_of, say, sender
from handlers.dialogues import cancel_command, dialogue
from handlers.keys import Key
from handlers.menu import Callback
from handlers.proposals import answer, buttons, keys
from handlers.proposals import input as answers
from handlers.proposals.states import END, NAME, Next, State
from handlers.proposals.steps import ask, offer

DEEP_LINK = "proposer"


async def open_dialogue(update: Update, context: Ctx) -> Next:
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


async def on_resume(update: Update, context: Ctx) -> Next:
    """« Reprendre »: the draft where it was left."""
    draft_id = await _offered_draft(update, context, keys.RESUME)
    if draft_id is None:
        return None
    draft = await context.deps.proposals.resume(sender(update).id, draft_id)
    return await ask(update, context, draft)


async def on_restart(update: Update, context: Ctx) -> Next:
    """« Recommencer à zéro »: the draft is dropped, on the member's explicit request."""
    if await _offered_draft(update, context, keys.RESTART) is None:
        return None
    return await _fresh(update, context)


async def on_offer_other(update: Update, context: Ctx) -> Next:
    """Anything but a button under the offer: the offer again (or a fresh draft)."""
    draft = await context.deps.proposals.draft(sender(update).id)
    if draft is None:
        return await _fresh(update, context)
    return await offer(update, context, draft)


async def on_cancel(update: Update, context: Ctx) -> Next:
    """/annuler: the draft is dropped, on the member's explicit request."""
    await context.deps.proposals.cancel(sender(update).id)
    await say(update, context, "proposals.cancelled")
    return END


async def on_pause(update: Update, context: Ctx) -> int:
    """Another dialogue opens: the proposal waits as a draft (the update goes on, see above)."""
    await say(update, context, "proposals.paused")
    return END


async def _offered_draft(update: Update, context: Ctx, key: Key) -> int | None:
    query = query_of(update)
    parsed = keys.ids(key, query.data)
    draft = await context.deps.proposals.draft(sender(update).id)
    if parsed is None or draft is None or draft.id != parsed[0]:
        await query.answer(context.deps.t(update, "proposals.step_over"))
        return None
    await query.answer()
    return draft.id


async def _fresh(update: Update, context: Ctx) -> Next:
    draft = await context.deps.proposals.start(sender(update).id, language(update, context))
    await say(update, context, "proposals.intro")
    return await ask(update, context, draft)


def stops(callback: Callback) -> Callback:
    """``callback``, then the update stops here (the table in group 1 must not answer it too).

    PTB takes the next state from ``ApplicationHandlerStop(state)``. An error goes to the error
    handler as PTB would send it, and stops the update as well.
    """

    @functools.wraps(callback)
    async def stopping(update: Update, context: Ctx) -> NoReturn:
        try:
            next_state = await callback(update, context)
        except Exception as error:
            await context.application.process_error(update, error)
            raise ApplicationHandlerStop from error
        raise ApplicationHandlerStop(next_state)

    return stopping


def pausing(dialogues: Sequence[ConversationHandler[Ctx]]) -> list[BaseHandler[Any, Ctx, Any]]:
    """Handlers for what opens one of ``dialogues`` (their own entry commands and buttons)."""
    handlers: list[BaseHandler[Any, Ctx, Any]] = []
    for other in dialogues:
        for entry in other.entry_points:
            if isinstance(entry, CommandHandler):
                handlers.append(CommandHandler(entry.commands, on_pause, filters=entry.filters))
            elif isinstance(entry, CallbackQueryHandler):
                handlers.append(CallbackQueryHandler(on_pause, pattern=entry.pattern))
    return handlers


def build_conversation(
    opened_by: CommandHandler[Ctx, Any], others: Sequence[ConversationHandler[Ctx]]
) -> ConversationHandler[Ctx]:
    """The persistent ConversationHandler "submit" (the name stays: states are stored under it).

    ``opened_by`` is the table's /proposer handler; opening one of ``others`` pauses a proposal.
    """
    # New messages only: an edited earlier answer must not count as the answer to a later step.
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    # Anything else the member sends, but never a command, even as a file's caption.
    other = private & ~filters.COMMAND & ~filters.CaptionRegex(r"^/") & ~filters.StatusUpdate.ALL
    drafting = [
        CommandHandler(["passer", "skip"], stops(answers.on_skip), filters=private),
        CommandHandler(["retour", "back"], stops(answers.on_back), filters=private),
        MessageHandler(private & filters.LOCATION, stops(answers.on_location)),
        MessageHandler(private & filters.PHOTO, stops(answers.on_photo)),
        MessageHandler(private & filters.TEXT & ~filters.COMMAND, stops(answers.on_text)),
        *(CallbackQueryHandler(stops(cb), pattern=key.pattern) for key, cb in buttons.BUTTONS),
        MessageHandler(other, stops(answers.on_other)),
    ]
    states: dict[object, list[BaseHandler[Any, Ctx, Any]]] = {
        State.DRAFTING: drafting,
        State.OFFER: [MessageHandler(other, stops(on_offer_other))],
        State.ANSWER: [
            CommandHandler(["annuler", "cancel"], stops(answer.on_answer_cancel)),
            MessageHandler(private & filters.TEXT & ~filters.COMMAND, stops(answer.on_answer)),
            MessageHandler(other, stops(answer.on_answer)),
        ],
    }
    # Conversations stored before the single state have the step as state: same handlers (the
    # next answer moves them to DRAFTING).
    states |= {step.value: drafting for step in Step}
    return dialogue(
        NAME,
        [
            CommandHandler(
                opened_by.commands, stops(opened_by.callback), filters=opened_by.filters
            ),
            CommandHandler("start", stops(open_dialogue), filters=start.payload(DEEP_LINK)),
            CallbackQueryHandler(stops(open_dialogue), pattern=menu.SUBMIT.pattern),
            CallbackQueryHandler(stops(on_resume), pattern=keys.RESUME.pattern),
            CallbackQueryHandler(stops(on_restart), pattern=keys.RESTART.pattern),
            CallbackQueryHandler(stops(answer.on_reply_button), pattern=keys.REPLY.pattern),
        ],
        states,
        [
            cancel_command(stops(on_cancel)),
            CallbackQueryHandler(stops(buttons.on_stale), pattern=keys.DIALOGUE_ANY),
            *pausing(others),
        ],
    )
