"""Another feature's command or button during the proposal dialogue: that feature answers.

Telegram sends everything to one chat, and PTB gives each update to the first matching handler,
so without this an active proposal would swallow the answers meant for another dialogue (an
event being created, a survey). Decision: a plain command or button (/aide, « Je viens ») is
handed over and the proposal stays where it was; one that opens another dialogue pauses the
proposal — its draft is kept and /proposer offers to resume it.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ConversationHandler

from bot.context import Ctx
from handlers.common import say
from handlers.proposals.keys import State

NAME = "submit"


async def hand_over(update: Update, context: Ctx) -> State | None:
    """Run the handler that would have answered if the dialogue were not active."""
    application = context.application
    handlers = list(application.handlers.get(0, ()))
    mine = next(
        (
            i
            for i, h in enumerate(handlers)
            if isinstance(h, ConversationHandler) and h.name == NAME
        ),
        len(handlers),
    )
    for handler in handlers[mine + 1 :]:
        check = handler.check_update(update)
        if check is None or check is False:
            continue
        pausing = isinstance(handler, ConversationHandler)
        if pausing:
            await say(update, context, "proposals.paused")
        # PTB annotates the context parameter with an unbound type variable.
        await handler.handle_update(update, application, check, context)  # type: ignore[arg-type]
        return ConversationHandler.END if pausing else None
    return None
