"""Logging set-up: lines as text or JSON, and the bot token never reaches a log line.

httpx logs every request URL at INFO, and Bot API URLs contain the token (``/bot<token>/``), so
a filter on the root handler masks anything shaped like a token, plus the configured token
itself, in the message, its arguments and tracebacks, whatever the format. httpx is also
lowered to WARNING: one line per request is noise.

``--log-format json`` writes one JSON object per line for log collectors: ``time`` (ISO 8601,
UTC), ``level``, ``logger``, ``message``, and while an update is handled its ``update_id`` and
``member_id`` (set by the intake around each update, :func:`handling`), and ``exception`` when
there is one. Member texts are not logged at INFO or above: log a message's length or id, not
its words.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, Literal

LogFormat = Literal["text", "json"]
LOG_FORMATS: tuple[LogFormat, ...] = ("text", "json")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")

TOKEN_SHAPE = re.compile(r"\d{3,20}:[A-Za-z0-9_-]{20,}")
MASK = "<token>"


class RedactTokens(logging.Filter):
    """Mask bot tokens in every record that passes through the handler."""

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        super().__init__()
        self._secrets = tuple(s for s in secrets if s)

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, MASK)
        return TOKEN_SHAPE.sub(MASK, text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg = self.redact(message)
        record.args = None
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


# (update_id, member_id) of the update being handled in this task, if any.
_HANDLING: ContextVar[tuple[int, int | None] | None] = ContextVar("handling", default=None)


@contextmanager
def handling(update_id: int, member_id: int | None) -> Iterator[None]:
    """Lines logged inside (and in tasks started inside) name this update and member."""
    token = _HANDLING.set((update_id, member_id))
    try:
        yield
    finally:
        _HANDLING.reset(token)


class JsonLines(logging.Formatter):
    """One JSON object per record (see the module's docstring for the keys)."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        current = _HANDLING.get()
        if current is not None:
            line["update_id"], line["member_id"] = current
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def setup_logging(
    token: str = "", level: int = logging.INFO, log_format: LogFormat = "text"
) -> None:
    """Log to stderr, as text or JSON lines, with tokens masked."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        JsonLines()
        if log_format == "json"
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    handler.addFilter(RedactTokens((token,)))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    # One line per SQLite call at DEBUG, parameters included (members' texts): not ours to show.
    logging.getLogger("aiosqlite").setLevel(logging.INFO)
