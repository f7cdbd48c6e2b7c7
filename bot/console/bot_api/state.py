"""FakeTelegram: a simulator of the Telegram Bot API for the console (and tests, benchmarks).

It answers as Telegram does, refusals included. What only tests need (flood limits, forced
errors, dropped connections, late answers) plugs in from tests/support/bot_api.py.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from typing import Any

from . import methods_misc as misc
from . import methods_send as send
from .members import MemberSide
from .records import ApiCall, ApiError, JsonDict, Upload
from .store import FloodControl

Handler = Callable[[Any, JsonDict, dict[str, Upload]], Any]
# Telegram matches method names case-insensitively.
_METHODS: dict[str, Handler] = {
    name.lower(): handler
    for name, handler in {
        "getMe": misc.get_me,
        "deleteWebhook": misc.delete_webhook,
        "setWebhook": misc.set_webhook,
        "getWebhookInfo": misc.get_webhook_info,
        "close": misc.just_true,
        "logOut": misc.just_true,
        "setMyCommands": misc.set_my_commands,
        "deleteMyCommands": misc.delete_my_commands,
        "getMyCommands": misc.get_my_commands,
        "setChatMenuButton": misc.set_chat_menu_button,
        "getChatMenuButton": misc.get_chat_menu_button,
        "answerCallbackQuery": misc.answer_callback_query,
        "answerInlineQuery": misc.answer_inline_query,
        "getFile": misc.get_file,
        "getChat": misc.get_chat,
        "sendMessage": send.send_message,
        "editMessageText": send.edit_message_text,
        "editMessageReplyMarkup": send.edit_message_reply_markup,
        "editMessageCaption": send.edit_message_caption,
        "deleteMessage": send.delete_message,
        "sendDocument": send.send_document,
        "sendPhoto": send.send_photo,
        "sendLocation": send.send_location,
        "sendPoll": send.send_poll,
        "stopPoll": send.stop_poll,
        "sendChatAction": send.send_chat_action,
    }.items()
}


class FakeTelegram(MemberSide):
    """The Bot API as the bot sees it, plus the members' side and what happened, for asserts."""

    def __init__(
        self,
        *,
        token: str = "123456:TEST-token_abcdefghijklmnopqrstuvw",
        bot_id: int = 123456,
        bot_username: str = "innovdeizh_bot",
        flood: FloodControl | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(
            token=token, bot_id=bot_id, bot_username=bot_username, flood=flood, clock=clock
        )

    async def call(
        self,
        method: str,
        params: dict[str, Any],
        files: Mapping[str, bytes | Upload] | None = None,
    ) -> tuple[int, dict[str, Any]]:
        """Run one Bot API method; answer (HTTP status, Telegram's JSON body).

        Transports call this for every request; a subclass may wrap it to play faults.
        """
        at = self.clock()
        key = method.lower()
        try:
            if key == "getupdates":
                result: Any = await misc.get_updates(self, params)
            else:
                handler = _METHODS.get(key)
                if handler is None:
                    raise ApiError(404, "Not Found")
                uploads = {
                    name: value if isinstance(value, Upload) else Upload(value)
                    for name, value in (files or {}).items()
                }
                result = handler(self, params, uploads)
            status, body = 200, {"ok": True, "result": result}
        except ApiError as error:
            status, body = error.status, error.body()
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as error:
            # Parameters of the wrong shape: Telegram answers 400, and so the client sees why.
            status = 400
            body = ApiError(400, f"Bad Request: invalid parameters: {error!r}").body()
        self.calls.append(ApiCall(method, params, status, at))
        self.changed()
        return status, body

    # --- observation ------------------------------------------------------------------------

    def messages(self, chat_id: int) -> list[JsonDict]:
        """Messages of a chat (edits applied, deletions gone), each with its raw "html"."""
        return [{**m.json, "html": m.html} for m in self.history.get(chat_id, {}).values()]

    def bot_messages(self, chat_id: int) -> list[JsonDict]:
        """The bot's messages in a chat."""
        return [
            {**m.json, "html": m.html}
            for m in self.history.get(chat_id, {}).values()
            if m.from_bot
        ]

    def last_bot_message(self, chat_id: int) -> JsonDict:
        """The bot's newest message in a chat; AssertionError (with recent calls) if none."""
        messages = self.bot_messages(chat_id)
        if not messages:
            raise AssertionError(
                f"the bot has no message in chat {chat_id}; recent calls: {self._recent_calls()}"
            )
        return messages[-1]

    def bot_texts(self, chat_id: int) -> list[str]:
        """Plain texts and captions of the bot's messages in a chat, oldest first."""
        texts = []
        for message in self.history.get(chat_id, {}).values():
            if message.from_bot:
                text = message.json.get("text", message.json.get("caption"))
                if text is not None:
                    texts.append(text)
        return texts

    @staticmethod
    def buttons(message: JsonDict) -> list[list[JsonDict]]:
        """Inline keyboard rows of a message ([] if none)."""
        rows: list[list[JsonDict]] = message.get("reply_markup", {}).get("inline_keyboard", [])
        return rows

    def pending_updates(self) -> list[JsonDict]:
        """Updates queued and not yet confirmed through getUpdates."""
        return list(self.updates)

    # The public API takes a timeout, like asyncio.wait_for does.
    async def wait_for(
        self,
        predicate: Callable[[], bool],
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> None:
        """Return once ``predicate()`` holds, re-checking after every call or update."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                name = getattr(predicate, "__qualname__", repr(predicate))
                raise TimeoutError(
                    f"{name} still false after {timeout} s; recent calls: {self._recent_calls()}; "
                    f"{len(self.updates)} pending update(s)"
                )
            await self.wait_change(remaining)

    def _recent_calls(self, count: int = 8) -> str:
        calls = [f"{call.method}->{call.status}" for call in self.calls[-count:]]
        return ", ".join(calls) or "none"
