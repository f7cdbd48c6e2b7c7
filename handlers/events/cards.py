"""Members and events: the one list (/evenements, /events, /rencontres), the card wherever it is
opened (buttons, deep links, the FAQ), its buttons (RSVP, .ics), /abonnements
(organisers move and cancel events in organisers.py)."""

from __future__ import annotations

import contextlib
from dataclasses import replace
from datetime import UTC, datetime

from telegram import InlineKeyboardMarkup, InputFile, Update
from telegram.error import BadRequest

from bot.context import Ctx
from bot.services.events.calendar_files import event_ics, ics_filename
from bot.services.events.service import EventNotFound
from bot.services.events.views import EventView
from handlers.access import admins_only
from handlers.common import (
    chat_of,
    edit_buttons,
    query_of,
    say,
    send_view,
    sender,
    show,
)
from handlers.events import keys
from handlers.events.calendar import feed_button
from handlers.events.views import card_view, past_keyboard, viewer
from handlers.keys import parse_id

UPCOMING_CARDS = 5
PAST_BUTTONS = 8


async def list_events(update: Update, context: Ctx) -> None:
    """/evenements, /events, /rencontres: the next gatherings as cards, then the past ones;
    in private, the member's calendar link on the header."""
    now = datetime.now(UTC)
    service = context.deps.events
    upcoming = await service.upcoming(now, limit=UPCOMING_CARDS, member_id=viewer(update))
    past = await service.past(now, limit=PAST_BUTTONS)
    t = context.deps.t
    feed = feed_button(update, context)  # the member's calendar link, in private only
    if not upcoming:  # one message: « Retour » on a card can turn it into the whole list
        text = t(update, "events.list.empty")
        if past:
            text += "\n\n" + t(update, "events.list.past")
        markup = past_keyboard(past)
        if feed is not None:
            rows = markup.inline_keyboard if markup is not None else ()
            markup = InlineKeyboardMarkup([*rows, [feed]])
        await show(update, context, (text, markup))
        return
    header = InlineKeyboardMarkup([[feed]]) if feed is not None else None
    await say(update, context, "events.list.header", reply_markup=header)
    for event in upcoming:
        await send_view(update, context, card_view(update, context, event))
    if past:
        await say(update, context, "events.list.past", reply_markup=past_keyboard(past))


async def open_card(
    update: Update, context: Ctx, event_id: int | None = None, slug: str = ""
) -> bool:
    """The event's card (edited in place when a button asked for it); False if there is none."""
    try:
        event = await context.deps.events.card(event_id, slug=slug, member_id=viewer(update))
    except EventNotFound:
        return False
    await show(update, context, card_view(update, context, event))
    return True


async def open_from_link(update: Update, context: Ctx, rest: str) -> bool:
    """Deep link and poster QR code: t.me/<bot>?start=event-<id or slug>."""
    if (event_id := parse_id(rest)) is not None:
        return await open_card(update, context, event_id)
    return bool(rest) and await open_card(update, context, slug=rest)


async def show_next(update: Update, context: Ctx) -> None:
    """« Quand a lieu la prochaine rencontre ? »: its card, else the list (nothing planned)."""
    event = await context.deps.events.next_event(datetime.now(UTC), member_id=viewer(update))
    if event is None:
        await list_events(update, context)
    else:
        await show(update, context, card_view(update, context, event))


async def on_card(update: Update, context: Ctx) -> None:
    """A button that opens an event's card (lists, search hits, past events)."""
    query = query_of(update)
    (event_id,) = keys.CARD.values(query.data)
    if await open_card(update, context, int(event_id)):
        await query.answer()
    else:
        await query.answer(context.deps.t(update, "events.rsvp.gone"), show_alert=True)


async def on_list(update: Update, context: Ctx) -> None:
    """« Retour » on a card: the list of gatherings."""
    await query_of(update).answer()
    await list_events(update, context)


async def on_ics(update: Update, context: Ctx) -> None:
    """« Ajouter à mon agenda »: the event as a calendar file."""
    query = query_of(update)
    (event_id,) = keys.ICS.values(query.data)
    try:
        event = await context.deps.events.card(int(event_id))
    except EventNotFound:
        await query.answer(context.deps.t(update, "events.rsvp.gone"), show_alert=True)
        return
    await query.answer()
    await _send_ics(update, context, event)


async def on_rsvp(update: Update, context: Ctx) -> None:
    """« Je viens » (or the waiting list), « Peut-être », « Je ne viens pas », the « Me rappeler »
    toggle; the pressed card shows the new answer and counts."""
    query = query_of(update)
    parsed = keys.rsvp_of(query.data)
    if parsed is None:
        await query.answer()
        return
    action, event_id = parsed
    try:
        outcome = await context.deps.events.rsvp(event_id, sender(update).id, action)
    except EventNotFound:
        await query.answer(context.deps.t(update, "events.rsvp.gone"), show_alert=True)
        return
    mine = outcome.event.mine
    position = mine.position if mine is not None else 0
    toast = context.deps.t(update, f"events.rsvp.{outcome.result}", position=position)
    await query.answer(toast, show_alert=outcome.result == "queued")
    message = query.message
    if message is not None:
        # Refresh the answer and counts on the card pressed (same text -> Telegram says 400);
        # in a group chat the card stays everyone's: counts only, nobody's ✅.
        event = outcome.event if viewer(update) is not None else replace(outcome.event, mine=None)
        text, markup = card_view(update, context, event)
        with contextlib.suppress(BadRequest):
            await context.bot.edit_message_text(
                chat_id=message.chat.id,
                message_id=message.message_id,
                text=text,
                reply_markup=markup,
            )


async def _send_ics(update: Update, context: Ctx, event: EventView) -> None:
    content = event_ics(event, context.deps.config.bot.tz, datetime.now(UTC))
    await context.bot.send_document(
        chat_id=chat_of(update).id,
        document=InputFile(content, filename=ics_filename(event)),
        caption=context.deps.caption(update, "events.ics.caption", title=event.title),
    )


async def show_follow(update: Update, context: Ctx) -> None:
    """/abonnements: follow all gatherings or some themes, accept the network's announcements
    or not (toggle buttons)."""
    await say(
        update,
        context,
        "events.follow.intro",
        reply_markup=await _follow_keyboard(update, context),
    )


async def on_follow(update: Update, context: Ctx) -> None:
    """A follow button: the theme (or every gathering) followed or not, in place."""
    query = query_of(update)
    (index,) = keys.FOLLOW.values(query.data)
    themes = ["", *await context.deps.events.themes()]
    if int(index) >= len(themes):
        await query.answer()
        return
    now_on = await context.deps.events.toggle_follow(sender(update).id, themes[int(index)])
    await query.answer(
        context.deps.t(update, "events.follow.now_on" if now_on else "events.follow.now_off")
    )
    await edit_buttons(query, await _follow_keyboard(update, context))


async def on_news(update: Update, context: Ctx) -> None:
    """« Annonces du réseau »: the member accepts /annonce or refuses it, in place."""
    query = query_of(update)
    now_on = await context.deps.members.toggle_announcements(sender(update).id)
    await query.answer(
        context.deps.t(update, "events.follow.news_on" if now_on else "events.follow.news_off")
    )
    await edit_buttons(query, await _follow_keyboard(update, context))


async def _follow_keyboard(update: Update, context: Ctx) -> InlineKeyboardMarkup:
    service = context.deps.events
    member_id = sender(update).id
    followed = await service.follows(member_id)
    t = context.deps.t
    rows = []
    for index, theme in enumerate(["", *await service.themes()]):
        label = theme or t(update, "events.follow.all")
        key = "events.follow.on" if theme in followed else "events.follow.off"
        text = t(update, key, label=label)
        rows.append([keys.FOLLOW.button(text, index)])
    news = await context.deps.members.takes_announcements(member_id)
    label = t(update, "events.follow.news")
    text = t(update, "events.follow.on" if news else "events.follow.off", label=label)
    rows.append([keys.NEWS.button(text, 0)])
    return InlineKeyboardMarkup(rows)


@admins_only
async def on_organiser_button(update: Update, context: Ctx) -> None:
    """An organiser's button (event dialogue, announcement) pressed outside its dialogue.

    Registered in the main table so a member pressing a forged or replayed organiser button
    is refused as such (and logged), not just told the button is stale.
    """
    await query_of(update).answer(context.deps.t(update, "fallback.stale_button"))
