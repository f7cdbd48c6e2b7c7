"""Organisers move or cancel an event: by its number (/deplacer_evenement 3 13/02 14h), or
typed bare, by picking it among the upcoming events with a button.

/deplacer_evenement bare: the upcoming events as buttons; the one picked is kept (with the
dialogue drafts), then the new date is typed in the events' French grammar. /annuler_evenement
bare: the same buttons, then a confirmation, since those coming are told.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.context import Ctx
from bot.services.events.service import EventNotFound
from bot.services.events.views import EventView
from bot.services.french_dates import DateNotUnderstood, parse_french_datetime
from handlers.access import admins_only
from handlers.common import edit_buttons, label, language, message_of, query_of, say, sender
from handlers.dialogues import cancel_command, dialogue, hold
from handlers.events import keys
from handlers.keys import parse_id

PICKED = 12  # upcoming events offered as buttons
LABEL_LIMIT = 60
MOVE_KIND = "event_move"
MOVE_DIALOGUE = "events_move"
MOVE_DATE = "events_move.date"


def event_number(text: str) -> int | None:
    """An event's number as typed (« 3 », « #3 », « n°3 »), read by the one id parser."""
    return parse_id(text.strip().lstrip("#").removeprefix("n°").strip())


async def _pick(update: Update, context: Ctx, action: str) -> None:
    """The upcoming events as buttons (each with its number), or the usage when none."""
    events = await context.deps.events.upcoming(datetime.now(UTC), limit=PICKED)
    if not events:
        await say(update, context, f"events.admin.usage_{action}")
        await say(update, context, "events.admin.none_upcoming")
        return
    messages = context.deps.events.messages
    lang = language(update, context)
    rows = []
    for event in events:
        text = label(
            update,
            context,
            "events.admin.pick_label",
            id=event.id,
            title=_cut(event.title),
            when=messages.when(event, lang),
        )
        rows.append([keys.PICK[action].button(text, action, event.id)])
    await say(
        update, context, f"events.admin.pick_{action}", reply_markup=InlineKeyboardMarkup(rows)
    )


def _cut(title: str) -> str:
    return title if len(title) <= LABEL_LIMIT else title[: LABEL_LIMIT - 1].rstrip() + "…"


@admins_only
async def move_event(update: Update, context: Ctx) -> str | None:
    """/deplacer_evenement <numéro> <date>; with the number alone, the date is asked; bare:
    pick the event with a button."""
    parts = (message_of(update).text or "").split(maxsplit=2)
    if len(parts) == 1:
        await _pick(update, context, "move")
        return None
    event_id = event_number(parts[1])
    if event_id is None:
        await say(update, context, "events.admin.usage_move")
        return None
    if len(parts) == 2:
        return await _ask_move_date(update, context, event_id)
    await _move(update, context, event_id, parts[2])
    return None


async def _ask_move_date(update: Update, context: Ctx, event_id: int) -> str | None:
    """Keep the event to move, then ask its new date (None: no such upcoming event)."""
    event = await _upcoming(context, event_id)
    if event is None:
        await say(update, context, "events.rsvp.gone")
        return None
    await context.deps.events.hold_choice(sender(update).id, MOVE_KIND, event.id)
    await hold(update, context, MOVE_DIALOGUE, MOVE_DATE)
    await say(update, context, "events.admin.ask_move_date", title=event.title)
    return MOVE_DATE


async def _upcoming(context: Ctx, event_id: int) -> EventView | None:
    """The event, unless it is missing or cancelled (a picker or a number typed too late)."""
    try:
        event = await context.deps.events.card(event_id)
    except EventNotFound:
        return None
    return None if event.cancelled else event


async def _move(update: Update, context: Ctx, event_id: int, typed: str) -> bool:
    """Move the event to the typed date; False (and the reason said) when it cannot be."""
    now = datetime.now(UTC)
    try:
        when = parse_french_datetime(typed, now, context.deps.config.bot.tz)
    except DateNotUnderstood as exc:
        await say(update, context, f"events.create.date_{exc.reason}")
        return False
    if when <= now:
        await say(update, context, "events.create.date_past")
        return False
    try:
        event = await context.deps.events.reschedule(event_id, when.astimezone(UTC))
    except EventNotFound:
        await say(update, context, "events.rsvp.gone")
        return True
    messages = context.deps.events.messages
    await say(
        update, context, "events.admin.moved", when=messages.when(event, language(update, context))
    )
    return True


async def on_pick_move(update: Update, context: Ctx) -> int | str | None:
    """An event picked to move: kept, and the new date asked."""
    query = query_of(update)
    _, event_id = keys.PICK_MOVE.values(query.data)
    if await _upcoming(context, int(event_id)) is None:
        await query.answer(context.deps.t(update, "events.rsvp.gone"), show_alert=True)
        return ConversationHandler.END
    await query.answer()
    return await _ask_move_date(update, context, int(event_id))


async def on_move_date(update: Update, context: Ctx) -> int | str:
    """The new date of the picked event; asked again until it is understood and to come."""
    event_id = await context.deps.events.held_choice(sender(update).id, MOVE_KIND)
    if event_id is None:
        await say(update, context, "events.admin.usage_move")
        return ConversationHandler.END
    if not await _move(update, context, event_id, message_of(update).text or ""):
        return MOVE_DATE
    return ConversationHandler.END


async def on_move_cancel(update: Update, context: Ctx) -> int:
    """/annuler while a new date is asked: nothing moves."""
    await say(update, context, "events.admin.move_dropped")
    return ConversationHandler.END


@admins_only
async def cancel_event(update: Update, context: Ctx) -> None:
    """/annuler_evenement <numéro>; bare: pick the event. Either way, confirm first."""
    parts = (message_of(update).text or "").split()
    if len(parts) == 1:
        await _pick(update, context, "cancel")
        return
    event_id = event_number(parts[1]) if len(parts) == 2 else None
    if event_id is None:
        await say(update, context, "events.admin.usage_cancel")
        return
    await _confirm_cancel(update, context, event_id)


async def _confirm_cancel(update: Update, context: Ctx, event_id: int) -> None:
    """« Annuler … ? » with « Oui, annuler » (those coming will be told)."""
    event = await _upcoming(context, event_id)
    if event is None:
        await say(update, context, "events.rsvp.gone")
        return
    confirm = keys.CANCEL_OK.button(context.deps.t(update, "events.admin.cancel_yes"), event.id)
    await say(
        update,
        context,
        "events.admin.cancel_confirm",
        title=event.title,
        reply_markup=InlineKeyboardMarkup([[confirm]]),
    )


@admins_only
async def on_pick_cancel(update: Update, context: Ctx) -> None:
    """An event picked to cancel: confirm first."""
    query = query_of(update)
    _, event_id = keys.PICK_CANCEL.values(query.data)
    if await _upcoming(context, int(event_id)) is None:  # a picker older than the cancellation
        await query.answer(context.deps.t(update, "events.rsvp.gone"), show_alert=True)
        return
    await query.answer()
    await _confirm_cancel(update, context, int(event_id))


@admins_only
async def on_cancel_ok(update: Update, context: Ctx) -> None:
    """« Oui, annuler »: the event is cancelled, those coming told once."""
    query = query_of(update)
    (event_id,) = keys.CANCEL_OK.values(query.data)
    await query.answer()
    await edit_buttons(query, None)
    try:
        await context.deps.events.cancel(int(event_id))
    except EventNotFound:
        await say(update, context, "events.rsvp.gone")
        return
    await say(update, context, "events.admin.cancelled")


def build_move_conversation(command: CommandHandler[Ctx, Any]) -> ConversationHandler[Ctx]:
    """The two steps of a move: the event (a button, or its number typed after the command),
    then the new date."""
    pick = CallbackQueryHandler(admins_only(on_pick_move), pattern=keys.PICK_MOVE.pattern)
    text = filters.TEXT & ~filters.COMMAND
    states: dict[object, list[Any]] = {
        MOVE_DATE: [MessageHandler(text, admins_only(on_move_date))]
    }
    return dialogue(MOVE_DIALOGUE, [command, pick], states, [cancel_command(on_move_cancel)])
