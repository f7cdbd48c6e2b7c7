"""/search (/chercher) and plain text in private: ranked results, 5 a page, or the FAQ answer.

Decision: when a question (« c'est quoi une SCOP ? ») has an FAQ entry as its best match, the
answer comes straight away instead of a list of results.
"""

from __future__ import annotations

import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.context import Ctx
from bot.services.search import SearchResult
from bot.texts import Markup
from handlers import catalogue
from handlers.catalogue_keys import CARD_ACTIONS, button
from handlers.common import message_of, query_of, say, sender

PATTERN = r"^srch:p:[0-9]{1,12}:[0-9]{1,3}$"
_PAGE = re.compile(PATTERN)
EMOJI = {"lab": "🧪", "innovation": "💡", "event": "📅", "faq": "❓"}


def page_data(saved_id: int, page: int) -> str:
    return f"srch:p:{saved_id}:{page}"


async def ask(update: Update, context: Ctx) -> None:
    """What to type to search (the welcome menu's « Chercher »)."""
    await say(update, context, "answers.search.ask")


async def on_command(update: Update, context: Ctx) -> None:
    """/search <words>."""
    text = " ".join(context.args or [])
    if not text.strip():
        await ask(update, context)
        return
    await answer(update, context, text)


async def on_text(update: Update, context: Ctx) -> None:
    """Any plain text in a private chat is a search or a question."""
    await answer(update, context, message_of(update).text or "")


async def on_page(update: Update, context: Ctx) -> None:
    """« More »: another page of a member's own saved search, edited in place."""
    query = query_of(update)
    match = _PAGE.match(query.data or "")
    saved_id, page = (int(x) for x in (query.data or "").split(":")[2:]) if match else (0, 0)
    text = await context.deps.search.saved(saved_id, sender(update).id)
    if text is None:
        await query.answer(context.deps.t(update, "fallback.stale_button"))
        return
    await query.answer()
    await answer(update, context, text, page=page, saved_id=saved_id)


async def answer(
    update: Update, context: Ctx, text: str, *, page: int = 0, saved_id: int | None = None
) -> None:
    result = await context.deps.search.search(text, page=page)
    top = result.top
    if top is not None and top.kind == "faq" and result.question and update.callback_query is None:
        await catalogue.show_faq(update, context, top.ref_id)
        return
    if not result.hits:
        await nothing_found(update, context, text)
        return
    if result.pages > 1 and saved_id is None:
        saved_id = await context.deps.search.save(sender(update).id, text)
    await catalogue.show(update, context, results_view(update, context, text, result, saved_id))


def results_view(
    update: Update, context: Ctx, text: str, result: SearchResult, saved_id: int | None
) -> tuple[str, InlineKeyboardMarkup]:
    t = context.deps.t
    start = result.page * 5
    listed = "\n".join(
        t(update, "answers.search.line", n=start + n, emoji=EMOJI[hit.kind], title=hit.title)
        for n, hit in enumerate(result.hits, 1)
    )
    header = t(update, "answers.search.header", count=result.total, query=text[:100])
    if result.corrected:
        header += "\n" + t(update, "answers.search.corrected", words=result.corrected)
    rows = [
        [button(f"{start + n}. {EMOJI[h.kind]} {h.title}", CARD_ACTIONS[h.kind], h.ref_id)]
        for n, h in enumerate(result.hits, 1)
    ]
    nav = []
    if saved_id is not None and result.page > 0:
        label = t(update, "answers.button.previous")
        nav.append(InlineKeyboardButton(label, callback_data=page_data(saved_id, result.page - 1)))
    if saved_id is not None and result.page + 1 < result.pages:
        label = t(update, "answers.button.more")
        nav.append(InlineKeyboardButton(label, callback_data=page_data(saved_id, result.page + 1)))
    rows.append(nav)
    body = t(update, "answers.search.results", header=Markup(header), results=Markup(listed))
    return body, InlineKeyboardMarkup([r for r in rows if r])


async def nothing_found(update: Update, context: Ctx, text: str) -> None:
    """Say so, and offer close titles or themes as one-tap searches."""
    suggestions = await context.deps.search.suggestions(text)
    rows = []
    for suggestion in suggestions:
        saved_id = await context.deps.search.save(sender(update).id, suggestion)
        rows.append(
            [InlineKeyboardButton("🔎 " + suggestion[:60], callback_data=page_data(saved_id, 0))]
        )
    key = "answers.search.none_but" if suggestions else "answers.search.none"
    shown = (context.deps.t(update, key, query=text[:100]), InlineKeyboardMarkup(rows))
    await catalogue.show(update, context, shown)
