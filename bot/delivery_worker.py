"""The part of delivery that talks to Telegram: payload kinds -> Bot API calls, errors -> outcomes.

Payload kinds (a dict with "kind"): "text" (text, optional "buttons": rows of {"text", "data"}
or {"text", "url"}), "document" ("filename", "content_b64", optional "caption"), "poll"
("question", "options", optional "is_anonymous", "allows_multiple_answers").
"""

from __future__ import annotations

import base64
import datetime as dtm
import logging
import warnings
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Bot, InputFile, Message
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.services.delivery.types import (
    Claimed,
    InDoubt,
    Rejected,
    RetryLater,
    Sender,
    TransientError,
    Unreachable,
)
from handlers.keyboards import keyboard

log = logging.getLogger(__name__)
KindSender = Callable[[Bot, int, dict[str, Any]], Awaitable[Message]]


async def _send_text(bot: Bot, chat_id: int, payload: dict[str, Any]) -> Message:
    markup = keyboard(payload.get("buttons"))
    timeout = payload.get("_read_timeout")
    if timeout is None:
        # An explicit None would mean "wait forever" to PTB: leave its default.
        return await bot.send_message(chat_id=chat_id, text=payload["text"], reply_markup=markup)
    return await bot.send_message(
        chat_id=chat_id, text=payload["text"], reply_markup=markup, read_timeout=float(timeout)
    )


async def _send_document(bot: Bot, chat_id: int, payload: dict[str, Any]) -> Message:
    content = base64.b64decode(payload["content_b64"])
    return await bot.send_document(
        chat_id=chat_id,
        document=InputFile(content, filename=payload["filename"]),
        caption=payload.get("caption"),
        reply_markup=keyboard(payload.get("buttons")),
    )


async def _send_poll(bot: Bot, chat_id: int, payload: dict[str, Any]) -> Message:
    return await bot.send_poll(
        chat_id=chat_id,
        question=payload["question"],
        options=payload["options"],
        is_anonymous=payload.get("is_anonymous", True),
        allows_multiple_answers=payload.get("allows_multiple_answers", False),
    )


KINDS: dict[str, KindSender] = {
    "text": _send_text,
    "document": _send_document,
    "poll": _send_poll,
}


def telegram_sender(bot: Bot, *, read_timeout: float | None = None) -> Sender:
    """A sender that delivers payloads with ``bot`` and translates Telegram's answers.

    ``read_timeout`` bounds how long a text send waits for Telegram's answer; past it the send
    is in doubt (it may have been delivered).
    """

    async def send(row: Claimed) -> int:
        kind = KINDS.get(str(row.payload.get("kind", "text")))
        if kind is None:
            raise Rejected(f"unknown payload kind {row.payload.get('kind')!r}")
        payload = row.payload
        if read_timeout is not None:
            payload = {**payload, "_read_timeout": read_timeout}
        try:
            message = await kind(bot, row.chat_id, payload)
        except RetryAfter as exc:
            raise RetryLater(_retry_seconds(exc), str(exc)) from exc
        except Forbidden as exc:
            raise Unreachable(str(exc)) from exc
        except ChatMigrated as exc:
            raise Rejected(f"chat migrated to {exc.new_chat_id}") from exc
        except BadRequest as exc:
            raise Rejected(str(exc)) from exc
        except TimedOut as exc:
            # The request may have reached Telegram: only the doubt policy may resend it.
            raise InDoubt(str(exc) or "timed out") from exc
        except NetworkError as exc:
            raise TransientError(str(exc) or "network error") from exc
        except TelegramError as exc:
            raise Rejected(str(exc)) from exc
        return message.message_id

    return send


def _retry_seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():
        # PTB 22 warns that retry_after will become a timedelta; accept both forms.
        warnings.simplefilter("ignore")
        value = exc.retry_after
    if isinstance(value, dtm.timedelta):
        return value.total_seconds()
    return float(value)
