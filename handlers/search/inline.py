"""Inline mode: ``@bot mobilité`` in any chat offers labs, innovations and events to share.

Decisions: 20 results a page with ``next_offset`` (the page number); FAQ entries are left out
(they answer questions in the bot, they are not things to share); an empty query offers the
labs. Each result carries a button opening its full card in the bot (a deep link).
"""

from __future__ import annotations

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Update,
)

from bot.context import Ctx
from bot.services.search.service import Hit
from handlers.common import deep_link
from handlers.keys import parse_id

PER_PAGE = 20
_PAYLOAD = {"lab": "lab", "innovation": "innovation", "event": "event"}


async def on_inline_query(update: Update, context: Ctx) -> None:
    """Answer with one page of matching cards."""
    inline = update.inline_query
    if inline is None:
        return
    offset = inline.offset
    page = (parse_id(offset) if len(offset) < 4 else None) or 0
    text = inline.query.strip()
    if text:
        result = await context.deps.search.search(text, page=page, per_page=PER_PAGE, faq=False)
        hits, more = result.hits, result.page + 1 < result.pages and result.page == page
    else:
        labs = await context.deps.catalogue.labs(0)
        hits, more = tuple(Hit("lab", i.id, i.title) for i in labs.items), False
    results = [_article(update, context, hit) for hit in hits]
    await inline.answer(
        results, cache_time=30, is_personal=False, next_offset=str(page + 1) if more else ""
    )


def _article(update: Update, context: Ctx, hit: Hit) -> InlineQueryResultArticle:
    t = context.deps.t
    link = deep_link(context, f"{_PAYLOAD[hit.kind]}-{hit.ref_id}")
    kind = t(update, f"search.inline.{hit.kind}")
    message = t(update, "search.inline.message", kind=kind, title=hit.title)
    button = InlineKeyboardButton(t(update, "search.inline.open"), url=link)
    return InlineQueryResultArticle(
        id=f"{hit.kind}-{hit.ref_id}",
        title=hit.title[:200],
        description=kind,
        input_message_content=InputTextMessageContent(message),
        reply_markup=InlineKeyboardMarkup([[button]]),
    )
