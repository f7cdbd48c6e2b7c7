"""The token never reaches a log line, even through httpx's request URLs or tracebacks, in text
or JSON lines; JSON lines name the update being handled."""

from __future__ import annotations

import io
import json
import logging
from datetime import UTC, datetime

import pytest

from bot.logs import RedactTokens, handling, setup_logging

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


def test_json_lines_mask_the_token_and_name_the_update_being_handled(
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = logging.getLogger()
    saved, level = root.handlers[:], root.level
    try:
        setup_logging(TOKEN, logging.INFO, "json")
        logger = logging.getLogger("test.json")
        logger.info("outside any update")
        with handling(77, 4242):
            logger.warning("HTTP Request: POST https://api.telegram.org/bot%s/getMe", TOKEN)
            try:
                raise RuntimeError(f"failed on /bot{TOKEN}/sendMessage")
            except RuntimeError:
                logger.exception("boom")
        logger.debug("below the level")
    finally:
        root.handlers[:] = saved
        root.setLevel(level)
    output = capsys.readouterr().err
    lines = [json.loads(line) for line in output.splitlines()]
    assert TOKEN not in output
    assert "secret_value" not in output
    assert [line["message"] for line in lines] == [
        "outside any update",
        "HTTP Request: POST https://api.telegram.org/bot<token>/getMe",
        "boom",
    ]
    assert "update_id" not in lines[0]
    assert [(line["update_id"], line["member_id"]) for line in lines[1:]] == [(77, 4242)] * 2
    assert [line["level"] for line in lines] == ["INFO", "WARNING", "ERROR"]
    assert {line["logger"] for line in lines} == {"test.json"}
    assert lines[2]["exception"].startswith("Traceback (most recent call last):")
    assert lines[2]["exception"].endswith("RuntimeError: failed on /bot<token>/sendMessage")
    assert all(datetime.fromisoformat(line["time"]).tzinfo == UTC for line in lines)
