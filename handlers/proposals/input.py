"""What the member sends during the dialogue: text, location, photo, buttons, anything else."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import ConversationHandler

from bot.context import Ctx
from bot.services.proposals.rules import EDITABLE, Step
from bot.services.proposals.service import ProposalService, StaleButton
from bot.services.proposals.views import Outcome
from handlers.common import language, message_of, query_of, say, sender
from handlers.proposals.keys import State, parse
from handlers.proposals.moderation_cards import post_card
from handlers.proposals.steps import ask, edit_keyboard, offer, show_similar, show_suggestions

log = logging.getLogger(__name__)
END = ConversationHandler.END
Pending = Coroutine[Any, Any, Outcome]


async def show(update: Update, context: Ctx, outcome: Outcome) -> Step:
    """Explain a refused answer, or ask what comes next; returns the next state."""
    draft = outcome.draft
    if outcome.problem:
        await say(update, context, outcome.problem, **outcome.params)
    if outcome.similar:
        return await show_similar(update, context, draft, outcome.similar)
    if draft.step is Step.PLACE and not outcome.problem and draft.place_query:
        return await show_suggestions(update, context, draft, outcome.suggestions)
    return await ask(update, context, draft)


async def stale_offer(update: Update, context: Ctx) -> State | None:
    """After 48 hours away, offer to resume rather than take the message as an answer."""
    draft = await context.deps.proposals.draft(sender(update).id)
    if draft is not None and context.deps.proposals.is_stale(draft):
        return await offer(update, context, draft)
    return None


async def no_draft(update: Update, context: Ctx) -> State:
    await say(update, context, "proposals.no_draft")
    return END


async def on_text(update: Update, context: Ctx) -> State:
    """A typed answer to the current question."""
    if (offered := await stale_offer(update, context)) is not None:
        return offered
    text = message_of(update).text or ""
    try:
        outcome = await context.deps.proposals.answer_text(
            sender(update).id, text, language(update, context)
        )
    except StaleButton:
        return await no_draft(update, context)
    return await show(update, context, outcome)


async def on_location(update: Update, context: Ctx) -> State:
    """A shared location answers « où ? »."""
    if (offered := await stale_offer(update, context)) is not None:
        return offered
    location = message_of(update).location
    assert location is not None
    try:
        outcome = await context.deps.proposals.set_location(
            sender(update).id, location.latitude, location.longitude
        )
    except StaleButton:
        return await no_draft(update, context)
    return await show(update, context, outcome)


async def on_photo(update: Update, context: Ctx) -> State:
    """The photo of the initiative (the largest size Telegram offers)."""
    if (offered := await stale_offer(update, context)) is not None:
        return offered
    photos = message_of(update).photo
    try:
        outcome = await context.deps.proposals.set_photo(sender(update).id, photos[-1].file_id)
    except StaleButton:
        return await no_draft(update, context)
    return await show(update, context, outcome)


async def on_other(update: Update, context: Ctx) -> State:
    """A sticker, a file, a voice note…: a gentle re-ask of the current question."""
    draft = await context.deps.proposals.draft(sender(update).id)
    if draft is None:
        return await no_draft(update, context)
    if context.deps.proposals.is_stale(draft):
        return await offer(update, context, draft)
    is_file = message_of(update).document is not None
    key = (
        "proposals.photo_as_file"
        if is_file and draft.step is Step.PHOTO
        else "proposals.wrong_kind"
    )
    await say(update, context, key)
    return await ask(update, context, draft)


async def on_skip(update: Update, context: Ctx) -> State:
    """/passer on an optional question."""
    if (offered := await stale_offer(update, context)) is not None:
        return offered
    try:
        outcome = await context.deps.proposals.skip(sender(update).id)
    except StaleButton:
        return await no_draft(update, context)
    return await show(update, context, outcome)


async def on_back(update: Update, context: Ctx) -> State:
    """/retour: the previous question, answers kept."""
    if (offered := await stale_offer(update, context)) is not None:
        return offered
    try:
        outcome = await context.deps.proposals.back(sender(update).id)
    except StaleButton:
        return await no_draft(update, context)
    return await show(update, context, outcome)


def _edit(service: ProposalService, member: int, draft_id: int, arg: int) -> Pending:
    if not 0 <= arg < len(EDITABLE):
        raise StaleButton
    return service.edit(member, draft_id, EDITABLE[arg])


# Buttons that change the draft and then show what comes next: (service, member, draft, arg).
SIMPLE: dict[str, Callable[[ProposalService, int, int, int], Pending]] = {
    "theme": lambda s, m, d, a: s.choose_theme(m, d, a),
    "commune": lambda s, m, d, a: s.choose_commune(m, d, a),
    "vis": lambda s, m, d, a: s.set_visibility(m, d, bool(a)),
    "skip": lambda s, m, d, a: s.skip(m, d),
    "edit": _edit,
    "summary": lambda s, m, d, a: s.edit(m, d, Step.SUMMARY),
    "send": lambda s, m, d, a: s.send(m, d, force=False),
    "force": lambda s, m, d, a: s.send(m, d, force=True),
}


async def on_button(update: Update, context: Ctx) -> State | None:
    """A button of the dialogue; one from a step that is over only says so."""
    query = query_of(update)
    parsed = parse(query.data)
    service, member = context.deps.proposals, sender(update).id
    try:
        if parsed is None:
            raise StaleButton
        action, draft_id, arg = parsed
        if action == "editmenu":
            outcome = await service.edit(member, draft_id, None)
            await query.answer()
            await query.edit_message_reply_markup(edit_keyboard(update, context, outcome.draft))
            return Step.SUMMARY
        if action in ("cancel", "same"):
            current = await service.draft(member)
            if current is None or current.id != draft_id:
                raise StaleButton
            await service.cancel(member)
            await query.answer()
            await say(
                update, context, f"proposals.{'cancelled' if action == 'cancel' else 'same'}"
            )
            return END
        outcome = await SIMPLE[action](service, member, draft_id, arg)
    except (StaleButton, KeyError):
        log.info("stale proposal button %r from %s", query.data, member)
        await query.answer(context.deps.t(update, "proposals.step_over"))
        return None
    await query.answer()
    if outcome.draft.status == "pending":
        return await _sent(update, context, outcome)
    return await show(update, context, outcome)


async def _sent(update: Update, context: Ctx, outcome: Outcome) -> State:
    await say(update, context, "proposals.sent", name=outcome.draft.name)
    await post_card(context, outcome.draft)
    return END
