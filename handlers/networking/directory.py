"""/annuaire (/directory): visible profiles only, the catalogue's forgiving search, by pages."""

from __future__ import annotations

from telegram import Update

from bot.context import Ctx
from handlers.common import is_private, query_of, say, sender, show
from handlers.networking import keys, views


async def on_command(update: Update, context: Ctx) -> None:
    """/annuaire <mots ou thème>; alone: everyone, or a theme to choose."""
    if not is_private(update):
        await say(update, context, "networking.private_only")
        return
    text = " ".join(context.args or []).strip()
    if not text:
        themes = await context.deps.networking.profiles.themes()
        await show(update, context, views.directory_start(update, context, themes))
        return
    await _page(update, context, text, 0)


async def on_page(update: Update, context: Ctx) -> None:
    """A page of results (the words ride on the button), edited in place."""
    query = query_of(update)
    page, joined = keys.PAGE.values(query.data)
    await query.answer()
    await _page(update, context, joined.replace(".", " "), int(page))


async def on_card(update: Update, context: Ctx) -> None:
    """A member's card, if it is (still) visible to this member."""
    query = query_of(update)
    (member_id,) = keys.CARD.values(query.data)
    await query.answer()
    viewer = sender(update).id
    own = await context.deps.networking.profiles.card(viewer, int(member_id))
    if own is None:
        await say(update, context, "networking.directory.gone")
        return
    await show(update, context, views.profile_card(update, context, own.card, viewer))


async def _page(update: Update, context: Ctx, text: str, page: int) -> None:
    found = await context.deps.networking.profiles.search(sender(update).id, text, page)
    await show(update, context, views.directory_page(update, context, found, text))
