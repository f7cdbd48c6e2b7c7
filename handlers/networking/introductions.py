"""Introductions: « Proposer une mise en relation », the other's answer, blocks, reports, relay.

The request, the answers' outcomes and relayed messages reach the other member through the
outbox (bot/services/networking/introductions.py); here only the presser is answered.
"""

from __future__ import annotations

import contextlib

from telegram import InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import ConversationHandler

from bot.context import Ctx
from bot.services.networking.introductions import IntroductionRefused
from bot.services.networking.sending import Answer
from handlers.common import message_of, query_of, say, sender
from handlers.networking import keys
from handlers.networking.states import Step

OUTCOMES = {"over": "networking.intro.over", "not_yours": "networking.intro.over"}


async def ask_note(update: Update, context: Ctx) -> Step | int:
    """« Proposer une mise en relation »: checked now, then a one-line note or none."""
    query = query_of(update)
    (target,) = keys.PROPOSE.values(query.data)
    await query.answer()
    service, me = context.deps.networking.introductions, sender(update).id
    try:
        card = await service.target(me, int(target))
    except IntroductionRefused as refused:
        await say(update, context, f"networking.refused.{refused.reason}", limit=refused.limit)
        return ConversationHandler.END
    await service.hold(me, target=card.member_id)
    name = card.name or context.deps.t(update, "networking.card.someone")
    markup = InlineKeyboardMarkup(
        [
            [keys.WITHOUT_NOTE.button(context.deps.t(update, "networking.button.no_note"))],
            [keys.BACK.button(context.deps.t(update, "networking.button.cancel"))],
        ]
    )
    await say(update, context, "networking.intro.ask_note", name=name, reply_markup=markup)
    return Step.NOTE


async def on_note(update: Update, context: Ctx) -> int:
    """The note typed: the request leaves."""
    return await _send(update, context, message_of(update).text or "")


async def on_without_note(update: Update, context: Ctx) -> int:
    """« Envoyer sans mot »: the request leaves without a note."""
    await query_of(update).answer()
    return await _send(update, context, "")


async def _send(update: Update, context: Ctx, note: str) -> int:
    service, me = context.deps.networking.introductions, sender(update).id
    target = await service.held(me, "target")
    await service.release(me)
    if target is None:
        await say(update, context, "networking.intro.over")
        return ConversationHandler.END
    try:
        await service.propose(me, target, note)
    except IntroductionRefused as refused:
        await say(update, context, f"networking.refused.{refused.reason}", limit=refused.limit)
        return ConversationHandler.END
    await say(update, context, "networking.intro.sent")
    return ConversationHandler.END


async def on_accept(update: Update, context: Ctx) -> None:
    """« Accepter »: both members get the other's contact, or the relay."""
    query = query_of(update)
    (intro,) = keys.ACCEPT.values(query.data)
    answer = await context.deps.networking.introductions.accept(int(intro), sender(update).id)
    await _answered(update, context, answer, "networking.intro.accepted")


async def on_decline(update: Update, context: Ctx) -> None:
    """« Pas maintenant »: the requester will hear it did not work out."""
    query = query_of(update)
    (intro,) = keys.DECLINE.values(query.data)
    answer = await context.deps.networking.introductions.decline(int(intro), sender(update).id)
    await _answered(update, context, answer, "networking.intro.declined")


async def on_block(update: Update, context: Ctx) -> None:
    """« Bloquer »: silently, both ways, for good."""
    query = query_of(update)
    (intro,) = keys.BLOCK.values(query.data)
    answer = await context.deps.networking.introductions.block(int(intro), sender(update).id)
    await _answered(update, context, answer, "networking.block.done")


async def on_report(update: Update, context: Ctx) -> None:
    """« Signaler »: the moderators see who wrote to whom and when."""
    query = query_of(update)
    (intro,) = keys.REPORT.values(query.data)
    answer = await context.deps.networking.introductions.report(int(intro), sender(update).id)
    await _answered(update, context, answer, "networking.report.done")


async def on_share(update: Update, context: Ctx) -> None:
    """« Partager mon @pseudo »: the other gets it; the relay closes."""
    query = query_of(update)
    (intro,) = keys.SHARE.values(query.data)
    await query.answer()
    answer = await context.deps.networking.relay.share(int(intro), sender(update).id)
    if answer.outcome == "done":
        await say(
            update, context, "networking.relay.you_shared", name=_name(update, context, answer)
        )
    else:
        await say(update, context, _outcome_key(answer))


async def ask_message(update: Update, context: Ctx) -> Step | int:
    """« Écrire » / « Répondre »: the next text goes to the other member through the bot."""
    query = query_of(update)
    (intro,) = keys.WRITE.values(query.data)
    await query.answer()
    service, me = context.deps.networking.introductions, sender(update).id
    answer = await context.deps.networking.relay.relay_name(int(intro), me)
    if answer.outcome != "done":
        await say(update, context, _outcome_key(answer))
        return ConversationHandler.END
    await service.hold(me, intro=int(intro))
    markup = InlineKeyboardMarkup(
        [[keys.BACK.button(context.deps.t(update, "networking.button.cancel"))]]
    )
    name = _name(update, context, answer)
    await say(update, context, "networking.relay.ask", name=name, reply_markup=markup)
    return Step.RELAY


async def on_message(update: Update, context: Ctx) -> int:
    """The text to relay: passed on through the outbox, never kept."""
    service, me = context.deps.networking.introductions, sender(update).id
    intro = await service.held(me, "intro")
    await service.release(me)
    if intro is None:
        await say(update, context, "networking.relay.closed")
        return ConversationHandler.END
    answer = await context.deps.networking.relay.relay(intro, me, message_of(update).text or "")
    if answer.outcome == "done":
        await say(update, context, "networking.relay.sent", name=_name(update, context, answer))
    else:
        await say(update, context, _outcome_key(answer))
    return ConversationHandler.END


async def on_back(update: Update, context: Ctx) -> int:
    """« Annuler » in a step: nothing is sent."""
    if update.callback_query is not None:
        await update.callback_query.answer()
    await context.deps.networking.introductions.release(sender(update).id)
    await say(update, context, "networking.cancelled")
    return ConversationHandler.END


async def _answered(update: Update, context: Ctx, answer: Answer, done_key: str) -> None:
    """Answer the press; once done, the message's buttons go (they did their work)."""
    query = query_of(update)
    await query.answer()
    if answer.outcome != "done":
        await say(update, context, _outcome_key(answer))
        return
    with contextlib.suppress(BadRequest):  # already without buttons (pressed twice)
        await query.edit_message_reply_markup(reply_markup=None)
    await say(update, context, done_key, name=_name(update, context, answer))


def _outcome_key(answer: Answer) -> str:
    return OUTCOMES.get(answer.outcome, f"networking.relay.{answer.outcome}")


def _name(update: Update, context: Ctx, answer: Answer) -> str:
    return answer.name or context.deps.t(update, "networking.card.someone")
