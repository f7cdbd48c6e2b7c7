"""Organisers' survey commands typed bare: the surveys (or the events) to choose, as buttons.

The typed form stays the shortcut (/enquete_ouvrir 3); each list says it. Which surveys are
offered depends on the action: closed ones are not scheduled, opened nor closed again; every
survey can be exported or read.
"""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import InlineKeyboardMarkup, Update

from bot.context import Ctx
from bot.services.surveys.planning import SurveyInfo
from handlers.common import label, say
from handlers.surveys.keys import NEW, PICK

LABEL_LIMIT = 60
EVENTS_OFFERED = 8  # upcoming ones first, then the latest past ones
COMMAND_OF = {
    "schedule": "/enquete_planifier 3 demain 9h",
    "open": "/enquete_ouvrir 3",
    "close": "/enquete_cloturer 3 public",
    "export": "/enquete_export 3 csv",
    "results": "/resultats 3",
}


def _offered(info: SurveyInfo, action: str) -> bool:
    if action in {"export", "results"}:
        return True
    if action == "open":
        return info.status != "closed" and not info.open_to_all
    return info.status != "closed"


def _cut(text: str) -> str:
    return text if len(text) <= LABEL_LIMIT else text[: LABEL_LIMIT - 1].rstrip() + "…"


async def offer_surveys(update: Update, context: Ctx, action: str) -> None:
    """The surveys this action applies to, as buttons with their number; the usage when none."""
    infos = [
        info for info in await context.deps.surveys.planning.latest() if _offered(info, action)
    ]
    t = context.deps.t
    if not infos:
        await say(update, context, "surveys.admin.usage_id", example=COMMAND_OF[action])
        await say(update, context, "surveys.admin.pick_none")
        return
    rows = []
    for info in infos:
        status = t(update, f"surveys.admin.status_{info.status}")
        text = label(
            update, context, "surveys.admin.pick_label", id=info.id, title=_cut(info.title)
        )
        rows.append([PICK[action].button(f"{text} · {status}", action, info.id)])
    await say(
        update,
        context,
        f"surveys.admin.pick_{action}",
        example=COMMAND_OF[action],
        reply_markup=InlineKeyboardMarkup(rows),
    )


async def offer_events(update: Update, context: Ctx) -> None:
    """/enquete_creer bare: the events a survey can be for (upcoming, then the latest past)."""
    now = datetime.now(UTC)
    events = context.deps.events
    upcoming = [(e.id, e.title) for e in await events.upcoming(now, limit=EVENTS_OFFERED)]
    past = [(e.id, e.title) for e in await events.past(now, limit=EVENTS_OFFERED)]
    chosen = (upcoming + past)[:EVENTS_OFFERED]
    if not chosen:
        await say(update, context, "surveys.admin.usage_create")
        return
    rows = [
        [
            NEW.button(
                label(update, context, "surveys.admin.pick_label", id=id_, title=_cut(title)), id_
            )
        ]
        for id_, title in chosen
    ]
    await say(update, context, "surveys.admin.pick_event", reply_markup=InlineKeyboardMarkup(rows))
