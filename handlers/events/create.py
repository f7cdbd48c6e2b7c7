"""/nouvel_evenement: an organiser composes a gathering step by step, then publishes it.

Each answer is saved in the database draft as it comes (a restart resumes at the same step).
Optional steps (address, description, capacity) have a « Passer » button; the date is typed in
French or picked (today / tomorrow / in a week, then the hour is typed).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.context import Ctx
from bot.formatting import format_day
from bot.services.events.views import EventView
from bot.services.french_dates import (
    DateNotUnderstood,
    mismatched_weekday,
    parse_french_datetime,
)
from handlers.access import admins_only
from handlers.common import message_of, query_of, say, sender
from handlers.dialogues import cancel_command, dialogue, hold
from handlers.events import keys

NAME = "events"  # the dialogue's name: stored states are keyed by it


class Step(StrEnum):
    TITLE = "events.title"
    DATE = "events.date"
    HOUR = "events.hour"
    PLACE = "events.place"
    ADDRESS = "events.address"
    DESCRIPTION = "events.description"
    CAPACITY = "events.capacity"
    YEARLY = "events.yearly"
    CONFIRM = "events.confirm"


def _buttons(update: Update, context: Ctx, *choices: tuple[str, str]) -> InlineKeyboardMarkup:
    row = [keys.NEW.button(context.deps.t(update, key), choice) for key, choice in choices]
    return InlineKeyboardMarkup([row])


async def _save(update: Update, context: Ctx, **fields: Any) -> dict[str, Any]:
    return await context.deps.events.save_answer(sender(update).id, **fields)


@admins_only
async def start(update: Update, context: Ctx) -> str:
    """/nouvel_evenement: a fresh draft; the admin is asked for the title."""
    await context.deps.events.discard_draft(sender(update).id)
    await hold(update, context, NAME, Step.TITLE)
    await say(update, context, "events.create.ask_title")
    return Step.TITLE


async def on_title(update: Update, context: Ctx) -> str:
    """The typed title is kept; the admin is asked for the date."""
    await _save(update, context, title=(message_of(update).text or "").strip()[:200])
    return await _ask_date(update, context)


async def _ask_date(update: Update, context: Ctx) -> str:
    markup = _buttons(
        update,
        context,
        ("events.create.today", "d0"),
        ("events.create.tomorrow", "d1"),
        ("events.create.in_a_week", "d7"),
    )
    await hold(update, context, NAME, Step.DATE)
    await say(update, context, "events.create.ask_date", reply_markup=markup)
    return Step.DATE


async def on_date(update: Update, context: Ctx) -> str:
    """A typed date (and time) is kept; the admin is asked for the place."""
    text = message_of(update).text or ""
    tz = context.deps.config.bot.tz
    try:
        when = parse_french_datetime(text, datetime.now(UTC), tz)
    except DateNotUnderstood as exc:
        await say(update, context, f"events.create.date_{exc.reason}")
        return Step.DATE
    if when <= datetime.now(UTC):
        await say(update, context, "events.create.date_past")
        return Step.DATE
    typed = mismatched_weekday(text, when)
    await _save(update, context, starts_at=when.astimezone(UTC).isoformat(), typed_day=typed)
    await hold(update, context, NAME, Step.PLACE)
    await say(update, context, "events.create.ask_place")
    return Step.PLACE


async def on_day_button(update: Update, context: Ctx) -> str:
    """« Aujourd'hui », « Demain » or « Dans une semaine »: the hour is asked next."""
    query = query_of(update)
    await query.answer()
    (choice,) = keys.NEW.values(query.data)
    shift = int(choice[1:])
    day = (datetime.now(UTC).astimezone(context.deps.config.bot.tz) + timedelta(days=shift)).date()
    await _save(update, context, day=day.isoformat())
    shown = format_day(day, context.deps.language_of(update.effective_user))
    await hold(update, context, NAME, Step.HOUR)
    await say(update, context, "events.create.ask_hour", day=shown)
    return Step.HOUR


async def on_hour(update: Update, context: Ctx) -> str:
    """The typed hour completes the date; the admin is asked for the place."""
    draft = await context.deps.events.draft(sender(update).id)
    day = date.fromisoformat(draft["day"])
    message_text = f"{day.day}/{day.month}/{day.year} {message_of(update).text or ''}"
    try:
        when = parse_french_datetime(message_text, datetime.now(UTC), context.deps.config.bot.tz)
    except DateNotUnderstood:
        await say(update, context, "events.create.date_time")
        return Step.HOUR
    if when <= datetime.now(UTC):
        await say(update, context, "events.create.date_past")
        return Step.HOUR
    await _save(update, context, starts_at=when.astimezone(UTC).isoformat(), typed_day=None)
    await hold(update, context, NAME, Step.PLACE)
    await say(update, context, "events.create.ask_place")
    return Step.PLACE


async def on_place(update: Update, context: Ctx) -> str:
    """The typed place is kept; the admin is asked for the address."""
    await _save(update, context, place=(message_of(update).text or "").strip()[:200])
    skip = _buttons(update, context, ("events.create.skip", "skip"))
    await hold(update, context, NAME, Step.ADDRESS)
    await say(update, context, "events.create.ask_address", reply_markup=skip)
    return Step.ADDRESS


async def _save_optional_text(update: Update, context: Ctx, field: str, limit: int) -> None:
    """A typed answer is saved (cut to ``limit``); the « passer » button leaves it empty."""
    if update.callback_query is not None:
        await update.callback_query.answer()
    else:
        await _save(update, context, **{field: (message_of(update).text or "").strip()[:limit]})


async def on_address(update: Update, context: Ctx) -> str:
    """The address (or « Passer ») is kept; the admin is asked for a description."""
    await _save_optional_text(update, context, "address", 300)
    skip = _buttons(update, context, ("events.create.skip", "skip"))
    await hold(update, context, NAME, Step.DESCRIPTION)
    await say(update, context, "events.create.ask_description", reply_markup=skip)
    return Step.DESCRIPTION


async def on_description(update: Update, context: Ctx) -> str:
    """The description (or « Passer ») is kept; the capacity is asked next."""
    await _save_optional_text(update, context, "description", 2000)
    markup = _buttons(update, context, ("events.create.no_limit", "nolimit"))
    await hold(update, context, NAME, Step.CAPACITY)
    await say(update, context, "events.create.ask_capacity", reply_markup=markup)
    return Step.CAPACITY


async def on_capacity(update: Update, context: Ctx) -> str:
    """A number of seats (or « Sans limite ») is kept; yearly or not is asked next."""
    if update.callback_query is not None:
        await update.callback_query.answer()
        await _save(update, context, capacity=None)
    else:
        text = (message_of(update).text or "").strip()
        if not text.isdigit() or int(text) < 1:
            await say(update, context, "events.create.capacity_invalid")
            return Step.CAPACITY
        await _save(update, context, capacity=int(text))
    markup = _buttons(update, context, ("events.create.yes", "y1"), ("events.create.no", "y0"))
    await hold(update, context, NAME, Step.YEARLY)
    await say(update, context, "events.create.ask_yearly", reply_markup=markup)
    return Step.YEARLY


async def on_yearly(update: Update, context: Ctx) -> str:
    """Yearly or not is kept; the admin sees the card as members will, to confirm."""
    query = query_of(update)
    await query.answer()
    draft = await _save(update, context, repeats_yearly=keys.NEW.values(query.data) == ("y1",))
    preview = EventView(
        id=0,
        title=draft["title"],
        description=draft.get("description", ""),
        place=draft.get("place", ""),
        address=draft.get("address", ""),
        theme="",
        starts_at=datetime.fromisoformat(draft["starts_at"]),
        ends_at=None,
        capacity=draft.get("capacity"),
        repeats_yearly=draft["repeats_yearly"],
        cancelled=False,
        schedule_rev=0,
        coming=0,
    )
    lang = context.deps.language_of(update.effective_user)
    await hold(update, context, NAME, Step.CONFIRM)
    await say(update, context, "events.create.preview")
    await message_of(update).reply_text(context.deps.events.messages.card_text(preview, lang))
    if draft.get("typed_day"):
        await say(update, context, "events.create.weekday_warning", typed=draft["typed_day"])
    markup = _buttons(
        update, context, ("events.create.publish", "publish"), ("events.create.discard", "discard")
    )
    await say(update, context, "events.create.confirm", reply_markup=markup)
    return Step.CONFIRM


@admins_only
async def on_confirm(update: Update, context: Ctx) -> int:
    """« Publier » publishes the event, « Abandonner » drops the draft."""
    query = query_of(update)
    await query.answer()
    service = context.deps.events
    if keys.NEW.values(query.data) == ("publish",):
        await service.publish_draft(sender(update).id)
        await say(update, context, "events.create.published")
    else:
        await service.discard_draft(sender(update).id)
        await say(update, context, "events.create.cancelled")
    return ConversationHandler.END


async def on_cancel(update: Update, context: Ctx) -> int:
    """/annuler: the draft event is dropped."""
    await context.deps.events.discard_draft(sender(update).id)
    await say(update, context, "events.create.cancelled")
    return ConversationHandler.END


def build_conversation(opened_by: CommandHandler[Ctx, Any]) -> ConversationHandler[Ctx]:
    """The /nouvel_evenement dialogue (admins only, command and buttons); ``opened_by`` is the
    table's /nouvel_evenement handler."""
    text = filters.TEXT & ~filters.COMMAND
    guarded = admins_only

    def button(callback: Any, *choices: str) -> BaseHandler[Update, Ctx, Any]:
        return CallbackQueryHandler(guarded(callback), pattern=keys.new_choice(*choices))

    states: dict[object, list[BaseHandler[Update, Ctx, Any]]] = {
        Step.TITLE: [MessageHandler(text, guarded(on_title))],
        Step.DATE: [
            MessageHandler(text, guarded(on_date)),
            button(on_day_button, "d0", "d1", "d7"),
        ],
        Step.HOUR: [MessageHandler(text, guarded(on_hour))],
        Step.PLACE: [MessageHandler(text, guarded(on_place))],
        Step.ADDRESS: [MessageHandler(text, guarded(on_address)), button(on_address, "skip")],
        Step.DESCRIPTION: [
            MessageHandler(text, guarded(on_description)),
            button(on_description, "skip"),
        ],
        Step.CAPACITY: [
            MessageHandler(text, guarded(on_capacity)),
            button(on_capacity, "nolimit"),
        ],
        Step.YEARLY: [button(on_yearly, "y1", "y0")],
        Step.CONFIRM: [
            CallbackQueryHandler(on_confirm, pattern=keys.new_choice("publish", "discard"))
        ],
    }
    return dialogue(
        NAME,
        [opened_by],
        states,
        [cancel_command(on_cancel)],
    )
