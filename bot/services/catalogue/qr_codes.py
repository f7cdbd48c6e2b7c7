"""QR codes of deep links to cards, as PNG, for posters at the next gathering."""

from __future__ import annotations

import io
import re

# Telegram deep-link payloads: at most 64 characters of A-Za-z0-9_- (PTB helpers).
TARGET = re.compile(r"^(lab|innovation|event)-[A-Za-z0-9_-]{1,53}$")


class BadTarget(ValueError):
    """Not a card target such as ``lab-<slug>``, ``innovation-<id>`` or ``event-<id>``."""


def deep_link(bot_username: str, target: str) -> str:
    """``https://t.me/<bot>?start=<target>``, checked against Telegram's payload rules."""
    if not TARGET.match(target):
        raise BadTarget(target)
    return f"https://t.me/{bot_username}?start={target}"


def png(link: str, scale: int = 10) -> bytes:
    """The QR code of ``link`` as PNG bytes (error correction M, quiet zone included)."""
    import segno  # noqa: PLC0415 (only organisers make posters: keep it out of an idle bot)

    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()
