"""/start: the welcome, or the card a deep link points to."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Mapping

from telegram import Update

from bot.context import Ctx
from handlers.common import say, sender
from handlers.menu import welcome_keyboard

log = logging.getLogger(__name__)
# Telegram passes payloads of at most 64 characters of A-Za-z0-9_- (PTB helpers).
PAYLOAD = re.compile(r"^([A-Za-z0-9]+)[-_]?([A-Za-z0-9_-]*)$")
# A deep-link target gets the part after "<kind>-" and returns False when it found nothing to show.
DeepLinkTarget = Callable[[Update, Ctx, str], Awaitable[bool]]


async def welcome(update: Update, context: Ctx) -> None:
    """The French (or English) welcome with the main features as buttons."""
    await say(
        update,
        context,
        "start.welcome",
        name=sender(update).first_name,
        reply_markup=welcome_keyboard(update, context),
    )


class StartCommand:
    """``/start [payload]``: hands a known payload to its feature, else shows the welcome."""

    def __init__(self, deep_links: Mapping[str, DeepLinkTarget]) -> None:
        self._deep_links = deep_links

    async def __call__(self, update: Update, context: Ctx) -> None:
        payload = context.args[0] if context.args else ""
        match = PAYLOAD.match(payload) if len(payload) <= 64 else None
        if match:
            target = self._deep_links.get(match.group(1).lower())
            if target is not None and await target(update, context, match.group(2)):
                return
            log.info("unknown deep link payload %r (update %s)", payload, update.update_id)
        await welcome(update, context)
