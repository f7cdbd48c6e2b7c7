"""What the member sends during the dialogue: text, location, photo, /passer, /retour, anything
else (the buttons are in buttons.py)."""

from __future__ import annotations

from telegram import Update

from bot.context import Ctx
from bot.services.proposals.rules import Step
from bot.services.proposals.service import StaleButton
from bot.services.proposals.views import Outcome
from handlers.common import figures, language, message_of, say, sender
from handlers.proposals.states import END, Next
from handlers.proposals.steps import ask, offer, show_similar, show_suggestions, theme_label


async def show(update: Update, context: Ctx, outcome: Outcome) -> Next:
    """Explain a refused answer, or ask what comes next; returns the next state."""
    draft = outcome.draft
    if outcome.problem:
        await say(update, context, outcome.problem, **figures(update, context, outcome.params))
    if outcome.notice:
        await say(update, context, outcome.notice, theme=theme_label(context, update, draft))
    if outcome.similar:
        return await show_similar(update, context, draft, outcome.similar)
    if draft.step is Step.PLACE and not outcome.problem and draft.place_query:
        return await show_suggestions(update, context, draft, outcome.suggestions)
    return await ask(update, context, draft)


async def stale_offer(update: Update, context: Ctx) -> Next:
    """After 48 hours away, offer to resume rather than take the message as an answer."""
    draft = await context.deps.proposals.draft(sender(update).id)
    if draft is not None and context.deps.proposals.is_stale(draft):
        return await offer(update, context, draft)
    return None


async def no_draft(update: Update, context: Ctx) -> Next:
    """Tell the member there is no proposal in progress; the dialogue ends."""
    await say(update, context, "proposals.no_draft")
    return END


async def on_text(update: Update, context: Ctx) -> Next:
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


async def on_location(update: Update, context: Ctx) -> Next:
    """A shared location answers « où ? »."""
    if (offered := await stale_offer(update, context)) is not None:
        return offered
    location = message_of(update).location
    if location is None:
        raise ValueError(f"update {update.update_id} has no location")
    try:
        outcome = await context.deps.proposals.set_location(
            sender(update).id, location.latitude, location.longitude
        )
    except StaleButton:
        return await no_draft(update, context)
    return await show(update, context, outcome)


async def on_photo(update: Update, context: Ctx) -> Next:
    """The photo of the initiative (the largest size Telegram offers)."""
    if (offered := await stale_offer(update, context)) is not None:
        return offered
    photos = message_of(update).photo
    try:
        outcome = await context.deps.proposals.set_photo(sender(update).id, photos[-1].file_id)
    except StaleButton:
        return await no_draft(update, context)
    return await show(update, context, outcome)


async def on_other(update: Update, context: Ctx) -> Next:
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


async def on_skip(update: Update, context: Ctx) -> Next:
    """/passer on an optional question."""
    if (offered := await stale_offer(update, context)) is not None:
        return offered
    try:
        outcome = await context.deps.proposals.skip(sender(update).id)
    except StaleButton:
        return await no_draft(update, context)
    return await show(update, context, outcome)


async def on_back(update: Update, context: Ctx) -> Next:
    """/retour: the previous question, answers kept."""
    if (offered := await stale_offer(update, context)) is not None:
        return offered
    try:
        outcome = await context.deps.proposals.back(sender(update).id)
    except StaleButton:
        return await no_draft(update, context)
    return await show(update, context, outcome)
