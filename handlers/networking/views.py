"""Texts and keyboards of networking: the editor's screens, the directory, a profile card."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.context import Ctx
from bot.services.networking.fields import CONTACTS, FIELDS, LANGUAGES, LIMITS, TEXT_FIELDS
from bot.services.networking.views import Card, DirectoryPage, OwnProfile
from bot.services.search.query import words
from handlers.common import View
from handlers.networking import keys

LABEL_LIMIT = 60


def _t(update: Update, context: Ctx, key: str, /, **params: object) -> str:
    return context.deps.t(update, f"networking.{key}", **params)


def _short(label: str) -> str:
    return label if len(label) <= LABEL_LIMIT else label[: LABEL_LIMIT - 1].rstrip() + "…"


def card_text(update: Update, context: Ctx, card: Card) -> str:
    """A card's text in the sender's language."""
    language = context.deps.language_of(update.effective_user)
    return context.deps.networking.messages.card_text(card, language)


def editor(update: Update, context: Ctx, own: OwnProfile) -> View:
    """The editor's main screen: the card as the directory shows it, one button per field."""
    status = "editor.status_visible" if own.visible else "editor.status_private"
    parts = [_t(update, context, "editor.title"), _t(update, context, status)]
    parts.append(_t(update, context, "editor.preview"))
    parts.append(card_text(update, context, own.card))
    if own.hidden:
        names = ", ".join(_t(update, context, f"field.{f}") for f in FIELDS if f in own.hidden)
        parts.append(_t(update, context, "editor.hidden", fields=names))
    buttons = []
    for name in (*FIELDS, "contact"):
        label = _t(update, context, f"field.{name}")
        if name in own.hidden:
            label = _t(update, context, "editor.hidden_mark", label=label)
        buttons.append(keys.FIELD_SCREEN.button(label, name))
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    toggle = "make_private" if own.visible else "make_visible"
    rows.append(
        [keys.VISIBLE.button(_t(update, context, f"button.{toggle}"), 0 if own.visible else 1)]
    )
    rows.append([keys.DONE.button(_t(update, context, "button.done"))])
    return "\n\n".join(parts), InlineKeyboardMarkup(rows)


def field_screen(  # noqa: PLR0917 (the screen needs the catalogue's choices)
    update: Update,
    context: Ctx,
    own: OwnProfile,
    field: str,
    labs: list[tuple[int, str]],
    themes: list[str],
) -> View:
    """One field: its value, how to change it, hide or show it, back to the editor."""
    t = _t
    value = _value(update, context, own, field) or t(update, context, "editor.empty")
    parts = [t(update, context, "editor.field_title", label=t(update, context, f"field.{field}"))]
    parts.append(t(update, context, "editor.value", value=value))
    parts.append(t(update, context, f"hint.{field}"))
    if field in own.hidden:
        parts.append(t(update, context, "editor.field_hidden"))
    rows: list[list[InlineKeyboardButton]] = []
    if field in TEXT_FIELDS:
        row = [keys.ASK.button(t(update, context, "button.change"), field)]
        if getattr(own, field):
            row.append(keys.CLEAR.button(t(update, context, "button.clear"), field))
        rows.append(row)
    elif field == "labs":
        rows += [
            [keys.LAB.button(_check(lab_id in own.lab_ids, title), lab_id)]
            for lab_id, title in labs
        ]
    elif field == "themes":
        rows += [
            [keys.THEME.button(_check(theme in own.themes, theme), n)]
            for n, theme in enumerate(themes)
        ]
    elif field == "languages":
        rows.append(
            [
                keys.LANGUAGE.button(
                    _check(code in own.languages, t(update, context, f"language.{code}")), code
                )
                for code in LANGUAGES
            ]
        )
    elif field == "contact":
        rows += [
            [
                keys.CONTACT.button(
                    _check(own.contact == choice, t(update, context, f"contact.{choice}")),
                    choice,
                )
            ]
            for choice in CONTACTS
        ]
    if field != "contact":
        hide = "show_field" if field in own.hidden else "hide_field"
        rows.append([keys.HIDE.button(t(update, context, f"button.{hide}"), field)])
    rows.append([keys.EDIT.button(t(update, context, "button.back"))])
    return "\n\n".join(parts), InlineKeyboardMarkup(rows)


def ask_text(update: Update, context: Ctx, field: str) -> View:
    """What to type for a text field, with a way back."""
    text = _t(
        update,
        context,
        "editor.ask",
        label=_t(update, context, f"field.{field}"),
        limit=LIMITS[field],
    )
    markup = InlineKeyboardMarkup([[keys.EDIT.button(_t(update, context, "button.back"))]])
    return text, markup


def commune_choice(
    update: Update, context: Ctx, typed: str, suggestions: tuple[tuple[int, str, str], ...]
) -> View:
    """A commune the table does not know: the closest names, or type it again."""
    key = "editor.commune_suggest" if suggestions else "editor.commune_unknown"
    rows = [
        [keys.COMMUNE.button(f"{name} ({departement})", number)]
        for number, name, departement in suggestions
    ]
    rows.append([keys.ASK.button(_t(update, context, "button.retype"), "commune")])
    rows.append([keys.EDIT.button(_t(update, context, "button.back"))])
    return _t(update, context, key, typed=typed), InlineKeyboardMarkup(rows)


def directory_start(update: Update, context: Ctx, themes: list[str]) -> View:
    """/annuaire alone: every profile, or the profiles of a theme."""
    rows = [[keys.PAGE.button(_t(update, context, "button.everyone"), 0, "")]]
    rows += [
        [keys.PAGE.button(_short(theme), 0, keys.words_field(words(theme)))] for theme in themes
    ]
    return _t(update, context, "directory.start"), InlineKeyboardMarkup(rows)


def directory_page(update: Update, context: Ctx, found: DirectoryPage, query: str) -> View:
    """A page of results: one button per profile, then « Précédent » / « Suivant »."""
    if not found.cards:
        key = "directory.nothing" if found.words else "directory.empty"
        return _t(update, context, key, query=query), None
    head = context.deps.plural(
        update, "networking.directory.found", found.total, count=found.total
    )
    parts = [head]
    if found.corrected:
        parts.append(_t(update, context, "directory.corrected", words=found.corrected))
    rows = [
        [keys.CARD.button(_short(_line(update, context, card)), card.member_id)]
        for card in found.cards
    ]
    field = keys.words_field(found.words)
    nav = []
    if found.page > 0:
        nav.append(keys.PAGE.button(_t(update, context, "button.previous"), found.page - 1, field))
    if found.page + 1 < found.pages:
        nav.append(keys.PAGE.button(_t(update, context, "button.next"), found.page + 1, field))
    if nav:
        rows.append(nav)
    return "\n".join(parts), InlineKeyboardMarkup(rows)


def profile_card(update: Update, context: Ctx, card: Card, viewer_id: int) -> View:
    """A member's card in the directory, with « Proposer une mise en relation »."""
    rows = []
    if card.accepts_introductions and card.member_id != viewer_id:
        rows.append([keys.PROPOSE.button(_t(update, context, "button.propose"), card.member_id)])
    rows.append([keys.PAGE.button(_t(update, context, "button.directory"), 0, "")])
    return card_text(update, context, card), InlineKeyboardMarkup(rows)


def _line(update: Update, context: Ctx, card: Card) -> str:
    name = card.name or _t(update, context, "card.someone")
    return f"{name} · {card.structure}" if card.structure else name


def _check(on: bool, label: str) -> str:
    return f"✅ {label}" if on else label


def _value(update: Update, context: Ctx, own: OwnProfile, field: str) -> str:
    if field == "labs":
        return ", ".join(own.labs)
    if field == "themes":
        return ", ".join(own.themes)
    if field == "languages":
        return ", ".join(_t(update, context, f"language.{c}") for c in own.languages)
    if field == "contact":
        return _t(update, context, f"contact.{own.contact}")
    if field == "commune" and own.commune:
        return f"{own.commune} ({own.departement})"
    return str(getattr(own, field))
