"""/profil (/profile): the button-first profile editor, always showing the card as others see it.

Every button is a plain handler (its data says what to change), so the editor works at any time,
after a restart too; only typing a field's new value is a dialogue step (handlers/networking/
dialogue.py), which « Retour » or /annuler leaves.
"""

from __future__ import annotations

from telegram import Update

from bot.context import Ctx
from bot.services.networking.fields import EDITABLE, TEXT_FIELDS
from bot.services.networking.views import CommuneChoice, OwnProfile
from handlers.common import is_private, query_of, say, sender, show
from handlers.networking import keys, views


async def open_editor(update: Update, context: Ctx) -> None:
    """/profil: the member's profile as the directory would show it, and what to change."""
    if not is_private(update):
        await say(update, context, "networking.private_only")
        return
    own = await context.deps.networking.profiles.own(sender(update).id)
    await show(update, context, views.editor(update, context, own))


async def on_edit(update: Update, context: Ctx) -> None:
    """« Retour »: the editor's main screen."""
    await query_of(update).answer()
    await open_editor(update, context)


async def on_field(update: Update, context: Ctx) -> None:
    """A field's screen."""
    query = query_of(update)
    (field,) = keys.FIELD_SCREEN.values(query.data)
    await query.answer()
    if field not in EDITABLE:
        return
    own = await context.deps.networking.profiles.own(sender(update).id)
    await show_field(update, context, own, field)


async def show_field(update: Update, context: Ctx, own: OwnProfile, field: str) -> None:
    """One field's screen, with its choices."""
    profiles = context.deps.networking.profiles
    labs = await profiles.labs() if field == "labs" else []
    themes = await profiles.themes() if field == "themes" else []
    await show(update, context, views.field_screen(update, context, own, field, labs, themes))


async def on_hide(update: Update, context: Ctx) -> None:
    """Hide a field from every view, or show it again."""
    query = query_of(update)
    (field,) = keys.HIDE.values(query.data)
    own = await context.deps.networking.profiles.toggle_hidden(sender(update).id, field)
    await query.answer(context.deps.t(update, "networking.saved"))
    if field in EDITABLE:
        await show_field(update, context, own, field)


async def on_clear(update: Update, context: Ctx) -> None:
    """« Effacer »: the text field becomes empty."""
    query = query_of(update)
    (field,) = keys.CLEAR.values(query.data)
    await query.answer()
    if field not in TEXT_FIELDS:
        return
    own = await context.deps.networking.profiles.set_text(sender(update).id, field, "")
    if isinstance(own, OwnProfile):
        await show_field(update, context, own, field)


async def on_visible(update: Update, context: Ctx) -> None:
    """« Rendre visible dans l'annuaire » / « Retirer de l'annuaire »."""
    query = query_of(update)
    (value,) = keys.VISIBLE.values(query.data)
    own = await context.deps.networking.profiles.set_visible(sender(update).id, value == "1")
    key = "networking.now_visible" if own.visible else "networking.now_private"
    await query.answer(context.deps.t(update, key))
    await show(update, context, views.editor(update, context, own))


async def on_lab(update: Update, context: Ctx) -> None:
    """A lab ticked or unticked."""
    query = query_of(update)
    (lab_id,) = keys.LAB.values(query.data)
    await query.answer()
    own = await context.deps.networking.profiles.toggle_lab(sender(update).id, int(lab_id))
    await show_field(update, context, own, "labs")


async def on_theme(update: Update, context: Ctx) -> None:
    """A theme ticked or unticked."""
    query = query_of(update)
    (number,) = keys.THEME.values(query.data)
    await query.answer()
    own = await context.deps.networking.profiles.toggle_theme(sender(update).id, int(number))
    await show_field(update, context, own, "themes")


async def on_language(update: Update, context: Ctx) -> None:
    """A language ticked or unticked."""
    query = query_of(update)
    (code,) = keys.LANGUAGE.values(query.data)
    await query.answer()
    own = await context.deps.networking.profiles.toggle_language(sender(update).id, code)
    await show_field(update, context, own, "languages")


async def on_contact(update: Update, context: Ctx) -> None:
    """How the member accepts to be contacted."""
    query = query_of(update)
    (choice,) = keys.CONTACT.values(query.data)
    await query.answer()
    own = await context.deps.networking.profiles.set_contact(sender(update).id, choice)
    await show_field(update, context, own, "contact")


async def on_commune(update: Update, context: Ctx) -> None:
    """A suggested commune chosen."""
    query = query_of(update)
    (number,) = keys.COMMUNE.values(query.data)
    await query.answer()
    own = await context.deps.networking.profiles.set_commune(sender(update).id, int(number))
    await show(update, context, views.editor(update, context, own))


async def on_done(update: Update, context: Ctx) -> None:
    """« Terminé »: the editor closes, saying who can see the profile."""
    query = query_of(update)
    await query.answer()
    own = await context.deps.networking.profiles.own(sender(update).id)
    key = "networking.closed_visible" if own.visible else "networking.closed_private"
    await show(update, context, (context.deps.t(update, key), None))


async def saved_text(update: Update, context: Ctx, field: str, text: str) -> bool:
    """Save a typed value; True when done (an unknown commune shows suggestions instead)."""
    result = await context.deps.networking.profiles.set_text(sender(update).id, field, text)
    if isinstance(result, CommuneChoice):
        await show(
            update,
            context,
            views.commune_choice(update, context, result.typed, result.suggestions),
        )
        return bool(result.suggestions)
    await show(update, context, views.editor(update, context, result))
    return True
