"""The member side of the double: people and groups that talk to the bot."""

from __future__ import annotations

import copy
import html
import re
import struct
import zlib
from typing import Any

from .methods_send import photo_sizes
from .records import JsonDict, Message, Upload
from .store import Store

_COMMAND_RE = re.compile(r"/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?")


def _png(width: int, height: int) -> bytes:
    """A valid blank PNG, so photo sizes and downloads look real."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


SAMPLE_PNG = _png(4, 3)


class MemberSide(Store):
    """Builds the updates Telegram would send when members act; each is queued and returned."""

    def add_user(
        self,
        user_id: int,
        first_name: str = "Anne",
        *,
        language_code: str | None = "fr",
        username: str | None = None,
        last_name: str | None = None,
    ) -> JsonDict:
        """Register a person who has started the bot; returns their User JSON (no update)."""
        user: JsonDict = {"id": user_id, "is_bot": False, "first_name": first_name}
        chat: JsonDict = {"id": user_id, "type": "private", "first_name": first_name}
        for key, value in (("last_name", last_name), ("username", username)):
            if value is not None:
                user[key] = chat[key] = value
        if language_code is not None:
            user["language_code"] = language_code
        self.users[user_id] = user
        self.chats[user_id] = chat
        return user

    def add_group(self, chat_id: int, title: str = "Innov'Deizh") -> JsonDict:
        """Register a group the bot is in (ids from -100... are supergroups); returns its Chat."""
        if chat_id >= 0:
            raise ValueError(f"group ids are negative, got {chat_id}")
        kind = "supergroup" if str(chat_id).startswith("-100") else "group"
        chat: JsonDict = {"id": chat_id, "type": kind, "title": title}
        self.chats[chat_id] = chat
        return chat

    def _user(self, user_id: int) -> JsonDict:
        return self.users.get(user_id) or self.add_user(user_id)

    def _post(
        self, user_id: int, chat_id: int | None, fields: JsonDict, reply_to: int | None = None
    ) -> JsonDict:
        """A member's message in their private chat or a group, queued as a message update."""
        user = self._user(user_id)
        target = user_id if chat_id is None else chat_id
        chat = self.chats.get(target) or self.add_group(target)
        text = str(fields.get("text") or fields.get("caption") or "")
        message: Message = self.add_message(chat, user, fields, html.escape(text), reply_to)
        return self.push_update("message", dict(message.json))

    def send_text(
        self, user_id: int, text: str, *, chat_id: int | None = None, reply_to: int | None = None
    ) -> JsonDict:
        """A text message; "/cmd" or "/cmd@bot" at the start gets a bot_command entity."""
        fields: JsonDict = {"text": text}
        match = _COMMAND_RE.match(text)
        if match:
            fields["entities"] = [{"type": "bot_command", "offset": 0, "length": match.end()}]
        return self._post(user_id, chat_id, fields, reply_to)

    def send_sticker(self, user_id: int, *, chat_id: int | None = None) -> JsonDict:
        """A sticker message."""
        stored = self.store_file(Upload(b"RIFF-sticker", "sticker.webp"), "stickers")
        sticker = {
            **stored,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "👍",
        }
        return self._post(user_id, chat_id, {"sticker": sticker})

    def send_voice(self, user_id: int, *, chat_id: int | None = None) -> JsonDict:
        """A voice message."""
        stored = self.store_file(Upload(b"OggS-voice", "voice.oga"), "voice")
        voice = {**stored, "duration": 3, "mime_type": "audio/ogg"}
        return self._post(user_id, chat_id, {"voice": voice})

    def send_photo(
        self,
        user_id: int,
        data: bytes = SAMPLE_PNG,
        *,
        caption: str | None = None,
        chat_id: int | None = None,
    ) -> JsonDict:
        """A photo (stored, downloadable), optionally captioned."""
        fields: JsonDict = {"photo": photo_sizes(self, Upload(data, "photo.png", "image/png"))}
        if caption is not None:
            fields["caption"] = caption
        return self._post(user_id, chat_id, fields)

    def send_document(
        self, user_id: int, data: bytes, file_name: str, *, chat_id: int | None = None
    ) -> JsonDict:
        """A document (stored, downloadable)."""
        document = self.document_json(Upload(data, file_name))
        self.media[document["file_id"]] = document
        return self._post(user_id, chat_id, {"document": document})

    def send_location(
        self, user_id: int, latitude: float, longitude: float, *, chat_id: int | None = None
    ) -> JsonDict:
        """A shared location."""
        location = {"latitude": latitude, "longitude": longitude}
        return self._post(user_id, chat_id, {"location": location})

    def press(
        self,
        user_id: int,
        message_id: int,
        *,
        chat_id: int | None = None,
        text: str | None = None,
        data: str | None = None,
        inaccessible: bool = False,
    ) -> JsonDict:
        """A callback_query for a bot message's button, by label or by (possibly forged) data;
        ``inaccessible``: the message as Telegram gives it once too old (date 0, no content)."""
        chat_id = user_id if chat_id is None else chat_id
        message = self.history.get(chat_id, {}).get(message_id)
        if message is None or not message.from_bot:
            raise LookupError(f"no bot message {message_id} in chat {chat_id}")
        if data is None:
            if text is None:
                raise ValueError("press() needs the button's text or data")
            data = _callback_data(message.json, text)
        query_id = str(7_000_000 + self.next_id())
        self.open_callbacks.add(query_id)
        query = {
            "id": query_id,
            "from": self._user(user_id),
            "message": (
                {"chat": message.json["chat"], "message_id": message_id, "date": 0}
                if inaccessible
                else copy.deepcopy(message.json)
            ),
            "chat_instance": str(abs(chat_id) * 31 + 17),
            "data": data,
        }
        return self.push_update("callback_query", query)

    def inline_query(self, user_id: int, query: str, offset: str = "") -> JsonDict:
        """An inline query typed by a member."""
        query_id = str(8_000_000 + self.next_id())
        self.open_inline_queries.add(query_id)
        inline = {
            "id": query_id,
            "from": self._user(user_id),
            "query": query,
            "offset": offset,
            "chat_type": "sender",
        }
        return self.push_update("inline_query", inline)

    def answer_poll(self, user_id: int, poll_id: str, option_ids: list[int]) -> JsonDict:
        """A vote ([] retracts it): poll_answer for public polls, else the new poll state."""
        poll = self.polls.get(poll_id)
        if poll is None:
            raise LookupError(f"no poll {poll_id!r} sent by the bot")
        if poll["is_closed"]:
            raise LookupError(f"poll {poll_id!r} is closed")
        votes = self.poll_votes[poll_id]
        for option in votes.pop(user_id, []):
            poll["options"][option]["voter_count"] -= 1
        if option_ids:
            votes[user_id] = list(option_ids)
            for option in option_ids:
                poll["options"][option]["voter_count"] += 1
        poll["total_voter_count"] = len(votes)
        if poll["is_anonymous"]:
            # Telegram sends no poll_answer for anonymous polls, only the new counts.
            return self.push_update("poll", copy.deepcopy(poll))
        answer = {
            "poll_id": poll_id,
            "user": self._user(user_id),
            "option_ids": list(option_ids),
            "option_persistent_ids": [str(option) for option in option_ids],
        }
        return self.push_update("poll_answer", answer)

    def block(self, user_id: int) -> None:
        """The member blocks the bot: sends to them now fail with 403."""
        self.blocked.add(user_id)

    def unblock(self, user_id: int) -> None:
        """The member unblocks the bot."""
        self.blocked.discard(user_id)


def _callback_data(message: JsonDict, label: str) -> str:
    rows: list[list[JsonDict]] = message.get("reply_markup", {}).get("inline_keyboard", [])
    labels: list[Any] = []
    for row in rows:
        for button in row:
            if button.get("text") == label and "callback_data" in button:
                return str(button["callback_data"])
            labels.append(button.get("text"))
    raise LookupError(
        f"no callback button {label!r} on message {message['message_id']}; buttons: {labels}"
    )
