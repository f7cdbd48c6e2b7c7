"""Small value types shared by the Telegram double: recorded calls, uploads, API errors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

JsonDict = dict[str, Any]


@dataclass
class ApiCall:
    """One Bot API call as the double saw it (status 0: a connection dropped by a test)."""

    method: str
    params: JsonDict
    status: int
    at: float


@dataclass(frozen=True)
class Upload:
    """A file sent in a multipart request: its name and MIME type as the client gave them."""

    content: bytes
    filename: str | None = None
    mime_type: str | None = None


@dataclass
class Message:
    """A message in a chat: its Bot API JSON and the raw (HTML) text it was sent with."""

    json: JsonDict
    html: str
    from_bot: bool


class ApiError(Exception):
    """A Bot API error answer: HTTP status, Telegram's description and optional parameters."""

    def __init__(self, status: int, description: str, parameters: JsonDict | None = None) -> None:
        super().__init__(f"{status} {description}")
        self.status = status
        self.description = description
        self.parameters = parameters

    def body(self) -> JsonDict:
        """The JSON body Telegram answers with."""
        body: JsonDict = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(reason: str) -> ApiError:
    """A 400 error worded as Telegram does ("Bad Request: ...")."""
    return ApiError(400, f"Bad Request: {reason}")
