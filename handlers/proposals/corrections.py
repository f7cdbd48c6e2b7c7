"""« Corriger » on the moderators' card: pick a field, type its new value, the card follows.

The typed value is asked with a forced reply (it reaches the bot in a group with privacy mode,
as typed reasons do) and checked like the member's answer; the moderation dialogue
(handlers/proposals/moderation.py) holds the step, ``FIXING``.
"""

from __future__ import annotations

from telegram import ForceReply, Update
from telegram.ext import ConversationHandler

from bot.context import Ctx
from bot.services.proposals.corrections import FIELDS
from bot.services.proposals.rules import Invalid
from handlers.access import moderators_only
from handlers.common import (
    chat_of,
    edit_buttons,
    figures,
    language,
    message_of,
    query_of,
    say,
    sender,
)
from handlers.proposals import keys
from handlers.proposals.moderation_cards import (
    card_keyboard,
    card_text,
    fields_keyboard,
    refresh_card,
)
from handlers.proposals.steps import summary_params

FIXING = "moderation.fixing"


@moderators_only
async def on_fix(update: Update, context: Ctx) -> None:
    """« Corriger »: the card's buttons become the fields."""
    query = query_of(update)
    parsed = keys.ids(keys.FIX, query.data)
    card = None if parsed is None else await context.deps.proposals.moderation.card(parsed[0])
    if card is None or card.proposal.status != "pending":
        await query.answer(context.deps.t(update, "proposals.moderation.already_decided"))
        return
    await query.answer()
    lang = language(update, context)
    await edit_buttons(query, fields_keyboard(context.deps, lang, card.proposal))


@moderators_only
async def on_fix_field(update: Update, context: Ctx) -> str | int:
    """A field picked: its current value, and the new one asked."""
    query = query_of(update)
    parsed = keys.ids(keys.FIX_FIELD, query.data)
    field = FIELDS[parsed[1]] if parsed is not None and 0 <= parsed[1] < len(FIELDS) else ""
    card = None
    if parsed is not None and field:
        card = await context.deps.proposals.corrections.start(parsed[0], sender(update).id, field)
    if card is None:
        await query.answer(context.deps.t(update, "proposals.moderation.already_decided"))
        return ConversationHandler.END
    await query.answer()
    lang = language(update, context)
    current = summary_params(context.deps.texts, lang, card.proposal)[field]
    await context.bot.send_message(
        chat_of(update).id,
        context.deps.t(
            update,
            "proposals.moderation.prompt_fix",
            who=sender(update).first_name,
            field=context.deps.t(update, f"proposals.field.{field}"),
            current=str(current),
        ),
        reply_markup=ForceReply(selective=True),
    )
    return FIXING


@moderators_only
async def on_fix_text(update: Update, context: Ctx) -> str | int:
    """The new value: checked, saved, the card updated (asked again if it does not fit)."""
    text = message_of(update).text or ""
    try:
        done = await context.deps.proposals.corrections.complete(sender(update).id, text)
    except Invalid as problem:
        explained = context.deps.t(update, problem.key, **figures(update, context, problem.params))
        await context.bot.send_message(chat_of(update).id, explained)
        return FIXING
    if done is None:
        await say(update, context, "proposals.moderation.prompt_lost")
        return ConversationHandler.END
    if done.card is None:
        await say(
            update, context, "proposals.moderation.fix_commune", names=", ".join(done.suggestions)
        )
        return FIXING
    card = done.card
    await refresh_card(context, card)
    if chat_of(update).id != card.proposal.card_chat_id:  # e.g. from /moderation in private
        lang = language(update, context)
        await context.bot.send_message(
            chat_of(update).id,
            card_text(context.deps, lang, card),
            reply_markup=card_keyboard(context.deps, lang, card.proposal),
        )
    await say(update, context, "proposals.moderation.fixed")
    return ConversationHandler.END
