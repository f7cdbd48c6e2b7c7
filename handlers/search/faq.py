"""Everyday questions answered from the catalogue's FAQ: the answer, or the card it points to.

An entry that ``shows`` live data opens that data instead of a fixed text, so the answer is never
out of date: « quand a lieu la prochaine rencontre ? » the next event's card (or the list);
``event-figures:<slug>`` the event's card with its figures, or, under a text answer (« 47
personnes »), a button to it; ``event-follow-ups:<slug>`` the follow-ups card: the answer, then
the event's follow-ups as its card shows them (« Quelles suites ? »). « ❓ Questions fréquentes »
lists every question as a button.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.context import Ctx
from bot.services.events.messages import button_data as event_button
from bot.services.events.service import EventNotFound
from bot.services.events.views import EventView
from handlers.catalogue.browsing import not_found
from handlers.catalogue.keys import button, shortened
from handlers.common import language, query_of, show
from handlers.events import cards as events
from handlers.search import keys


async def _event(context: Ctx, slug: str) -> EventView | None:
    try:
        return await context.deps.events.card(None, slug=slug)
    except EventNotFound:
        return None


def faqs_button(update: Update, context: Ctx) -> InlineKeyboardButton:
    """« ❓ Questions fréquentes »: every question, as buttons."""
    label = context.deps.t(update, "search.faq.all")
    return InlineKeyboardButton(label, callback_data=keys.FAQS.data())


async def show_faq(update: Update, context: Ctx, faq_id: int) -> bool:
    """An FAQ answer; entries that ``shows`` live data show it (instead, or under the text)."""
    entry = await context.deps.catalogue.faq(faq_id)
    if entry is None:
        return False
    t = context.deps.t
    kind, _, slug = entry.shows.partition(":")
    if kind == "next-event":
        await events.show_next(update, context)  # its card, else says nothing is planned
        return True
    no_text = kind == "event-figures" and not entry.answer
    if no_text and await events.open_card(update, context, slug=slug):
        return True
    answer = entry.answer or t(update, "catalogue.faq.nothing_yet")
    text = t(update, "catalogue.faq.card", question=entry.question, answer=answer)
    rows = []
    event = await _event(context, slug) if kind in ("event-figures", "event-follow-ups") else None
    if event is not None and kind == "event-follow-ups" and event.follow_ups:
        blocks = context.deps.events.messages.follow_ups(event, language(update, context))
        text = "\n\n".join([text, *blocks])
    if event is not None:
        label = shortened(t(update, f"search.faq.{kind.replace('-', '_')}", title=event.title))
        rows.append([InlineKeyboardButton(label, callback_data=event_button("card", event.id))])
    rows.append(
        [button(t(update, "catalogue.button.labs"), "labs", 0), faqs_button(update, context)]
    )
    await show(update, context, (text, InlineKeyboardMarkup(rows)))
    return True


async def on_faq(update: Update, context: Ctx) -> None:
    """A search result's FAQ button: the answer (or its card)."""
    query = query_of(update)
    (faq_id,) = keys.FAQ.values(query.data)
    if await show_faq(update, context, int(faq_id)):
        await query.answer()
    else:
        await not_found(update, context)


async def on_faqs(update: Update, context: Ctx) -> None:
    """« ❓ Questions fréquentes »: the questions, each a button to its answer, in place."""
    questions = await context.deps.catalogue.faq_questions()
    rows = [[keys.hit_button("❓ " + question, "faq", faq_id)] for faq_id, question in questions]
    await show(
        update, context, (context.deps.t(update, "search.faq.list"), InlineKeyboardMarkup(rows))
    )
    await query_of(update).answer()
