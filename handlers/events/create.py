"""/nouvel_evenement: an organiser composes a gathering step by step, then publishes it.

Each answer is saved in the database draft as it comes (a restart resumes at the same step).
Optional steps (address, description, theme, capacity) have a « Passer » button, and /passer
typed does the same; /retour asks the previous question again; the date is typed in French or
picked (today / tomorrow / in a week, then the hour is typed). The theme is one of the
catalogue's themes (so /abonnements by theme has something to offer). The preview has
« Modifier » before « Publier »: pick a field, answer its question again, see the preview again.
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
    THEME = "events.theme"
    CAPACITY = "events.capacity"
    YEARLY = "events.yearly"
    CONFIRM = "events.confirm"


# The questions in order (the hour belongs to the date: /retour from it asks the date again).
ORDER = (
    Step.TITLE,
    Step.DATE,
    Step.PLACE,
    Step.ADDRESS,
    Step.DESCRIPTION,
    Step.THEME,
    Step.CAPACITY,
    Step.YEARLY,
    Step.CONFIRM,
)
THEME_COLUMNS = 2


def _buttons(update: Update, context: Ctx, *choices: tuple[str, str]) -> InlineKeyboardMarkup:
    row = [keys.NEW.button(context.deps.t(update, key), choice) for key, choice in choices]
    return InlineKeyboardMarkup([row])


async def _save(update: Update, context: Ctx, **fields: Any) -> dict[str, Any]:
    return await context.deps.events.save_answer(sender(update).id, **fields)


async def _asked(update: Update, context: Ctx, step: Step) -> Step:
    """Remember which question is on screen (for /retour), and return its step."""
    await _save(update, context, step=step.value)
    return step


async def _then(update: Update, context: Ctx, ask_next: Any) -> str:
    """After an answer: the next question, or the preview again when a field was corrected."""
    draft = await context.deps.events.draft(sender(update).id)
    if draft.get("editing"):
        await _save(update, context, editing=False)
        return await _preview(update, context)
    return str(await ask_next(update, context))


@admins_only
async def start(update: Update, context: Ctx) -> str:
    """/nouvel_evenement: a fresh draft; the admin is asked for the title."""
    await context.deps.events.discard_draft(sender(update).id)
    return await _ask_title(update, context)


async def _ask_title(update: Update, context: Ctx) -> str:
    await hold(update, context, NAME, Step.TITLE)
    await say(update, context, "events.create.ask_title")
    return await _asked(update, context, Step.TITLE)


async def on_title(update: Update, context: Ctx) -> str:
    """The typed title is kept; the admin is asked for the date."""
    await _save(update, context, title=(message_of(update).text or "").strip()[:200])
    return await _then(update, context, _ask_date)


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
    return await _asked(update, context, Step.DATE)


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
    return await _then(update, context, _ask_place)


async def _ask_place(update: Update, context: Ctx) -> str:
    await hold(update, context, NAME, Step.PLACE)
    await say(update, context, "events.create.ask_place")
    return await _asked(update, context, Step.PLACE)


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
    return await _asked(update, context, Step.HOUR)


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
    return await _then(update, context, _ask_place)


async def on_place(update: Update, context: Ctx) -> str:
    """The typed place is kept; the admin is asked for the address."""
    await _save(update, context, place=(message_of(update).text or "").strip()[:200])
    return await _then(update, context, _ask_address)


async def _ask_address(update: Update, context: Ctx) -> str:
    skip = _buttons(update, context, ("events.create.skip", "skip"))
    await hold(update, context, NAME, Step.ADDRESS)
    await say(update, context, "events.create.ask_address", reply_markup=skip)
    return await _asked(update, context, Step.ADDRESS)


def _skipped(update: Update) -> bool:
    """« Passer » pressed, or /passer typed (a command, never an answer)."""
    text = update.message.text if update.message else None
    return update.callback_query is not None or (text or "").startswith("/")


async def _save_optional_text(update: Update, context: Ctx, field: str, limit: int) -> None:
    """A typed answer is saved (cut to ``limit``); « Passer » (or /passer) leaves it empty."""
    if update.callback_query is not None:
        await update.callback_query.answer()
    if _skipped(update):
        await _save(update, context, **{field: ""})
    else:
        await _save(update, context, **{field: (message_of(update).text or "").strip()[:limit]})


async def on_address(update: Update, context: Ctx) -> str:
    """The address (or « Passer ») is kept; the admin is asked for a description."""
    await _save_optional_text(update, context, "address", 300)
    return await _then(update, context, _ask_description)


async def _ask_description(update: Update, context: Ctx) -> str:
    skip = _buttons(update, context, ("events.create.skip", "skip"))
    await hold(update, context, NAME, Step.DESCRIPTION)
    await say(update, context, "events.create.ask_description", reply_markup=skip)
    return await _asked(update, context, Step.DESCRIPTION)


async def on_description(update: Update, context: Ctx) -> str:
    """The description (or « Passer ») is kept; the theme is asked next."""
    await _save_optional_text(update, context, "description", 2000)
    return await _then(update, context, _ask_theme)


async def _ask_theme(update: Update, context: Ctx) -> str:
    """The labs' and the catalogue's themes (and earlier events') as buttons, two per row."""
    deps = context.deps
    known = [theme for _, theme in await deps.proposals.themes()]  # the labs' themes
    known += [*await deps.catalogue.themes(), *await deps.events.themes()]
    themes = list(dict.fromkeys(theme for theme in known if theme))
    await _save(update, context, theme_choices=themes)
    buttons = [keys.THEME.button(theme, index) for index, theme in enumerate(themes)]
    rows = [buttons[i : i + THEME_COLUMNS] for i in range(0, len(buttons), THEME_COLUMNS)]
    rows.append([keys.NEW.button(context.deps.t(update, "events.create.skip"), "skip")])
    await hold(update, context, NAME, Step.THEME)
    await say(update, context, "events.create.ask_theme", reply_markup=InlineKeyboardMarkup(rows))
    return await _asked(update, context, Step.THEME)


async def on_theme(update: Update, context: Ctx) -> str:
    """A theme button (or « Passer », /passer) is kept; the capacity is asked next."""
    theme = ""
    if update.callback_query is not None:
        await update.callback_query.answer()
        values = keys.THEME.parse(update.callback_query.data)
        if values is not None:
            choices = (await context.deps.events.draft(sender(update).id)).get("theme_choices", [])
            index = int(values[0])
            theme = str(choices[index]) if index < len(choices) else ""
    await _save(update, context, theme=theme)
    return await _then(update, context, _ask_capacity)


async def on_theme_typed(update: Update, context: Ctx) -> str:
    """A typed theme: the buttons are the themes (a typed one would make a new category)."""
    await say(update, context, "events.create.theme_buttons")
    return Step.THEME


async def _ask_capacity(update: Update, context: Ctx) -> str:
    markup = _buttons(update, context, ("events.create.no_limit", "nolimit"))
    await hold(update, context, NAME, Step.CAPACITY)
    await say(update, context, "events.create.ask_capacity", reply_markup=markup)
    return await _asked(update, context, Step.CAPACITY)


async def on_capacity(update: Update, context: Ctx) -> str:
    """A number of seats (or « Sans limite », /passer) is kept; yearly or not is asked next."""
    if update.callback_query is not None:
        await update.callback_query.answer()
    if _skipped(update):
        await _save(update, context, capacity=None)
    else:
        text = (message_of(update).text or "").strip()
        if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 100_000:
            await say(update, context, "events.create.capacity_invalid")
            return Step.CAPACITY
        await _save(update, context, capacity=int(text))
    return await _then(update, context, _ask_yearly)


async def _ask_yearly(update: Update, context: Ctx) -> str:
    markup = _buttons(update, context, ("events.create.yes", "y1"), ("events.create.no", "y0"))
    await hold(update, context, NAME, Step.YEARLY)
    await say(update, context, "events.create.ask_yearly", reply_markup=markup)
    return await _asked(update, context, Step.YEARLY)


async def on_yearly(update: Update, context: Ctx) -> str:
    """Yearly or not is kept; the admin sees the card as members will, to confirm."""
    query = query_of(update)
    await query.answer()
    await _save(update, context, repeats_yearly=keys.NEW.values(query.data) == ("y1",))
    return await _preview(update, context)


async def _preview(update: Update, context: Ctx) -> str:
    """The card as members will see it, then « Publier », « Modifier », « Abandonner »."""
    draft = await context.deps.events.draft(sender(update).id)
    preview = EventView(
        id=0,
        title=draft["title"],
        description=draft.get("description", ""),
        place=draft.get("place", ""),
        address=draft.get("address", ""),
        theme=draft.get("theme", ""),
        starts_at=datetime.fromisoformat(draft["starts_at"]),
        ends_at=None,
        capacity=draft.get("capacity"),
        repeats_yearly=bool(draft.get("repeats_yearly", False)),
        cancelled=False,
        schedule_rev=0,
        coming=0,
    )
    lang = context.deps.language_of(update.effective_user)
    await hold(update, context, NAME, Step.CONFIRM)
    await say(update, context, "events.create.preview")
    card = context.deps.events.messages.card_text(preview, lang)
    if preview.theme:
        card += "\n" + context.deps.t(update, "events.create.theme_line", theme=preview.theme)
    await context.bot.send_message(message_of(update).chat_id, card)
    if draft.get("typed_day"):
        await say(update, context, "events.create.weekday_warning", typed=draft["typed_day"])
    t = context.deps.t
    markup = InlineKeyboardMarkup(
        [
            [
                keys.NEW.button(t(update, "events.create.edit"), "edit"),
                keys.NEW.button(t(update, "events.create.publish"), "publish"),
            ],
            [keys.NEW.button(t(update, "events.create.discard"), "discard")],
        ]
    )
    await say(update, context, "events.create.confirm", reply_markup=markup)
    return await _asked(update, context, Step.CONFIRM)


async def on_edit(update: Update, context: Ctx) -> str:
    """« Modifier »: the fields as buttons."""
    query = query_of(update)
    await query.answer()
    t = context.deps.t
    buttons = [
        keys.EDIT.button(t(update, f"events.create.field.{f}"), f) for f in keys.EDIT_FIELDS
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    await say(update, context, "events.create.edit_which", reply_markup=InlineKeyboardMarkup(rows))
    return Step.CONFIRM


async def on_edit_field(update: Update, context: Ctx) -> str:
    """A field to correct: its question again; the answer leads back to the preview."""
    query = query_of(update)
    await query.answer()
    (field,) = keys.EDIT.values(query.data)
    await _save(update, context, editing=True)
    return str(await ASK[field](update, context))


async def on_back(update: Update, context: Ctx) -> str:
    """/retour: the previous question again (the first one stays the first)."""
    draft = await context.deps.events.draft(sender(update).id)
    step = Step(draft.get("step", Step.TITLE.value))
    previous = Step.DATE if step == Step.HOUR else ORDER[max(ORDER.index(step) - 1, 0)]
    await _save(update, context, editing=False)
    return str(await ASK[previous.value.split(".")[1]](update, context))


ASK = {
    "title": _ask_title,
    "date": _ask_date,
    "place": _ask_place,
    "address": _ask_address,
    "description": _ask_description,
    "theme": _ask_theme,
    "capacity": _ask_capacity,
    "yearly": _ask_yearly,
    "confirm": _preview,
}


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


async def on_required(update: Update, context: Ctx) -> None:
    """/passer on a question that needs an answer: said so, the question stays."""
    await say(update, context, "events.create.required")


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

    def skip(callback: Any) -> BaseHandler[Update, Ctx, Any]:
        return CommandHandler(["passer", "skip"], guarded(callback))

    states: dict[object, list[BaseHandler[Update, Ctx, Any]]] = {
        Step.TITLE: [MessageHandler(text, guarded(on_title))],
        Step.DATE: [
            MessageHandler(text, guarded(on_date)),
            button(on_day_button, "d0", "d1", "d7"),
        ],
        Step.HOUR: [MessageHandler(text, guarded(on_hour))],
        Step.PLACE: [MessageHandler(text, guarded(on_place))],
        Step.ADDRESS: [
            MessageHandler(text, guarded(on_address)),
            button(on_address, "skip"),
            skip(on_address),
        ],
        Step.DESCRIPTION: [
            MessageHandler(text, guarded(on_description)),
            button(on_description, "skip"),
            skip(on_description),
        ],
        Step.THEME: [
            CallbackQueryHandler(guarded(on_theme), pattern=keys.THEME.pattern),
            button(on_theme, "skip"),
            skip(on_theme),
            MessageHandler(text, guarded(on_theme_typed)),
        ],
        Step.CAPACITY: [
            MessageHandler(text, guarded(on_capacity)),
            button(on_capacity, "nolimit"),
            skip(on_capacity),
        ],
        Step.YEARLY: [button(on_yearly, "y1", "y0"), MessageHandler(text, guarded(_ask_yearly))],
        Step.CONFIRM: [
            CallbackQueryHandler(on_confirm, pattern=keys.new_choice("publish", "discard")),
            button(on_edit, "edit"),
            CallbackQueryHandler(guarded(on_edit_field), pattern=keys.EDIT.pattern),
        ],
    }
    back = CommandHandler(["retour", "back"], guarded(on_back))
    return dialogue(
        NAME,
        [opened_by],
        states,
        [cancel_command(on_cancel), back, skip(on_required)],
    )
