"""Everyday questions answered from the catalogue's FAQ: the answer, or the card it points to.

An entry that ``shows`` live data (« quand a lieu la prochaine rencontre ? ») opens the events
feature's card instead of a text, so the answer is never out of date.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot.context import Ctx
from handlers.catalogue.browsing import not_found
from handlers.catalogue.keys import button
from handlers.common import query_of, show
from handlers.events import cards as events
from handlers.search import keys


async def show_faq(update: Update, context: Ctx, faq_id: int) -> bool:
    """An FAQ answer; entries that ``shows`` live data show that card instead."""
    entry = await context.deps.catalogue.faq(faq_id)
    if entry is None:
        return False
    kind, _, slug = entry.shows.partition(":")
    if kind == "next-event":
        await events.show_next(update, context)  # its card, else says nothing is planned
        return True
    if kind == "event-figures" and await events.open_card(update, context, slug=slug):
        return True
    answer = entry.answer or context.deps.t(update, "catalogue.faq.nothing_yet")
    text = context.deps.t(update, "catalogue.faq.card", question=entry.question, answer=answer)
    keyboard = InlineKeyboardMarkup(
        [[button(context.deps.t(update, "catalogue.button.labs"), "labs", 0)]]
    )
    await show(update, context, (text, keyboard))
    return True


async def on_faq(update: Update, context: Ctx) -> None:
    """A search result's FAQ button: the answer (or its card)."""
    query = query_of(update)
    (faq_id,) = keys.FAQ.values(query.data)
    if await show_faq(update, context, int(faq_id)):
        await query.answer()
    else:
        await not_found(update, context)
