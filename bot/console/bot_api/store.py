"""The simulated Telegram world: users, chats, messages, files, polls and the update queue."""

from __future__ import annotations

import asyncio
import itertools
import mimetypes
import time
from collections.abc import Callable
from typing import Any, Protocol

from .records import ApiCall, ApiError, JsonDict, Message, Upload, bad_request
from .validation import as_int


class FloodControl(Protocol):
    """Telegram's flood limits, for those who need them (tests/support/flood_limits.py).

    The console runs without: its one member never receives 30 messages a second.
    """

    def admit(self, chat_id: int | None, now: float) -> int | None:
        """Count a send about to be accepted at ``now``; or refuse it: the retry_after (s)."""
        ...


class Store:
    """State shared by the Bot API methods and the member side of FakeTelegram."""

    def __init__(
        self,
        *,
        token: str,
        bot_id: int,
        bot_username: str,
        flood: FloodControl | None,
        clock: Callable[[], float],
    ) -> None:
        self.token = token
        self.bot_user: JsonDict = {
            "id": bot_id,
            "is_bot": True,
            "first_name": "Innov'Deizh",
            "username": bot_username,
        }
        self.clock = clock
        self.flood = flood
        self.users: dict[int, JsonDict] = {}
        self.chats: dict[int, JsonDict] = {}
        self.blocked: set[int] = set()
        self.history: dict[int, dict[int, Message]] = {}
        # Telegram never reuses a message id, even after a deletion.
        self.last_message_id: dict[int, int] = {}
        self.calls: list[ApiCall] = []
        self.commands: dict[tuple[str, str], list[JsonDict]] = {}
        self.callback_answers: list[JsonDict] = []
        self.inline_answers: list[JsonDict] = []
        self.files: dict[str, bytes] = {}
        self.file_info: dict[str, JsonDict] = {}  # file_id -> File JSON (with file_path)
        self.file_by_path: dict[str, str] = {}
        self.media: dict[str, Any] = {}  # file_id -> Document JSON or PhotoSize list, for re-sends
        self.polls: dict[str, dict[str, Any]] = {}
        self.poll_votes: dict[str, dict[int, list[int]]] = {}
        self.poll_messages: dict[str, tuple[int, int]] = {}
        self.open_callbacks: set[str] = set()
        self.open_inline_queries: set[str] = set()
        self.menu_buttons: dict[int | None, JsonDict] = {}
        # The custom (reply) keyboard each chat shows now; Messages do not echo it.
        self.reply_keyboards: dict[int, list[list[JsonDict]]] = {}
        self.webhook: JsonDict = {"url": ""}
        self.allowed_updates: list[str] = []
        self.updates: list[JsonDict] = []
        self.poller: object | None = None
        self._ids = itertools.count(1)
        self._update_ids = itertools.count(1)
        self._waiters: list[asyncio.Future[None]] = []

    # --- notification -----------------------------------------------------------------------

    def changed(self) -> None:
        """Wake every coroutine waiting for a call or an update."""
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            if waiter.done():
                continue
            loop = waiter.get_loop()
            try:
                same_loop = asyncio.get_running_loop() is loop
            except RuntimeError:
                same_loop = False
            if same_loop:
                waiter.set_result(None)
            elif not loop.is_closed():
                # Member-side calls may come from another thread (a console reading stdin).
                loop.call_soon_threadsafe(_wake, waiter)

    async def wait_change(self, seconds: float) -> None:
        """Sleep until the next change or ``seconds``."""
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await asyncio.wait_for(asyncio.shield(waiter), seconds)
        except TimeoutError:
            pass
        finally:
            if waiter in self._waiters:
                self._waiters.remove(waiter)

    # --- chats and users --------------------------------------------------------------------

    def next_id(self) -> int:
        """A fresh number for ids (files, queries, polls)."""
        return next(self._ids)

    def chat(self, chat_id: Any) -> JsonDict:
        """The Chat JSON for a chat_id parameter, or Telegram's "chat not found"."""
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            for known in self.chats.values():
                if known.get("username", "").lower() == chat_id[1:].lower():
                    return known
            raise bad_request("chat not found")
        found = self.chats.get(as_int(chat_id, "chat_id"))
        if found is None:
            raise bad_request("chat not found")
        return found

    def writable_chat(self, chat_id: Any) -> JsonDict:
        """A chat the bot may write to: known and, if private, not blocked."""
        chat = self.chat(chat_id)
        if chat["id"] in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat

    def message(self, chat_id: int, message_id: Any, action: str) -> Message:
        """A message of a chat, or "message to <action> not found"."""
        found = self.history.get(chat_id, {}).get(as_int(message_id, "message_id"))
        if found is None:
            raise bad_request(f"message to {action} not found")
        return found

    def throttle(self, chat_id: int | None) -> None:
        """Count a send against the flood limits, if any, or refuse it with 429."""
        if self.flood is None:
            return
        retry_after = self.flood.admit(chat_id, self.clock())
        if retry_after is not None:
            raise ApiError(
                429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
            )

    # --- messages and updates ---------------------------------------------------------------

    def add_message(
        self, chat: JsonDict, sender: JsonDict, fields: JsonDict, html: str, reply_to: Any = None
    ) -> Message:
        """Store a new message in ``chat``; message ids count per chat, as in private chats."""
        chat_history = self.history.setdefault(chat["id"], {})
        message_id = self.last_message_id.get(chat["id"], 0) + 1
        self.last_message_id[chat["id"]] = message_id
        json: JsonDict = {
            "message_id": message_id,
            "from": sender,
            "chat": chat,
            "date": int(time.time()),
            **fields,
        }
        replied = None if reply_to is None else chat_history.get(int(reply_to))
        if replied is not None:
            json["reply_to_message"] = {
                k: v for k, v in replied.json.items() if k != "reply_to_message"
            }
        message = Message(json, html, sender is self.bot_user)
        chat_history[message_id] = message
        return message

    def push_update(self, kind: str, payload: JsonDict) -> JsonDict:
        """Queue an update for getUpdates and return it."""
        update = {"update_id": next(self._update_ids), kind: payload}
        self.updates.append(update)
        self.changed()
        return update

    # --- files --------------------------------------------------------------------------------

    def store_file(self, upload: Upload, folder: str, *, file_name: str | None = None) -> JsonDict:
        """Keep an uploaded file; give its file_id, file_unique_id and size."""
        number = self.next_id()
        file_id = f"{folder[:2].upper()}AgADFILE{number:06d}"
        name = file_name or upload.filename
        extension = ""
        if name and "." in name:
            extension = "." + name.rsplit(".", 1)[1]
        path = f"{folder}/file_{number}{extension}"
        info = {
            "file_id": file_id,
            "file_unique_id": f"AQAD{number:06d}",
            "file_size": len(upload.content),
            "file_path": path,
        }
        self.files[file_id] = upload.content
        self.file_info[file_id] = info
        self.file_by_path[path] = file_id
        return {k: v for k, v in info.items() if k != "file_path"}

    def document_json(self, upload: Upload, folder: str = "documents") -> JsonDict:
        """A Document object for an upload."""
        name = upload.filename or "file"
        mime = upload.mime_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
        return {
            **self.store_file(upload, folder, file_name=name),
            "file_name": name,
            "mime_type": mime,
        }

    def download(self, path: str) -> bytes | None:
        """Content of a file by its file_path, as /file/bot<token>/<path> serves it."""
        file_id = self.file_by_path.get(path)
        return None if file_id is None else self.files[file_id]


def _wake(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)
