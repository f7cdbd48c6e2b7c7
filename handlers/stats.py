"""Organisers' commands of the foundation."""

from __future__ import annotations

from telegram import Update

from bot.context import Ctx
from handlers.access import admins_only
from handlers.common import say


@admins_only
async def show_stats(update: Update, context: Ctx) -> None:
    """Catalogue and member counts."""
    counts = await context.deps.catalogue.counts()
    await say(
        update,
        context,
        "stats.text",
        labs=counts["labs"],
        innovations=counts["innovations"],
        events=counts["events"],
        members=counts["members"],
    )
