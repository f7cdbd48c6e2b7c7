"""Organisers' commands of the foundation."""

from __future__ import annotations

from telegram import Update

from bot.context import Ctx
from bot.formatting import format_number
from handlers.access import admins_only
from handlers.common import language, say


@admins_only
async def show_stats(update: Update, context: Ctx) -> None:
    """Catalogue and member counts."""
    counts = await context.deps.catalogue.counts()
    lang = language(update, context)
    figures = {name: format_number(count, lang) for name, count in counts.items()}
    await say(
        update,
        context,
        "stats.text",
        labs=figures["labs"],
        innovations=figures["innovations"],
        events=figures["events"],
        members=figures["members"],
    )
