"""« 📍 Autour de moi »: a member shares their location and gets the 5 nearest innovations."""

from __future__ import annotations

from telegram import (
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    Update,
)

from bot.context import Ctx
from handlers.catalogue.keys import button
from handlers.common import chat_of, message_of


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
    nearest = await context.deps.catalogue.nearest_innovations(
        location.latitude, location.longitude
    )
    t = context.deps.t
    if not nearest:
        await context.bot.send_message(chat_of(update).id, t(update, "catalogue.nearby.none"))
        return
    listed = "\n".join(
        t(update, "catalogue.nearby.line", n=n, title=i.title, commune=i.commune, km=_km(i.km))
        for n, i in enumerate(nearest, 1)
    )
    rows = [
        [button(f"{n}. {i.title} · {_km(i.km)} km", "inno", i.id)]
        for n, i in enumerate(nearest, 1)
    ]
    await context.bot.send_message(
        chat_of(update).id,
        t(update, "catalogue.nearby.found", count=len(nearest)) + "\n" + listed,
        reply_markup=InlineKeyboardMarkup(rows),
    )


def _km(km: float) -> str:
    return f"{km:.1f}" if km < 10 else f"{km:.0f}"
