"""The one way the bot builds a guided dialogue: a persistent PTB ``ConversationHandler``.

Every dialogue (proposals, moderation prompts, event creation, announcements, surveys) is
persistent under its ``name`` (its position survives a restart), may be re-entered (the opening
command starts it again), and matches its buttons by their data, not by the message that carries
them (``per_message=False``: old buttons are refused by their ids, see handlers/keys.py).

PTB stores a dialogue's new state after the handler returns, and only at its next persistence
run (every second): a crash right after the reply that asks the next question would forget
that the member is answering it. So a handler that moves a dialogue calls :func:`hold` before
that reply: the position is in the database first (docs/architecture.md, « Crash safety »).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Coroutine, Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, ConversationHandler
from telegram.warnings import PTBUserWarning

from bot.context import Ctx
from handlers.common import chat_of, sender


@runtime_checkable
class HoldingPersistence(Protocol):
    """A persistence that stores a dialogue's position and, in the same transaction, marks the
    update that moved it as handled in the intake journal (bot/persistence.py)."""

    async def hold_conversation(
        self, name: str, key: tuple[int, ...], state: str, update_id: int
    ) -> None: ...


Handlers = Sequence[BaseHandler[Update, Ctx, Any]]
CANCEL = ("annuler", "cancel")


def dialogue(
    name: str,
    entry_points: Handlers,
    states: Mapping[object, Handlers],
    fallbacks: Handlers,
    *,
    per_chat: bool = True,
) -> ConversationHandler[Ctx]:
    """The persistent dialogue ``name``; ``per_chat=False`` keys it by member alone (poll answers
    carry no chat)."""
    # PTB warns that under per_message=False buttons are tracked per chat, not per message:
    # that is what we want, so the warning is silenced for this construction only.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=PTBUserWarning, message=".*per_message.*")
        return ConversationHandler(
            entry_points=list(entry_points),
            states={state: list(handlers) for state, handlers in states.items()},
            fallbacks=list(fallbacks),
            name=name,
            persistent=True,
            allow_reentry=True,
            per_chat=per_chat,
            per_user=True,
            per_message=False,
        )


def cancel_command(
    callback: Callable[[Update, Ctx], Coroutine[Any, Any, object]],
) -> CommandHandler[Ctx, object]:
    """/annuler (/cancel), which every dialogue understands as « stop here »."""
    return CommandHandler(list(CANCEL), callback)


async def hold(
    update: Update, context: Ctx, name: str, state: str, *, per_chat: bool = True
) -> None:
    """Store now that the member's dialogue ``name`` is at ``state`` (call it before the message
    that asks for that state's answer); PTB stores the same state again after the handler."""
    application = context.application
    persistence = application.persistence
    if persistence is None:
        return
    user = sender(update).id
    # A poll answer has no chat: the dialogues it reaches are keyed by member alone.
    key = (chat_of(update).id, user) if per_chat else (user,)
    # Positions PTB still holds in memory go first, so none of them can overwrite this one.
    await application.update_persistence()
    if isinstance(persistence, HoldingPersistence):
        # Replayed after a crash, the update that moved the dialogue would answer the next
        # question with the same text: once the position is stored, the update is handled.
        await persistence.hold_conversation(name, key, state, update.update_id)
    else:
        await persistence.update_conversation(name, key, state)
