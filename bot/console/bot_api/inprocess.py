"""InProcessBotApi: a PTB request backend that calls a FakeTelegram directly, no sockets."""

from __future__ import annotations

import asyncio
import json
from typing import Any
from urllib.parse import unquote

from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import TimedOut
from telegram.request import BaseRequest, RequestData

from .records import Upload
from .state import FakeTelegram

_NOT_FOUND = b'{"ok": false, "error_code": 404, "description": "Not Found"}'
_UNAUTHORIZED = b'{"ok": false, "error_code": 401, "description": "Unauthorized"}'


class InProcessBotApi(BaseRequest):
    """Answers PTB's requests from a FakeTelegram, within PTB's read timeout as over HTTP."""

    __slots__ = ("_fake", "_read_timeout")

    def __init__(self, fake: FakeTelegram, *, read_timeout: float | None = 5.0) -> None:
        self._fake = fake
        self._read_timeout = read_timeout

    @property
    def read_timeout(self) -> float | None:
        """Default read timeout, for calls that give none."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_request(  # noqa: PLR0917 (PTB's signature)
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Route ``.../bot<token>/<method>`` to the fake and ``.../file/bot<token>/<path>``."""
        fake = self._fake
        file_marker = f"/file/bot{fake.token}/"
        if "/file/bot" in url and file_marker in (url := unquote(url)):
            content = fake.download(url.split(file_marker, 1)[1])
            return (404, _NOT_FOUND) if content is None else (200, content)
        prefix, _, api_method = url.rpartition("/")
        if not prefix.endswith(f"/bot{fake.token}"):
            return 401, _UNAUTHORIZED
        params: dict[str, Any] = request_data.parameters if request_data else {}
        files = _files(request_data) if request_data and request_data.contains_files else None
        timeout = self._read_timeout if isinstance(read_timeout, DefaultValue) else read_timeout
        try:
            # Only a long poll (or an answer a test made late) waits here.
            async with asyncio.timeout(timeout):
                status, body = await fake.call(api_method, params, files)
        except TimeoutError:
            raise TimedOut from None
        return status, json.dumps(body).encode()


def _files(request_data: RequestData) -> dict[str, Upload]:
    """Uploaded files as PTB would put them in the multipart body."""
    uploads = {}
    for name, (filename, content, mime_type) in request_data.multipart_data.items():
        data = content if isinstance(content, bytes) else content.read()
        uploads[name] = Upload(data, filename, mime_type)
    return uploads
