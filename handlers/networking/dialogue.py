"""The networking dialogue: the few steps where a member types something.

Three ways in, each from a button: a profile field's new value, the note of an introduction
request, a message to relay. Every step has a way out: « Retour » / « Annuler » or /annuler.
Buttons of the editor keep working during a step (they are plain handlers), and the step stays.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler, filters

from bot.context import Ctx
from bot.services.networking.fields import TEXT_FIELDS
from handlers.common import message_of, query_of, sender, show
from handlers.dialogues import cancel_command, dialogue
from handlers.networking import introductions, keys, profile, views
from handlers.networking.states import Step, field_state

TEXT = filters.TEXT & ~filters.COMMAND
Typed = Callable[[Update, Ctx], Coroutine[Any, Any, object]]


async def ask_field(update: Update, context: Ctx) -> Step | int:
    """« Modifier »: what to type for this field."""
    query = query_of(update)
    (field,) = keys.ASK.values(query.data)
    await query.answer()
    if field not in TEXT_FIELDS:
        return ConversationHandler.END
    await show(update, context, views.ask_text(update, context, field))
    return field_state(field)


def _typed(field: str) -> Typed:
    async def on_typed(update: Update, context: Ctx) -> Step | int:
        done = await profile.saved_text(update, context, field, message_of(update).text or "")
        return ConversationHandler.END if done else field_state(field)

    return on_typed


async def back_to_editor(update: Update, context: Ctx) -> int:
    """« Retour » during a step: the editor again, nothing typed is kept."""
    await context.deps.networking.introductions.release(sender(update).id)
    await profile.on_edit(update, context)
    return ConversationHandler.END


def build_conversation() -> ConversationHandler[Ctx]:
    """The networking dialogue (persistent, per member and chat)."""
    states: dict[object, list[Any]] = {
        field_state(f): [MessageHandler(TEXT, _typed(f))] for f in TEXT_FIELDS
    }
    states[Step.NOTE] = [
        MessageHandler(TEXT, introductions.on_note),
        CallbackQueryHandler(introductions.on_without_note, pattern=keys.WITHOUT_NOTE.pattern),
    ]
    states[Step.RELAY] = [MessageHandler(TEXT, introductions.on_message)]
    return dialogue(
        "networking",
        [
            CallbackQueryHandler(ask_field, pattern=keys.ASK.pattern),
            CallbackQueryHandler(introductions.ask_note, pattern=keys.PROPOSE.pattern),
            CallbackQueryHandler(introductions.ask_message, pattern=keys.WRITE.pattern),
        ],
        states,
        [
            cancel_command(introductions.on_back),
            CallbackQueryHandler(introductions.on_back, pattern=keys.BACK.pattern),
            CallbackQueryHandler(back_to_editor, pattern=keys.EDIT.pattern),
        ],
    )
