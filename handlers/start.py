"""/start: the welcome, or the card a deep link points to (t.me/<bot>?start=<kind>-<rest>).

Each kind of deep link is its own ``CommandHandler("start")`` whose filter matches the payload
(handlers/__init__.py lists them); a bare /start, an unknown payload or a card that is not there
(any more) gets the welcome — the last one after saying so (« Cette fiche n'existe pas ou plus »),
so a member who scanned an old poster knows why.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.context import Ctx
from handlers.common import chat_of, language, sender
from handlers.menu import welcome_keyboard

log = logging.getLogger(__name__)
# Telegram passes payloads of at most 64 characters of A-Za-z0-9_- (PTB helpers).
PAYLOAD_LIMIT = 64
# A deep-link target gets the part after "<kind>-" and returns False when it found nothing to show.
DeepLinkTarget = Callable[[Update, Ctx, str], Awaitable[bool]]


async def welcome(update: Update, context: Ctx, *, missing: bool = False) -> None:
    """The French (or English) welcome with the main features as buttons; ``missing``: after
    saying the card a deep link names is not there."""
    if context.args:
        # At DEBUG only: after /start a member can type anything, and texts stay out of INFO.
        log.debug("unknown deep link payload %r (update %s)", context.args[0], update.update_id)
    lang = language(update, context)  # once: the text and the buttons speak the same one
    text = context.deps.texts.get(lang, "start.welcome", name=sender(update).first_name)
    if missing:
        text = context.deps.texts.get(lang, "start.missing_card") + "\n\n" + text
    await context.bot.send_message(
        chat_of(update).id, text, reply_markup=welcome_keyboard(context, lang)
    )


def payload(kind: str) -> filters.BaseFilter:
    """``/start <kind>`` or ``/start <kind>-<rest>`` (the kind in any case), ``rest`` captured."""
    rest = rf"(?P<rest>[A-Za-z0-9_-]{{0,{PAYLOAD_LIMIT - len(kind) - 1}}})"
    return filters.Regex(re.compile(rf"^/start(?:@\w+)? (?i:{re.escape(kind)})(?:[-_]{rest})?$"))


def deep_link(kind: str, target: DeepLinkTarget) -> CommandHandler[Ctx, Any]:
    """``/start <kind>-<rest>``: what ``target`` shows for ``rest``, else the welcome."""

    async def open_link(update: Update, context: Ctx) -> None:
        rest = context.matches[0]["rest"] if context.matches else None
        if not await target(update, context, rest or ""):
            await welcome(update, context, missing=True)

    return CommandHandler("start", open_link, filters=payload(kind))
