"""One handler for every plain command, found with a dict lookup.

PTB asks each ``CommandHandler`` in turn whether an update is its command; with some forty
commands that was a third of the cost of answering one. ``CommandRouter`` is a ``CommandHandler``
for all of them (same parsing, same ``@botname`` and ``context.args`` rules) that hands the update
to the callback registered for the command's name. Commands with their own filters, and the
entry points of dialogues, stay ordinary handlers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from telegram import Update
from telegram.ext import CommandHandler

from bot.context import Ctx
from handlers.common import message_of

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


class CommandRouter(CommandHandler[Ctx, Any]):
    """Route ``/name`` to ``table[name]`` (names as in the handler table)."""

    __slots__ = ("_routes",)

    def __init__(self, table: Mapping[str | tuple[str, ...], Callback]) -> None:
        flat = routes(table)
        super().__init__(list(flat), self._dispatch)
        self._routes = flat

    async def _dispatch(self, update: Update, context: Ctx) -> Any:
        first_word = (message_of(update).text or "").split(maxsplit=1)[0]
        name = first_word[1:].split("@", 1)[0].lower()
        return await self._routes[name](update, context)
