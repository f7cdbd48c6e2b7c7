"""The member answers the moderators' question; the answer goes back to the card."""

from __future__ import annotations

from telegram import Update

from bot.context import Ctx
from bot.texts import utf16_length
from handlers.common import figures, message_of, query_of, say, sender
from handlers.dialogues import hold
from handlers.proposals import keys
from handlers.proposals.moderation_cards import TEXT_MAX, refresh_card, too_long
from handlers.proposals.states import END, NAME, Next, State
from handlers.proposals.steps import ask


async def on_reply_button(update: Update, context: Ctx) -> Next:
    """« Répondre » under the moderators' question."""
    query = query_of(update)
    parsed = keys.ids(keys.REPLY, query.data)
    proposal = None
    if parsed is not None:
        proposal = await context.deps.proposals.moderation.start_answer(
            sender(update).id, parsed[0]
        )
    if proposal is None:
        await query.answer(context.deps.t(update, "proposals.step_over"))
        return None
    await query.answer()
    await hold(update, context, NAME, State.ANSWER)
    await say(update, context, "proposals.answer_ask", name=proposal.name)
    return State.ANSWER


async def on_answer(update: Update, context: Ctx) -> Next:
    """The answer (text only), then back to the draft in progress, if any."""
    text = message_of(update).text
    if not text:
        await say(update, context, "proposals.answer_text_only")
        return State.ANSWER
    if too_long(text):
        length = utf16_length(text)
        shown = figures(update, context, {"limit": TEXT_MAX, "length": length})
        await say(update, context, "proposals.too_long", **shown)
        return State.ANSWER
    card = await context.deps.proposals.moderation.answer(sender(update).id, text)
    if card is None:
        return await _back_to_draft(update, context)
    await refresh_card(context, card)
    chat_id, message_id = card.proposal.card_chat_id, card.proposal.card_message_id
    if chat_id is not None:
        sent = await context.bot.send_message(
            chat_id,
            context.deps.texts.get(
                context.deps.texts.default_language,
                "proposals.moderation.answer_received",
                number=card.proposal.id,
                text=text,
            ),
            reply_to_message_id=message_id,
        )
        await context.deps.proposals.moderation.shown(
            card.proposal.id, chat_id, sent.message_id, "answer"
        )
    await say(update, context, "proposals.answer_thanks")
    return await _back_to_draft(update, context)


async def on_answer_cancel(update: Update, context: Ctx) -> Next:
    """/annuler instead of an answer: the member may answer later; the draft resumes."""
    await context.deps.proposals.moderation.stop_answering(sender(update).id)
    await say(update, context, "proposals.answer_cancelled")
    return await _back_to_draft(update, context)


async def _back_to_draft(update: Update, context: Ctx) -> Next:
    draft = await context.deps.proposals.draft(sender(update).id)
    if draft is None:
        return END
    return await ask(update, context, draft)
