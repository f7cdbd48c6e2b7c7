"""The member's calendar link: « 📅 Mes rencontres dans mon agenda » under /evenements gives the
private feed's address, « Réinitialiser mon lien » (confirmed first) replaces it.

The link is personal, so it is offered and given in the member's private chat only; without a
public address for the server (config ``[http] public_url``) there is nothing to offer and the
list shows no button.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.context import Ctx
from handlers.common import edit_buttons, is_private, label, query_of, say, sender
from handlers.events import keys


def feed_button(update: Update, context: Ctx) -> InlineKeyboardButton | None:
    """The list's « Mes rencontres dans mon agenda », when a link can be given here."""
    if not is_private(update) or not context.deps.events.feeds.offered:
        return None
    return keys.FEED.button(label(update, context, "events.calendar.button"), 0)


async def _refused(update: Update, context: Ctx) -> bool:
    """A press outside the member's private chat, or with no address to give: a toast."""
    query = query_of(update)
    if not context.deps.events.feeds.offered:
        await query.answer(context.deps.t(update, "events.calendar.unavailable"), show_alert=True)
        return True
    if not is_private(update):
        await query.answer(context.deps.t(update, "events.calendar.private_only"), show_alert=True)
        return True
    return False


def _reset_markup(update: Update, context: Ctx) -> InlineKeyboardMarkup:
    button = keys.FEED_RESET.button(label(update, context, "events.calendar.reset"), 0)
    return InlineKeyboardMarkup([[button]])


async def on_feed(update: Update, context: Ctx) -> None:
    """« Mes rencontres dans mon agenda »: the private link (made on the first press)."""
    if await _refused(update, context):
        return
    await query_of(update).answer()
    feeds = context.deps.events.feeds
    feeds.know_bot(context.bot.username)
    url = await feeds.link(sender(update).id)
    await say(
        update,
        context,
        "events.calendar.link",
        url=url,
        all=feeds.public_link(),
        reply_markup=_reset_markup(update, context),
    )


async def on_feed_reset(update: Update, context: Ctx) -> None:
    """« Réinitialiser mon lien »: confirm first, the old subscription will stop."""
    if await _refused(update, context):
        return
    await query_of(update).answer()
    yes = keys.FEED_RESET_OK.button(label(update, context, "events.calendar.reset_yes"), 0)
    await say(
        update,
        context,
        "events.calendar.reset_confirm",
        reply_markup=InlineKeyboardMarkup([[yes]]),
    )


async def on_feed_reset_ok(update: Update, context: Ctx) -> None:
    """« Oui, un nouveau lien »: the old link answers 404 from now on; the new one is given."""
    if await _refused(update, context):
        return
    query = query_of(update)
    await query.answer()
    await edit_buttons(query, None)  # confirmed once: pressing again would reset again
    url = await context.deps.events.feeds.reset(sender(update).id)
    await say(
        update,
        context,
        "events.calendar.reset_done",
        url=url,
        reply_markup=_reset_markup(update, context),
    )
