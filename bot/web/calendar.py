"""Calendar feeds over HTTP: ``GET /calendar/events.ics`` (every gathering) and
``GET /calendar/m/<token>.ics`` (the member's own), served from bot/services/events/calendar_feeds.

Tornado answers ``If-None-Match`` itself (``RequestHandler.compute_etag``: a hash of the body,
304 when it matches), which holds because a feed's bytes only change with its data. A token
that opens nothing, whatever it is made of (too long, NUL, non-ASCII, bad percent-encoding),
gets 404. The token is a secret: the request's URI is blanked before tornado logs it (the
access log and an error's report both read ``request.uri``), and so is its path.
"""

from __future__ import annotations

from typing import Any

import tornado.web

from bot.context import Deps
from bot.services.events.calendar_feeds import CalendarFeeds

CONTENT_TYPE = "text/calendar; charset=utf-8"
LOGGED_MEMBER_URI = "/calendar/m/<token>.ics"


class _Feed(tornado.web.RequestHandler):
    def initialize(self, feeds: CalendarFeeds) -> None:
        self.feeds = feeds

    def _send(self, body: bytes | None, cache: str) -> None:
        if body is None:
            self.set_status(404)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish("not found\n")
            return
        self.set_header("Content-Type", CONTENT_TYPE)
        self.set_header("Cache-Control", cache)
        self.finish(body)


class PublicFeed(_Feed):
    """Every gathering, for anyone (shared, cached by proxies a few minutes)."""

    async def get(self) -> None:
        self._send(await self.feeds.public_feed(), "public, max-age=300")

    head = get


class MemberFeed(_Feed):
    """The gatherings one member comes to, behind their private token."""

    def initialize(self, feeds: CalendarFeeds) -> None:
        super().initialize(feeds)
        # Never the token in a log line (nor a metric label): routing is done, these are only
        # read to describe the request from now on.
        self.request.uri = self.request.path = LOGGED_MEMBER_URI

    def decode_argument(self, value: bytes, name: str | None = None) -> str:  # noqa: ARG002
        # Tornado's own decoding answers 400 to invalid UTF-8; any such token simply opens
        # nothing (404), like every other wrong token.
        return value.decode("utf-8", "replace")

    async def get(self, path: str) -> None:
        token = path.removesuffix(".ics") if path.endswith(".ics") else ""
        body = await self.feeds.member_feed(token) if token else None
        self.set_header("Referrer-Policy", "no-referrer")
        self.set_header("X-Robots-Tag", "noindex")
        self._send(body, "private, no-cache")

    head = get


def routes(deps: Deps) -> list[tuple[str, type[tornado.web.RequestHandler], dict[str, Any]]]:
    """The calendar feeds' routes, for the server's table."""
    feeds = {"feeds": deps.events.feeds}
    return [
        (r"/calendar/events\.ics", PublicFeed, feeds),
        # Everything under /calendar/m/ comes here, so no token ever reaches the default 404
        # handler's log line.
        (r"/calendar/m/(.*)", MemberFeed, feeds),
    ]
