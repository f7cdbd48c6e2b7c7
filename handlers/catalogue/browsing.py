"""/labs, /innovations, their cards and deep links; buttons edit the card in place.

Events are the events feature's (handlers/events) and FAQ answers the search's
(handlers/search/faq.py): neither is drawn here."""

from __future__ import annotations

from telegram import Update

from bot.context import Ctx
from bot.services.catalogue.communes import DEPARTEMENTS
from handlers.catalogue import keys
from handlers.catalogue import views as view
from handlers.common import chat_of, query_of, show


async def not_found(update: Update, context: Ctx) -> None:
    """Tell the member the card is gone (an alert under a pressed button)."""
    text = context.deps.t(update, "catalogue.not_found")
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    else:
        await context.bot.send_message(chat_of(update).id, text)


async def show_labs(update: Update, context: Ctx, page: int = 0) -> None:
    """/labs: the labs, 8 a page."""
    listed = await context.deps.catalogue.labs(page)
    header = context.deps.t(update, "catalogue.labs.header", count=listed.total)
    await show(update, context, view.list_view(update, context, header, listed, "lab", "labs"))


async def show_lab(update: Update, context: Ctx, lab_id: int | None, slug: str = "") -> bool:
    """Show the lab's card; False if there is no such lab."""
    card = await context.deps.catalogue.lab(lab_id, slug)
    if card is None:
        return False
    await show(update, context, view.lab_card(update, context, card))
    return True


async def show_themes(update: Update, context: Ctx) -> None:
    """/innovations: choose a theme, a département, or what is near."""
    await show(
        update, context, view.themes_view(update, context, await context.deps.catalogue.themes())
    )


async def show_innovations(update: Update, context: Ctx, action: str, key: str, page: int) -> None:
    """The innovations of a theme or a département, one page, with paging."""
    catalogue = context.deps.catalogue
    if action == keys.THEME.action:
        themes = await catalogue.themes()
        theme = themes[int(key)] if int(key) < len(themes) else None
        if theme is None:
            await show_themes(update, context)
            return
        listed, name = await catalogue.innovations(page, theme=theme), theme
    else:
        listed = await catalogue.innovations(page, departement=key)
        name = DEPARTEMENTS.get(key, key)
    if listed.total == 0:  # nothing invented to fill it: say so, offer to propose one
        propose = context.deps.t(update, "menu.submit")
        await show(update, context, view.empty_view(update, context, name, propose))
        return
    header = context.deps.t(update, "catalogue.innovations.header", name=name, count=listed.total)
    shown = view.list_view(
        update, context, header, listed, "inno", action, key, back=("themes", 0)
    )
    await show(update, context, shown)


async def show_innovation(update: Update, context: Ctx, innovation_id: int) -> bool:
    """Show the innovation's card; False if there is no such innovation."""
    card = await context.deps.catalogue.innovation(innovation_id)
    if card is None:
        return False
    await show(update, context, view.innovation_card(update, context, card))
    return True


async def send_pin(update: Update, context: Ctx, innovation_id: int) -> None:
    """The innovation's location as a map pin (a separate message, asked for)."""
    card = await context.deps.catalogue.innovation(innovation_id)
    if card is None or card.latitude is None or card.longitude is None:
        await not_found(update, context)
        return
    await query_of(update).answer()
    await context.bot.send_location(chat_of(update).id, card.latitude, card.longitude)


# The buttons, one handler per action (patterns from keys.py): cards and lists edit in place.
async def on_labs(update: Update, context: Ctx) -> None:
    """A page of the labs list, in place."""
    (page,) = keys.LABS.values(query_of(update).data)
    await show_labs(update, context, int(page))
    await query_of(update).answer()


async def on_lab(update: Update, context: Ctx) -> None:
    """The lab's card, in place."""
    (lab_id,) = keys.LAB.values(query_of(update).data)
    await _answer(update, context, await show_lab(update, context, int(lab_id)))


async def on_themes(update: Update, context: Ctx) -> None:
    """The themes and départements to choose from, in place."""
    await show_themes(update, context)
    await query_of(update).answer()


async def on_theme(update: Update, context: Ctx) -> None:
    """A page of the theme's innovations, in place."""
    index, page = keys.THEME.values(query_of(update).data)
    await show_innovations(update, context, keys.THEME.action, index, int(page))
    await query_of(update).answer()


async def on_departement(update: Update, context: Ctx) -> None:
    """A page of the département's innovations, in place."""
    code, page = keys.DEPARTEMENT.values(query_of(update).data)
    await show_innovations(update, context, keys.DEPARTEMENT.action, code, int(page))
    await query_of(update).answer()


async def on_innovation(update: Update, context: Ctx) -> None:
    """The innovation's card, in place."""
    (innovation_id,) = keys.INNOVATION.values(query_of(update).data)
    await _answer(update, context, await show_innovation(update, context, int(innovation_id)))


async def on_map(update: Update, context: Ctx) -> None:
    """The innovation's map pin, as a new message."""
    (innovation_id,) = keys.MAP.values(query_of(update).data)
    await send_pin(update, context, int(innovation_id))


async def _answer(update: Update, context: Ctx, found: bool) -> None:
    if found:
        await query_of(update).answer()
    else:
        await not_found(update, context)


# Deep links: t.me/<bot>?start=lab-<slug or id>, innovation-<id> (event-…: handlers/events).
async def open_lab(update: Update, context: Ctx, rest: str) -> bool:
    """A lab link opens its card; False if there is no such lab."""
    return await show_lab(update, context, int(rest) if rest.isdigit() else None, rest)


async def open_innovation(update: Update, context: Ctx, rest: str) -> bool:
    """An innovation link opens its card; False if there is no such innovation."""
    return rest.isdigit() and await show_innovation(update, context, int(rest))
