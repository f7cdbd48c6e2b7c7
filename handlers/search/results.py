"""/search (/chercher) and plain text in private: ranked results, 5 a page, or the FAQ answer.

Decisions: when a question (« c'est quoi une SCOP ? ») has an FAQ entry as its best match, or
an FAQ entry is the only match (« bonjour »), the answer comes straight away instead of a list,
provided the entry is asked that way (its question and phrasings hold most of the words, see
bot/services/search/service.py). A question nothing answers gets an honest « je ne sais pas »
with what comes closest as buttons and the list of questions, never a confident wrong answer.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.context import Ctx
from bot.formatting import format_number
from bot.services.search.query import words
from bot.services.search.service import SearchResult
from bot.texts import Markup
from handlers.common import message_of, query_of, say, sender, show
from handlers.search import keys
from handlers.search.faq import faqs_button, show_faq
from handlers.search.keys import Pages, page_data

EMOJI = {"lab": "🧪", "innovation": "💡", "event": "📅", "faq": "❓"}


async def pager(update: Update, context: Ctx, text: str) -> Pages:
    """What "more" buttons carry: the words themselves, else a saved search's id."""
    saved = keys.compact(words(text))
    if saved is None:
        saved = (keys.SAVED, str(await context.deps.search.save(sender(update).id, text)))
    return saved


async def ask(update: Update, context: Ctx) -> None:
    """What to type to search (the welcome menu's « Chercher »)."""
    await say(update, context, "search.ask")


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


async def on_words_page(update: Update, context: Ctx) -> None:
    """« More » on a short search: its words are in the button, edited in place."""
    query = query_of(update)
    joined, page = keys.WORDS.values(query.data)
    await query.answer()
    await answer(
        update, context, joined.replace(".", " "), page=int(page), pages=(keys.WORDS, joined)
    )


async def on_saved_page(update: Update, context: Ctx) -> None:
    """« More »: another page of a member's own saved search, edited in place."""
    query = query_of(update)
    saved_id, page = keys.SAVED.values(query.data)
    text = await context.deps.search.saved(int(saved_id), sender(update).id)
    if text is None:
        await query.answer(context.deps.t(update, "fallback.stale_button"))
        return
    await query.answer()
    await answer(update, context, text, page=int(page), pages=(keys.SAVED, saved_id))


async def answer(
    update: Update, context: Ctx, text: str, *, page: int = 0, pages: Pages | None = None
) -> None:
    """The search's answer: the FAQ entry it asks for, a page of results, or none found."""
    result = await context.deps.search.search(text, page=page)
    top = result.top
    direct = result.question or result.total == 1  # « une SCOP ? », « bonjour »
    typed = update.callback_query is None
    if top is not None and top.kind == "faq" and result.answers and direct and typed:
        await show_faq(update, context, top.ref_id)
        return
    if result.question and typed and (result.partial or result.loose or not result.hits):
        await dont_know(update, context, text, result)
        return
    if not result.hits:
        await nothing_found(update, context, text)
        return
    if result.pages > 1 and pages is None:
        pages = await pager(update, context, text)
    await show(update, context, results_view(update, context, text, result, pages))


def results_view(
    update: Update, context: Ctx, text: str, result: SearchResult, pages: Pages | None
) -> tuple[str, InlineKeyboardMarkup]:
    """One page of results: numbered lines, a button per hit, and paging buttons."""
    t = context.deps.t
    start = result.page * 5
    listed = "\n".join(
        t(update, "search.line", n=start + n, emoji=EMOJI[hit.kind], title=hit.title)
        for n, hit in enumerate(result.hits, 1)
    )
    if result.capped:
        total = format_number(result.total, context.deps.language_of(update.effective_user))
        header = t(update, "search.header_many", count=total, query=text[:100])
    else:
        header = context.deps.plural(update, "search.found", result.total, query=text[:100])
    if result.corrected:
        header += "\n" + t(update, "search.corrected", words=result.corrected)
    rows = [
        [keys.hit_button(f"{start + n}. {EMOJI[h.kind]} {h.title}", h.kind, h.ref_id)]
        for n, h in enumerate(result.hits, 1)
    ]
    nav = []
    if pages is not None and result.page > 0:
        label = t(update, "catalogue.button.previous")
        nav.append(InlineKeyboardButton(label, callback_data=page_data(pages, result.page - 1)))
    if pages is not None and result.page + 1 < result.pages:
        label = t(update, "catalogue.button.more")
        nav.append(InlineKeyboardButton(label, callback_data=page_data(pages, result.page + 1)))
    rows.append(nav)
    body = t(update, "search.results", header=Markup(header), results=Markup(listed))
    return body, InlineKeyboardMarkup([r for r in rows if r])


async def nothing_found(update: Update, context: Ctx, text: str) -> None:
    """Say so, and offer close titles or themes as one-tap searches."""
    suggestions = await context.deps.search.suggestions(text)
    rows = []
    for suggestion in suggestions:
        data = page_data(await pager(update, context, suggestion), 0)
        rows.append([InlineKeyboardButton("🔎 " + suggestion[:60], callback_data=data)])
    key = "search.none_but" if suggestions else "search.none"
    shown = (context.deps.t(update, key, query=text[:100]), InlineKeyboardMarkup(rows))
    await show(update, context, shown)


async def dont_know(update: Update, context: Ctx, text: str, result: SearchResult) -> None:
    """« Je ne sais pas »: what has some of the words (else close titles), and the questions."""
    rows = [
        [keys.hit_button(f"{EMOJI[h.kind]} {h.title}", h.kind, h.ref_id)] for h in result.hits[:3]
    ]
    if not rows:
        for suggestion in await context.deps.search.suggestions(text):
            data = page_data(await pager(update, context, suggestion), 0)
            rows.append([InlineKeyboardButton("🔎 " + suggestion[:60], callback_data=data)])
    rows.append([faqs_button(update, context)])
    key = "search.dont_know" if len(rows) > 1 else "search.dont_know_faq"
    await show(
        update,
        context,
        (context.deps.t(update, key, query=text[:100]), InlineKeyboardMarkup(rows)),
    )
