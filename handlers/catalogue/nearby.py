"""« 📍 Autour de moi »: a member shares their location and gets the 5 nearest innovations."""

from __future__ import annotations

from telegram import (
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    Update,
)

from bot.context import Ctx
from bot.formatting import format_km
from bot.services.catalogue.communes import is_position
from handlers.catalogue.keys import button
from handlers.common import chat_of, language, message_of


async def ask_location(update: Update, context: Ctx) -> None:
    """/autour (/nearby) or the button: a one-time keyboard that shares the location."""
    if update.callback_query is not None:
        await update.callback_query.answer()
    keyboard = ReplyKeyboardMarkup(
        [
            [
                KeyboardButton(
                    context.deps.t(update, "catalogue.nearby.button"), request_location=True
                )
            ]
        ],
        resize_keyboard=True,
        one_time_keyboard=True,
    )
    text = context.deps.t(update, "catalogue.nearby.ask")
    await context.bot.send_message(chat_of(update).id, text, reply_markup=keyboard)


async def on_location(update: Update, context: Ctx) -> None:
    """The 5 nearest approved innovations, with distances, each opening its card."""
    location = message_of(update).location
    if location is None:
        return
    if not is_position(location.latitude, location.longitude):
        text = context.deps.t(update, "catalogue.nearby.invalid")
        await context.bot.send_message(chat_of(update).id, text)
        return
    nearest = await context.deps.catalogue.nearest_innovations(
        location.latitude, location.longitude
    )
    t, lang = context.deps.t, language(update, context)
    if not nearest:
        await context.bot.send_message(chat_of(update).id, t(update, "catalogue.nearby.none"))
        return
    numbered = [(n, i, format_km(i.km, lang)) for n, i in enumerate(nearest, 1)]
    listed = "\n".join(
        t(update, "catalogue.nearby.line", n=n, title=i.title, commune=i.commune, km=km)
        for n, i, km in numbered
    )
    rows = [[button(f"{n}. {i.title} · {km}\u00a0km", "inno", i.id)] for n, i, km in numbered]
    await context.bot.send_message(
        chat_of(update).id,
        context.deps.texts.plural(lang, "catalogue.nearby.found", len(nearest)) + "\n" + listed,
        reply_markup=InlineKeyboardMarkup(rows),
    )
