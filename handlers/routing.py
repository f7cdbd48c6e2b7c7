"""One handler for every plain command, found with a dict lookup.

PTB asks each ``CommandHandler`` in turn whether an update is its command; with some forty
commands and five dialogues that was a third of the cost of answering one. ``CommandRouter``
parses a command once (as ``CommandHandler`` does: first entity, ``@botname``, ``context.args``)
and hands it to the callback registered for its name. Commands that belong to a dialogue (its
entry points, steps and fallbacks, read from the ``ConversationHandler``s themselves) are left
to the dialogues; any other unknown command gets the ``unknown`` answer at once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any

from telegram import MessageEntity, Update
from telegram.ext import BaseHandler, CommandHandler, ConversationHandler

from bot.context import Ctx

Callback = Callable[[Update, Ctx], Awaitable[Any]]


def routes(table: Mapping[str | tuple[str, ...], Callback]) -> dict[str, Callback]:
    """Flatten ``{("aide", "help"): show_help}`` into one entry per command name."""
    flat: dict[str, Callback] = {}
    for names, callback in table.items():
        for name in (names,) if isinstance(names, str) else names:
            if name in flat:
                raise ValueError(f"command /{name} is routed twice")
            flat[name] = callback
    return flat


def dialogue_commands(dialogues: Iterable[ConversationHandler[Any]]) -> frozenset[str]:
    """Every command name some dialogue listens to, at any step."""
    names: set[str] = set()
    for dialogue in dialogues:
        handlers: list[BaseHandler[Any, Any, Any]] = [*dialogue.entry_points, *dialogue.fallbacks]
        for step in dialogue.states.values():
            handlers.extend(step)
        names.update(n for h in handlers if isinstance(h, CommandHandler) for n in h.commands)
    return frozenset(names)


def command_of(update: object) -> tuple[str, list[str]] | None:
    """``(name, args)`` of a command addressed to this bot in a new or edited message."""
    if not isinstance(update, Update):
        return None
    message = update.message or update.edited_message
    if message is None or not message.text or not message.entities:
        return None
    entity = message.entities[0]
    if entity.type != MessageEntity.BOT_COMMAND or entity.offset != 0:
        return None
    name, _, addressee = message.text[1 : entity.length].partition("@")
    if addressee and addressee.lower() != message.get_bot().username.lower():
        return None
    return name.lower(), message.text.split()[1:]


class CommandRouter(CommandHandler[Ctx, Any]):
    """Route ``/name`` to ``table[name]``, unknown commands (not a dialogue's) to ``unknown``."""

    __slots__ = ("_dialogue_commands", "_routes", "_unknown")

    def __init__(
        self,
        table: Mapping[str | tuple[str, ...], Callback],
        *,
        unknown: Callback,
        dialogues: Iterable[ConversationHandler[Any]],
    ) -> None:
        flat = routes(table)
        super().__init__(list(flat), self._dispatch)
        self._routes = flat
        self._unknown = unknown
        self._dialogue_commands = dialogue_commands(dialogues) - flat.keys()

    def check_update(self, update: object) -> tuple[list[str], bool] | None:
        command = command_of(update)
        if command is None or command[0] in self._dialogue_commands:
            return None
        return command[1], True

    async def _dispatch(self, update: Update, context: Ctx) -> Any:
        command = command_of(update)
        assert command is not None
        return await self._routes.get(command[0], self._unknown)(update, context)
