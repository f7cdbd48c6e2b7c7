"""/stats: the network's and the bot's figures, with a chart, for organisers."""

from __future__ import annotations

import asyncio

from telegram import InputFile, Update

from bot.context import Ctx
from bot.services.stats.chart import bars_chart
from bot.services.stats.report import StatsReport
from handlers.access import admins_only
from handlers.common import chat_of, language

FILENAME = "innovdeizh-stats.png"


@admins_only
async def show_stats(update: Update, context: Ctx) -> None:
    """One photo captioned with the figures; a message and the photo when they do not fit."""
    deps = context.deps
    stats = await deps.stats.stats()
    report = StatsReport(deps.texts, language(update, context), deps.config.bot.tz)
    text, as_caption = report.compose(stats)
    # The chart (and, the first time, matplotlib's import: about a second) is drawn in a
    # worker thread: the loop stays free for other members meanwhile.
    drawing = asyncio.create_task(asyncio.to_thread(bars_chart, report.panels(stats)))
    chat_id = chat_of(update).id
    if as_caption:
        png = await drawing
        await context.bot.send_photo(chat_id, InputFile(png, filename=FILENAME), caption=text)
        return
    try:
        await context.bot.send_message(chat_id, text)
    finally:
        png = await drawing
    caption = deps.caption(update, "stats.chart_caption")
    await context.bot.send_photo(chat_id, InputFile(png, filename=FILENAME), caption=caption)
