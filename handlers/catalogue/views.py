"""Texts and keyboards of the lists and cards (labs, innovations); events have their own card
(handlers/events/views.py)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.context import Ctx
from bot.services.catalogue.communes import DEPARTEMENTS
from bot.services.catalogue.service import InnovationCard, LabCard, ListPage
from handlers.catalogue.keys import button
from handlers.common import View, share_url
from handlers.menu import SUBMIT


def _t(update: Update, context: Ctx, key: str, **params: object) -> str:
    return context.deps.t(update, f"catalogue.{key}", **params)


def lines(update: Update, context: Ctx, *parts: tuple[str, dict[str, object]] | None) -> str:
    """Catalogue lines joined, leaving out the ones whose values are empty."""
    kept = [
        _t(update, context, key, **params)
        for part in parts
        if part is not None
        for key, params in [part]
        if all(str(v) for v in params.values())
    ]
    return "\n".join(kept)


def share_button(update: Update, context: Ctx, payload: str, title: str) -> InlineKeyboardButton:
    """« Partager »: the card's deep link in Telegram's share sheet."""
    url = share_url(context, payload, title)
    return InlineKeyboardButton(_t(update, context, "button.share"), url=url)


def nav_row(
    update: Update, context: Ctx, action: str, page: int, pages: int, *ids: int | str
) -> list[InlineKeyboardButton]:
    """« Précédent » / « Suivant » buttons, as far as there are pages."""
    row = []
    if page > 0:
        row.append(button(_t(update, context, "button.previous"), action, *ids, page - 1))
    if page + 1 < pages:
        row.append(button(_t(update, context, "button.next"), action, *ids, page + 1))
    return row


def list_view(  # noqa: PLR0917
    update: Update, context: Ctx, header: str, listed: ListPage,
    open_action: str, page_action: str, *page_ids: int | str,
    back: tuple[str, int] | None = None,
) -> View:  # fmt: skip
    """A page of titles as buttons, with previous/next and an optional back button."""
    rows = [[button(item.title, open_action, item.id)] for item in listed.items]
    rows.append(nav_row(update, context, page_action, listed.page, listed.pages, *page_ids))
    if back is not None:
        rows.append([button(_t(update, context, "button.back"), *back)])
    pages = _t(update, context, "page", page=listed.page + 1, pages=listed.pages)
    return f"{header}\n{pages}", InlineKeyboardMarkup([r for r in rows if r])


def lab_card(update: Update, context: Ctx, lab: LabCard) -> View:
    """The lab's card: text and keyboard."""
    text = "\n".join(
        part
        for part in (
            _t(update, context, "lab.title", title=lab.title),
            lines(
                update,
                context,
                ("lab.outcome", {"outcome": lab.outcome}),
                ("card.theme", {"theme": lab.theme}),
                ("card.event", {"event": lab.event.title}) if lab.event else None,
            ),
            _t(update, context, "lab.innovations") if lab.innovations else "",
        )
        if part
    )
    rows = [[button("💡 " + i.title, "inno", i.id)] for i in lab.innovations[:5]]
    neighbours = []
    if lab.previous_id is not None:
        neighbours.append(button(_t(update, context, "button.previous"), "lab", lab.previous_id))
    if lab.next_id is not None:
        neighbours.append(button(_t(update, context, "button.next"), "lab", lab.next_id))
    rows.append(neighbours)
    payload = f"lab-{lab.slug}" if len(lab.slug) <= 60 else f"lab-{lab.id}"
    rows.append(
        [
            button(_t(update, context, "button.back"), "labs", 0),
            share_button(update, context, payload, lab.title),
        ]
    )
    return text, InlineKeyboardMarkup([r for r in rows if r])


def innovation_card(update: Update, context: Ctx, card: InnovationCard) -> View:
    """The innovation's card: text and keyboard."""
    found = card.innovation
    departement = DEPARTEMENTS.get(found.departement, found.departement)
    place = f"{found.commune} ({departement})" if departement else found.commune
    text = "\n".join(
        part
        for part in (
            _t(update, context, "innovation.title", title=found.title),
            found.summary and _t(update, context, "innovation.summary", summary=found.summary),
            lines(
                update,
                context,
                ("innovation.organisation", {"organisation": found.organisation}),
                ("innovation.place", {"place": place}),
                ("innovation.website", {"website": found.website}),
                ("card.theme", {"theme": found.theme}),
                ("innovation.lab", {"lab": card.lab.title}) if card.lab else None,
            ),
        )
        if part
    )
    rows = []
    if card.latitude is not None:
        rows.append([button(_t(update, context, "button.map"), "pin", found.id)])
    if card.lab:
        rows.append([button("🧪 " + card.lab.title, "lab", card.lab.id)])
    rows.append(
        [
            button(_t(update, context, "button.back"), "themes", 0),
            share_button(update, context, f"innovation-{found.id}", found.title),
        ]
    )
    return text, InlineKeyboardMarkup(rows)


def themes_view(update: Update, context: Ctx, themes: list[str]) -> View:
    """Innovations: choose a theme or a département, or what is near."""
    rows = [[button(theme, "it", i, 0)] for i, theme in enumerate(themes[:30])]
    rows.append([button(name, "id", code, 0) for code, name in list(DEPARTEMENTS.items())[:3]])
    rows.append([button(name, "id", code, 0) for code, name in list(DEPARTEMENTS.items())[3:]])
    rows.append([button(_t(update, context, "button.nearby"), "near", 0)])
    return _t(update, context, "innovations.choose"), InlineKeyboardMarkup(rows)


def empty_view(update: Update, context: Ctx, name: str, propose: str) -> View:
    """A theme or a département without innovation says so, and offers to ``propose`` one."""
    rows = [
        [InlineKeyboardButton(propose, callback_data=SUBMIT.data())],
        [button(_t(update, context, "button.back"), "themes", 0)],
    ]
    return _t(update, context, "innovations.empty", name=name), InlineKeyboardMarkup(rows)
