"""BotApiHttpServer: the FakeTelegram behind a real HTTP server on loopback (tornado)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Iterable
from contextvars import ContextVar
from http import HTTPStatus
from typing import Any, TypeVar, cast
from urllib.parse import unquote

from tornado import httputil
from tornado.http1connection import HTTP1Connection
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from bot.console.bot_api.records import JsonDict, Upload
from bot.console.bot_api.state import FakeTelegram
from tests.support.bot_api import ConnectionDropped

_LOGGER = logging.getLogger(__name__)
# The label of the server a request came through, for a double shared by several servers (one
# per bot process, tests/support/ha_cluster.py): the double can tell which process called.
SERVING: ContextVar[str] = ContextVar("serving", default="")
# Form values are strings; these stay strings even when they look like JSON ("123", "true").
STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "query",
        "question",
        "callback_query_id",
        "inline_query_id",
        "next_offset",
        "url",
        "parse_mode",
        "caption_parse_mode",
        "question_parse_mode",
        "explanation_parse_mode",
        "file_id",
        "description",
        "short_description",
        "title",
        "name",
        "explanation",
        "language_code",
        "secret_token",
        "emoji",
        "action",
        "inline_message_id",
        "business_connection_id",
        "message_effect_id",
        "document",
        "photo",
        "sticker",
        "voice",
        "video",
        "audio",
        "animation",
        "thumbnail",
        "ip_address",
    }
)


def decode_form(arguments: dict[str, list[bytes]]) -> JsonDict:
    """Form fields back to Bot API values: JSON-decoded except the string parameters."""
    params: JsonDict = {}
    for key, values in arguments.items():
        raw = values[-1].decode()
        if key in STRING_PARAMS:
            params[key] = raw
            continue
        try:
            params[key] = json.loads(raw)
        except ValueError:
            params[key] = raw
    return params


def _json(body: JsonDict) -> bytes:
    return json.dumps(body).encode()


class BotApiHttpServer:
    """Serves /bot<token>/<method> and /file/bot<token>/<path> on 127.0.0.1 (any free port)."""

    def __init__(self, fake: FakeTelegram, label: str = "") -> None:
        self.fake = fake
        self.label = label
        self._server: HTTPServer | None = None
        self._port = 0
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def base_url(self) -> str:
        """PTB's ``base_url`` (PTB appends ``<token>/<method>``)."""
        return f"http://127.0.0.1:{self._port}/bot"

    @property
    def base_file_url(self) -> str:
        """PTB's ``base_file_url``."""
        return f"http://127.0.0.1:{self._port}/file/bot"

    async def start(self) -> str:
        """Listen on loopback in the running loop; return the base_url."""
        sockets = bind_sockets(0, "127.0.0.1")
        self._port = sockets[0].getsockname()[1]
        self._server = HTTPServer(self._on_request)
        self._server.add_sockets(sockets)
        return self.base_url

    async def stop(self) -> None:
        """Stop listening, cancel late answers and close every connection."""
        if self._server is None:
            return
        self._server.stop()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._server.close_all_connections()
        self._server = None

    def _on_request(self, request: httputil.HTTPServerRequest) -> None:
        task = asyncio.get_running_loop().create_task(self._handle(request))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _handle(self, request: httputil.HTTPServerRequest) -> None:
        SERVING.set(self.label)  # this request's own task: its context only
        connection = cast(HTTP1Connection, request.connection)
        try:
            await self._answer(request, connection)
        except Exception as error:
            # Never leave the client hanging: a bug in the double shows up as a 500.
            # The path holds the token: log only the method.
            _LOGGER.exception("the Telegram double failed on %s", request.path.rpartition("/")[2])
            _respond(connection, 500, _json(_error(500, f"Internal Server Error: {error!r}")))

    async def _answer(
        self, request: httputil.HTTPServerRequest, connection: HTTP1Connection
    ) -> None:
        path = unquote(request.path)
        token = self.fake.token
        if path.startswith(f"/file/bot{token}/"):
            content = self.fake.download(path.removeprefix(f"/file/bot{token}/"))
            if content is None:
                _respond(connection, 404, _json(_error(404, "Not Found")))
            else:
                _respond(connection, 200, content, "application/octet-stream")
            return
        head, _, method = path.rpartition("/")
        if not head.startswith("/bot") and not head.startswith("/file/bot"):
            _respond(connection, 404, _json(_error(404, "Not Found")))
            return
        if head not in (f"/bot{token}", f"/file/bot{token}"):
            _respond(connection, 401, _json(_error(401, "Unauthorized")))
            return
        try:
            params, files = _parse(request)
        except ValueError:
            _respond(connection, 400, _json(_error(400, "Bad Request: can't parse request")))
            return
        try:
            status, body = await self.fake.call(method, params, files)
        except ConnectionDropped:
            connection.close()
            return
        _respond(connection, status, _json(body))


def _error(status: int, description: str) -> JsonDict:
    return {"ok": False, "error_code": status, "description": description}


def _parse(request: httputil.HTTPServerRequest) -> tuple[JsonDict, dict[str, Upload]]:
    """Parameters and uploads of a request, whichever way PTB (or curl) encoded them."""
    if request.headers.get("Content-Type", "").startswith("application/json"):
        params: JsonDict = json.loads(request.body or b"{}")
        params.update(decode_form(request.query_arguments))
        return params, {}
    params = decode_form(request.arguments)
    files = {
        name: Upload(parts[-1].body, parts[-1].filename, parts[-1].content_type)
        for name, parts in request.files.items()
    }
    return params, files


def _respond(
    connection: HTTP1Connection,
    status: int,
    body: bytes,
    content_type: str = "application/json",
) -> None:
    """Write a whole response, unless the client already hung up (it timed out)."""
    if connection.stream.closed():
        return
    start = httputil.ResponseStartLine("HTTP/1.1", status, HTTPStatus(status).phrase)
    headers = httputil.HTTPHeaders(
        {"Content-Type": content_type, "Content-Length": str(len(body))}
    )
    written = connection.write_headers(start, headers, body)
    written.add_done_callback(_consume)
    connection.finish()


def _consume(future: Any) -> None:
    # A client that hangs up mid-write leaves an exception nobody else would retrieve.
    if not future.cancelled():
        future.exception()


Fake = TypeVar("Fake", bound=FakeTelegram)


@contextlib.asynccontextmanager
async def served(
    fake: Fake, members: Iterable[int]
) -> AsyncIterator[tuple[Fake, BotApiHttpServer]]:
    """``fake`` behind a loopback HTTP server, with ``members`` (« Membre <id> », in French), for
    tests that start real bot processes."""
    for member in members:
        fake.add_user(member, f"Membre {member}", language_code="fr")
    server = BotApiHttpServer(fake)
    await server.start()
    try:
        yield fake, server
    finally:
        await server.stop()
