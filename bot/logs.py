"""Logging set-up: the bot token never reaches a log line.

httpx logs every request URL at INFO, and Bot API URLs contain the token (``/bot<token>/``), so
a filter on the root handler masks anything shaped like a token, plus the configured token
itself, in the message and its arguments. httpx is also lowered to WARNING: one line per
request is noise.
"""

from __future__ import annotations

import logging
import re
import sys

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
        return True


def setup_logging(token: str = "", level: int = logging.INFO) -> None:
    """Log to stderr with tokens masked."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactTokens((token,)))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
