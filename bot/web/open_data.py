"""``/open/…``: the published catalogue for maps and tools (GoGoCarto, Transiscope, uMap, QGIS).

- ``/open/innovations.geojson``, ``.csv``, ``.json`` (GoGoCarto elements), each with
  ``?updated_since=2026-11-01`` (or an ISO 8601 date-time): only items changed since then;
- ``/open/innovations.schema.json`` (the CSV's Table Schema) and ``/open/datapackage.json``.

Readable from any web page (``Access-Control-Allow-Origin: *``: maps fetch it from browsers).
Tornado adds a strong ``ETag`` (a hash of the body) and answers 304 to a matching
``If-None-Match`` itself; ``Cache-Control`` lets caches keep a copy five minutes, then ask again.
The CSV's ``Link`` headers name its schema, its Data Package (licence, attribution) and licence.
"""

from __future__ import annotations

import re
from typing import Any

from tornado.web import RequestHandler

from bot.context import Deps
from bot.services.open_data.formats import MEDIA_TYPES, Format
from bot.services.open_data.package import PACKAGE_FILE, SCHEMA_FILE
from bot.services.open_data.service import BadSince, OpenDataService, parse_since

CACHE_CONTROL = "public, max-age=300"
Route = tuple[str, type[RequestHandler], dict[str, Any]]


class _Open(RequestHandler):
    """What every open-data answer shares: CORS, caching, HEAD and the preflight."""

    def set_default_headers(self) -> None:
        self.set_header("Access-Control-Allow-Origin", "*")
        self.set_header("Access-Control-Expose-Headers", "ETag, Link")
        self.set_header("Cache-Control", CACHE_CONTROL)
        self.set_header("X-Content-Type-Options", "nosniff")

    def options(self) -> None:
        self.set_header("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
        self.set_header("Access-Control-Allow-Headers", "If-None-Match")
        self.set_header("Access-Control-Max-Age", "86400")
        self.set_status(204)

    def _answer(self, body: bytes, media_type: str) -> None:
        self.set_header("Content-Type", media_type)
        self.finish(body)  # finish() adds the ETag, and answers 304 when it matches

    async def head(self) -> None:
        await self.get()

    async def get(self) -> None:
        raise NotImplementedError


class _Innovations(_Open):
    def initialize(self, service: OpenDataService, fmt: Format) -> None:
        self.service, self.fmt = service, fmt

    async def get(self) -> None:
        given = self.get_query_argument("updated_since", "")
        try:
            since = parse_since(given) if given else None
        except BadSince:
            self.set_status(400)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish(
                f"updated_since: {given[:40]!r} is neither a date (2026-11-01) nor an"
                " ISO 8601 date-time (2026-11-01T08:00:00Z)\n"
            )
            return
        body = await self.service.export(self.fmt, updated_since=since)
        if self.fmt is Format.CSV:
            self.set_header(
                "Link",
                f'<{SCHEMA_FILE}>; rel="describedby"; type="application/json",'
                f' <{PACKAGE_FILE}>; rel="describedby"; type="application/json",'
                f' <{self.service.licence_url}>; rel="license"',
            )
        self._answer(body, MEDIA_TYPES[self.fmt])


class _Described(_Open):
    def initialize(self, service: OpenDataService, name: str) -> None:
        self.service, self.name = service, name

    async def get(self) -> None:
        service = self.service
        body = service.schema() if self.name == SCHEMA_FILE else service.datapackage()
        self._answer(body, "application/json; charset=utf-8")


def routes(deps: Deps) -> list[Route]:
    """The open-data routes, for the server's table."""
    service = deps.open_data
    # Patterns, not paths: « . » would match any character.
    found: list[Route] = [
        (re.escape(f"/open/innovations.{f.value}"), _Innovations, {"service": service, "fmt": f})
        for f in Format
    ]
    found += [
        (re.escape(f"/open/{name}"), _Described, {"service": service, "name": name})
        for name in (SCHEMA_FILE, PACKAGE_FILE)
    ]
    return found
