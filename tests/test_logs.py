"""The token never reaches a log line, even through httpx's request URLs or tracebacks."""

from __future__ import annotations

import io
import logging

from bot.logs import RedactTokens

TOKEN = "5551234:AAH-secret_value_of_thirty_five_chars"


def test_token_is_masked_in_messages_arguments_and_tracebacks() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactTokens((TOKEN,)))
    logger = logging.getLogger("test.redaction")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("HTTP Request: POST https://api.telegram.org/bot%s/getMe", TOKEN)
        try:
            raise RuntimeError(f"failed on /bot{TOKEN}/sendMessage")
        except RuntimeError:
            logger.exception("boom")
        logger.warning("another bot 1234567:%s", "ABCDEFGHIJKLMNOPQRSTUVWXYZ12")
    finally:
        logger.removeHandler(handler)
    output = stream.getvalue()
    assert TOKEN not in output
    assert "secret_value" not in output
    assert "ABCDEFGHIJKLMNOPQRSTUVWXYZ12" not in output
    assert output.count("<token>") == 3
