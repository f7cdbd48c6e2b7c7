"""Moderators: « Publier », « Refuser » (with a reason), « Demander une précision », /moderation.

Every button and command goes through ``moderators_only``: the sender is checked on the server,
whoever pressed. Of two moderators deciding at once, one decision applies (the service's
conditional update) and the other is told who decided and when (« Déjà publiée par Anne à
14 h 02 »); the card they pressed then shows that decision. A forged id changes nothing and is
logged. Typed reasons and questions use a small persistent conversation per moderator
and chat; the prompt forces a reply so it reaches the bot even in a group with privacy mode.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from enum import StrEnum

from telegram import ForceReply, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    CallbackQueryHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.context import Ctx, Deps
from bot.services.proposals.moderation import CODE_PREFIX, REASON_CODES, Card, Decision
from bot.services.proposals.views import DraftView
from bot.texts import Markup, utf16_length
from handlers.access import moderators_only
from handlers.common import (
    chat_of,
    edit_buttons,
    figures,
    is_private,
    language,
    message_of,
    query_of,
    say,
    say_plural,
    sender,
)
from handlers.dialogues import cancel_command, dialogue, hold
from handlers.keys import Key
from handlers.proposals import corrections, keys
from handlers.proposals.moderation_cards import (
    TEXT_MAX,
    card_keyboard,
    card_text,
    decided_when,
    reason_text,
    reasons_keyboard,
    refresh_card,
    tell_member,
    too_long,
)
from handlers.proposals.moderation_cards import member_language as _member_language

log = logging.getLogger(__name__)
LIST_LIMIT = 10


class ModStep(StrEnum):
    TYPING = "moderation.typing"


@moderators_only
async def on_publish(update: Update, context: Ctx) -> None:
    """« Publier »: the innovation is in the catalogue, the member is told."""
    parsed = keys.ids(keys.PUBLISH, query_of(update).data)
    service, moderator = context.deps.proposals.moderation, sender(update)
    decided = None if parsed is None else await service.publish(parsed[0], moderator.id)
    await _decided(update, context, keys.PUBLISH, decided)


@moderators_only
async def on_reason(update: Update, context: Ctx) -> None:
    """A reason button: refused with that reason, the member is told."""
    parsed = keys.ids(keys.REASON, query_of(update).data)
    decided = None
    if parsed is not None and 0 <= parsed[1] < len(REASON_CODES):
        decided = await context.deps.proposals.moderation.refuse(
            parsed[0], sender(update).id, CODE_PREFIX + REASON_CODES[parsed[1]]
        )
    await _decided(update, context, keys.REASON, decided)


@moderators_only
async def on_refuse(update: Update, context: Ctx) -> None:
    """« Refuser »: the card's buttons become the reasons."""
    await _swap_buttons(update, context, keys.REFUSE, reasons_keyboard)


@moderators_only
async def on_back(update: Update, context: Ctx) -> None:
    """From the reasons back to the card's buttons."""
    await _swap_buttons(update, context, keys.BACK, card_keyboard)


async def _swap_buttons(
    update: Update,
    context: Ctx,
    key: Key,
    keyboard: Callable[[Deps, str, DraftView], InlineKeyboardMarkup],
) -> None:
    query = query_of(update)
    parsed = keys.ids(key, query.data)
    card = None if parsed is None else await context.deps.proposals.moderation.card(parsed[0])
    if card is None:
        return await _replayed(update, context, key)
    if card.proposal.status != "pending":
        return await _too_late(update, context, key, Decision(card, applied=False))
    await query.answer()
    lang = language(update, context)
    await edit_buttons(query, keyboard(context.deps, lang, card.proposal))  # twice: no change
    return None


async def _decided(update: Update, context: Ctx, key: Key, decided: Decision | None) -> None:
    if decided is None:
        return await _replayed(update, context, key)
    if not decided.applied:
        return await _too_late(update, context, key, decided)
    await query_of(update).answer(
        context.deps.t(update, f"proposals.moderation.done_{decided.card.proposal.status}")
    )
    await _announce(update, context, decided.card)
    return None


def too_late_text(update: Update, context: Ctx, decision: Decision) -> str:
    """« Déjà publiée par Anne à 14 h 02 », or « Anne écrit déjà une question… »."""
    deps, card = context.deps, decision.card
    proposal, lang = card.proposal, language(update, context)
    if proposal.status == "pending":
        who = card.prompter or deps.t(update, "proposals.moderation.someone")
        return deps.t(update, "proposals.moderation.busy", who=who)
    who = card.decider or deps.t(update, "proposals.moderation.someone")
    return deps.t(
        update,
        f"proposals.moderation.already_{proposal.status}",
        who=who,
        when=decided_when(deps, lang, proposal.decided_at),
    )


async def _too_late(update: Update, context: Ctx, key: Key, decision: Decision) -> None:
    """A colleague was first: say who and when; the pressed card shows their decision."""
    query, card = query_of(update), decision.card
    log.info(
        "moderation %s on proposal %s by %s not applied: %s by %s",
        key.action,
        card.proposal.id,
        sender(update).id,
        card.proposal.status,
        card.proposal.decided_by if card.proposal.status != "pending" else "a colleague",
    )
    # A toast is plain text, not HTML: the colleague's name as typed (« Anne & Co »).
    await query.answer(html.unescape(too_late_text(update, context, decision)), show_alert=True)
    message = query.message
    if card.proposal.status == "pending" or message is None:
        return
    if not isinstance(message, Message) or message.reply_markup is None:
        return
    try:
        await context.bot.edit_message_text(
            card_text(context.deps, language(update, context), card),
            chat_id=message.chat.id,
            message_id=message.message_id,
        )
    except TelegramError:  # already edited by the colleague's decision
        log.debug("card %s already shows the decision", message.message_id, exc_info=True)


@moderators_only
async def on_typed_reason(update: Update, context: Ctx) -> str | int:
    """« Écrire un motif »: ask the moderator to type the reason."""
    return await _prompt(update, context, keys.TYPED, "reason")


@moderators_only
async def on_ask(update: Update, context: Ctx) -> str | int:
    """« Demander une précision »: ask the moderator to type the question."""
    return await _prompt(update, context, keys.ASK, "question")


async def _prompt(update: Update, context: Ctx, key: Key, kind: str) -> str | int:
    query = query_of(update)
    parsed = keys.ids(key, query.data)
    service = context.deps.proposals.moderation
    held = (
        None if parsed is None else await service.start_prompt(parsed[0], sender(update).id, kind)
    )
    if held is None:
        await _replayed(update, context, key)
        return ConversationHandler.END
    if not held.applied:
        await _too_late(update, context, key, held)
        return ConversationHandler.END
    await query.answer()
    await hold(update, context, "moderation", ModStep.TYPING.value)
    await context.bot.send_message(
        chat_of(update).id,
        context.deps.t(
            update, f"proposals.moderation.prompt_{kind}", who=sender(update).first_name
        ),
        reply_markup=ForceReply(selective=True),
    )
    return ModStep.TYPING


@moderators_only
async def on_prompt_text(update: Update, context: Ctx) -> str | int:
    """The typed reason (refuses) or question (sent to the member)."""
    text = message_of(update).text or ""
    if too_long(text):
        length = utf16_length(text)
        shown = figures(update, context, {"limit": TEXT_MAX, "length": length})
        await say(update, context, "proposals.too_long", **shown)
        return ModStep.TYPING
    done = await context.deps.proposals.moderation.complete_prompt(sender(update).id, text)
    if done is None:
        await say(update, context, "proposals.moderation.prompt_lost")
        return ConversationHandler.END
    kind, decision = done
    if not decision.applied:
        text = too_late_text(update, context, decision)
        await say(update, context, "proposals.moderation.not_sent", why=Markup(text))
        return ConversationHandler.END
    card = decision.card
    if kind == "reason":
        await _announce(update, context, card)
    else:
        await refresh_card(context, card)
        await tell_member(
            context,
            card.proposal,
            "proposals.moderation.member_question",
            question=card.proposal.question,
        )
        await say(update, context, "proposals.moderation.question_sent")
    return ConversationHandler.END


async def on_prompt_cancel(update: Update, context: Ctx) -> str | int:
    """/annuler instead of a reason or a question: nothing is sent to the member."""
    await context.deps.proposals.moderation.cancel_prompt(sender(update).id)
    await say(update, context, "proposals.moderation.prompt_cancelled")
    return ConversationHandler.END


@moderators_only
async def list_pending(update: Update, context: Ctx) -> None:
    """/moderation: pending proposals, oldest first, each with its buttons (private chat)."""
    if not is_private(update):
        await say(update, context, "proposals.moderation.private_only")
        return
    cards = await context.deps.proposals.moderation.pending()
    if not cards:
        await say(update, context, "proposals.moderation.nothing_pending")
        return
    await say_plural(
        update,
        context,
        "proposals.moderation.pending_header",
        len(cards),
        shown=min(len(cards), LIST_LIMIT),
    )
    lang = language(update, context)
    for card in cards[:LIST_LIMIT]:
        try:
            copy = await context.bot.send_message(
                chat_of(update).id,
                card_text(context.deps, lang, card),
                reply_markup=card_keyboard(context.deps, lang, card.proposal),
            )
        except BadRequest:  # one card Telegram refuses never hides the ones behind it
            log.warning("could not list the card of proposal %s", card.proposal.id, exc_info=True)
            continue
        await context.deps.proposals.moderation.shown(
            card.proposal.id, copy.chat.id, copy.message_id, "card"
        )


async def _announce(update: Update, context: Ctx, card: Card) -> None:
    """Show who decided on the card(s), and tell the member in their language."""
    who = sender(update).first_name
    await refresh_card(context, card, decided_by=who)
    message = query_of(update).message if update.callback_query else None
    proposal = card.proposal
    if message is not None and (message.chat.id, message.message_id) != (
        proposal.card_chat_id,
        proposal.card_message_id,
    ):
        await context.bot.edit_message_text(
            card_text(context.deps, language(update, context), card, decided_by=who),
            chat_id=message.chat.id,
            message_id=message.message_id,
        )
    if proposal.status == "published":
        await tell_member(context, proposal, "proposals.moderation.member_published")
    else:
        lang = _member_language(context.deps, proposal)
        reason = reason_text(context.deps, lang, proposal.reason)
        await tell_member(
            context, proposal, "proposals.moderation.member_refused", reason=Markup(reason)
        )


async def _replayed(update: Update, context: Ctx, key: Key) -> None:
    parsed = keys.ids(key, query_of(update).data)
    log.warning(
        "moderation %s on proposal %s by %s ignored: not pending (replayed or forged)",
        key.action,
        parsed[0] if parsed else "?",
        sender(update).id,
    )
    await query_of(update).answer(context.deps.t(update, "proposals.moderation.already_decided"))


def build_conversation() -> ConversationHandler[Ctx]:
    """Typed reasons, questions and corrections: the persistent ConversationHandler named
    "moderation"."""
    # In a group only a reply counts: colleagues' chatter is not a reason.
    typed = (filters.ChatType.PRIVATE | filters.REPLY) & filters.TEXT & ~filters.COMMAND
    return dialogue(
        "moderation",
        [
            CallbackQueryHandler(on_typed_reason, pattern=keys.TYPED.pattern),
            CallbackQueryHandler(on_ask, pattern=keys.ASK.pattern),
            CallbackQueryHandler(corrections.on_fix_field, pattern=keys.FIX_FIELD.pattern),
        ],
        {
            ModStep.TYPING.value: [MessageHandler(typed, on_prompt_text)],
            corrections.FIXING: [MessageHandler(typed, corrections.on_fix_text)],
        },
        [cancel_command(on_prompt_cancel)],
    )
