"""``/open/…`` over HTTP: media types, strong ETag and 304, ``updated_since`` (400 when not
understood), CORS for browser maps, the CSV's Link headers to its schema, package and licence."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from urllib.parse import urljoin

import httpx
import pytest
from sqlalchemy import update
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.web import Application

from bot.context import Deps
from bot.services.catalogue.communes import CommuneDirectory
from bot.services.open_data.formats import Format
from bot.web.open_data import routes
from storage.models import Innovation
from tests.support.open_data import add_catalogue

PUBLISHED = 8


@pytest.fixture
async def client(deps: Deps) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the open-data routes, served on a loopback port."""
    await add_catalogue(deps.sessions, CommuneDirectory.load())
    sockets = bind_sockets(0, "127.0.0.1")
    server = HTTPServer(Application(routes(deps)))
    server.add_sockets(sockets)
    base = f"http://127.0.0.1:{sockets[0].getsockname()[1]}"
    try:
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            yield http
    finally:
        server.stop()
        await server.close_all_connections()


async def test_geojson_etag_304_and_a_change_makes_a_new_etag(
    client: httpx.AsyncClient, deps: Deps
) -> None:
    first = await client.get("/open/innovations.geojson")
    assert first.status_code == 200
    assert first.headers["content-type"] == "application/geo+json"
    assert first.headers["access-control-allow-origin"] == "*"
    assert first.headers["cache-control"] == "public, max-age=300"
    etag = first.headers["etag"]
    assert re.fullmatch(r'"[0-9a-f]{40}"', etag)  # strong (no W/), a hash of the body
    assert len(first.json()["features"]) == PUBLISHED
    assert first.content == await deps.open_data.export(Format.GEOJSON)
    again = await client.get("/open/innovations.geojson", headers={"If-None-Match": etag})
    assert (again.status_code, again.content, again.headers["etag"]) == (304, b"", etag)
    assert again.headers["access-control-allow-origin"] == "*"
    listed = await client.get(
        "/open/innovations.geojson", headers={"If-None-Match": f'"other", W/{etag}'}
    )
    assert listed.status_code == 304  # RFC 9110: If-None-Match compares weakly, in a list
    async with deps.sessions.begin() as session:
        await session.execute(
            update(Innovation).where(Innovation.title == "Repair café n° 1").values(summary="Neuf")
        )
    changed = await client.get("/open/innovations.geojson", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag
    head = await client.head("/open/innovations.geojson")
    assert (head.status_code, head.content, head.headers["etag"]) == (
        200,
        b"",
        changed.headers["etag"],
    )


async def test_updated_since(client: httpx.AsyncClient) -> None:
    everything = await client.get("/open/innovations.json", params={"updated_since": "2000-01-01"})
    assert len(everything.json()["data"]) == PUBLISHED
    assert everything.headers["content-type"] == "application/json; charset=utf-8"
    future = await client.get(
        "/open/innovations.json", params={"updated_since": "2999-01-01T00:00:00Z"}
    )
    assert future.json()["data"] == []
    assert future.headers["etag"] != everything.headers["etag"]
    bad = await client.get("/open/innovations.csv", params={"updated_since": "hier"})
    assert bad.status_code == 400
    assert bad.text == (
        "updated_since: 'hier' is neither a date (2026-11-01) nor an ISO 8601 date-time"
        " (2026-11-01T08:00:00Z)\n"
    )
    assert bad.headers["access-control-allow-origin"] == "*"


async def test_csv_links_to_its_schema_package_and_licence(
    client: httpx.AsyncClient, deps: Deps
) -> None:
    answer = await client.get("/open/innovations.csv")
    assert answer.headers["content-type"] == "text/csv; charset=utf-8; header=present"
    assert answer.text.splitlines()[0].startswith("id,title,summary,")
    links: dict[str, list[str]] = {}
    for value in answer.headers["link"].split(","):
        target, rel = value.split(";")[:2]
        links.setdefault(rel.split("=")[1].strip('"'), []).append(target.strip()[1:-1])
    assert links["license"] == [deps.config.open_data.licence_url]
    url = str(answer.url)
    schema_url, package_url = (urljoin(url, target) for target in links["describedby"])
    schema = await client.get(schema_url)
    assert (schema.status_code, schema.content) == (200, deps.open_data.schema())
    package = await client.get(package_url)
    assert package.json()["licenses"][0]["name"] == deps.config.open_data.licence
    assert package.json()["sources"][0]["title"] == deps.config.open_data.attribution
    assert package.json()["resources"][0]["schema"] == schema_url.rsplit("/", 1)[1]
    assert json.loads(schema.content)["primaryKey"] == ["id"]


async def test_preflight_and_paths(client: httpx.AsyncClient) -> None:
    preflight = await client.options(
        "/open/innovations.geojson",
        headers={"Origin": "https://carte.example", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "If-None-Match" in preflight.headers["access-control-allow-headers"]
    assert (await client.get("/open/innovationsXcsv")).status_code == 404  # « . » is literal
    assert (await client.post("/open/innovations.csv")).status_code == 405
