"""/resultats <n°>: the summary an organiser reads at a glance, and the chart as a photo."""

from __future__ import annotations

import asyncio

from telegram import InputFile, Update

from bot.context import Ctx
from bot.services.surveys.charts import satisfaction_chart
from handlers.common import language, message_of, say, sender
from handlers.surveys.pickers import offer_surveys
from handlers.surveys.views import chart_labels, results_messages


async def show_results(update: Update, context: Ctx) -> None:
    """Organisers always; other members only once the survey is closed with public results.

    Typed bare by an organiser: the surveys as buttons (handlers/surveys/pickers.py)."""
    args = context.args or []
    if not args and context.deps.members.is_admin(sender(update).id):
        await offer_surveys(update, context, "results")
        return
    if not args or not args[0].isdigit() or len(args[0]) > 9:
        await say(update, context, "surveys.admin.usage_id", example="/resultats 3")
        return
    await show_survey(update, context, int(args[0]))


async def show_survey(update: Update, context: Ctx, survey_id: int) -> None:
    """The results of survey ``survey_id`` (the same rule: organisers, else public ones)."""
    results = await context.deps.surveys.results.results(survey_id)
    if results is None:
        await say(update, context, "surveys.admin.not_found", id=survey_id)
        return
    if not context.deps.members.is_admin(sender(update).id) and not results.public:
        await say(update, context, "surveys.results.not_public")
        return
    lang = language(update, context)
    chat_id = message_of(update).chat_id
    drawing = None
    if results.satisfaction:
        labels = chart_labels(context.deps.texts, lang, results)
        # The chart (and, the first time, matplotlib's import: about a second) is drawn in a
        # worker thread while the texts go out: the member waits less, the loop stays free.
        drawing = asyncio.create_task(
            asyncio.to_thread(satisfaction_chart, results.satisfaction, labels)
        )
    try:
        for text in results_messages(context.deps.texts, lang, results):
            await context.bot.send_message(chat_id, text)
    finally:
        png = await drawing if drawing is not None else None
    if png is None:
        return
    await context.bot.send_photo(
        chat_id,
        InputFile(png, filename=f"resultats-{survey_id}.png"),
        caption=context.deps.t(update, "surveys.results.chart_caption", title=results.title),
    )
