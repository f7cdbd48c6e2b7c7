"""What the console shows: every chat's new and edited messages, buttons with addresses, toasts.

A button's address is ``M.N``: the N-th button of the M-th newest message that has buttons (or
an open poll) in the viewer's chat; ``1.N`` is the newest, so the addresses printed beside a new
message stay right until another message with buttons arrives (``/boutons`` lists them again).
Messages to other chats (the organiser's, a group) are shown with the chat's name, so what the
bot sends in the background (notices, reminders, announcements) is seen as it happens.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, TextIO

from bot.console.bot_api import FakeTelegram

JsonDict = dict[str, Any]


@dataclass(frozen=True)
class Pressable:
    """A message the viewer can act on: its buttons, or the options of its open poll."""

    message: JsonDict
    labels: tuple[str, ...]

    @property
    def poll(self) -> JsonDict | None:
        """The open poll carried by this message, if that is what it is."""
        poll: JsonDict | None = self.message.get("poll")
        return poll if poll is not None and not poll["is_closed"] else None

    @property
    def buttons(self) -> list[JsonDict]:
        """The inline buttons, row after row."""
        return [button for row in FakeTelegram.buttons(self.message) for button in row]


class Screen:
    """Prints what changed in the double since the last look, once per change."""

    def __init__(self, fake: FakeTelegram, out: TextIO) -> None:
        self._fake, self._out = fake, out
        self._seen: dict[tuple[int, int], str] = {}
        self._answers_seen = 0
        self._keyboards_seen: dict[int, str] = {}

    def write(self, line: str) -> None:
        """One line of the console's own voice."""
        self._out.write(line + "\n")
        self._out.flush()

    def pressables(self, viewer: int) -> list[Pressable]:
        """The viewer's messages with buttons or an open poll, newest first."""
        found = []
        for message in reversed(self._fake.bot_messages(viewer)):
            poll = message.get("poll")
            if poll is not None and not poll["is_closed"]:
                found.append(Pressable(message, tuple(o["text"] for o in poll["options"])))
            elif rows := FakeTelegram.buttons(message):
                found.append(Pressable(message, tuple(b["text"] for row in rows for b in row)))
        return found

    def refresh(self, viewer: int) -> None:
        """Print toasts, then every new or edited bot message, then a changed custom keyboard."""
        answers = self._fake.callback_answers
        for answer in answers[self._answers_seen :]:
            if answer.get("text"):
                self.write(("⚠️ " if answer.get("show_alert") else "💬 ") + str(answer["text"]))
        self._answers_seen = len(answers)
        addresses = {
            item.message["message_id"]: rank
            for rank, item in enumerate(self.pressables(viewer), start=1)
        }
        for chat_id in list(self._fake.history):
            for message in self._fake.bot_messages(chat_id):
                key = (chat_id, message["message_id"])
                signature = json.dumps([render(message), message.get("reply_markup")])
                if self._seen.get(key) == signature:
                    continue
                edited = key in self._seen
                self._seen[key] = signature
                rank = addresses.get(message["message_id"]) if chat_id == viewer else None
                self._show(message, chat_id, viewer, edited, rank)
        self._show_keyboard(viewer)

    def list_pressables(self, viewer: int, nothing: str) -> None:
        """Every message the viewer can still act on, oldest first, with today's addresses."""
        items = self.pressables(viewer)
        if not items:
            self.write(nothing)
        for rank, item in reversed(list(enumerate(items, start=1))):
            self.write("🤖 " + _first_line(render(item.message)))
            self._write_options(item, rank)

    def _show(
        self, message: JsonDict, chat_id: int, viewer: int, edited: bool, rank: int | None
    ) -> None:
        to = "" if chat_id == viewer else f"→ {self._chat_name(chat_id)} : "
        self.write(f"🤖 {to}{'(modifié) ' if edited else ''}{render(message)}")
        poll = message.get("poll")
        labels = (
            tuple(o["text"] for o in poll["options"])
            if poll is not None and not poll["is_closed"]
            else tuple(b["text"] for row in FakeTelegram.buttons(message) for b in row)
        )
        if not labels:
            return
        if rank is None:
            for row in FakeTelegram.buttons(message) or [[{"text": t} for t in labels]]:
                self.write("   " + "  ".join(f"[{button['text']}]" for button in row))
            return
        self._write_options(Pressable(message, labels), rank)

    def _write_options(self, item: Pressable, rank: int) -> None:
        if item.poll is not None:
            for number, label in enumerate(item.labels, start=1):
                self.write(f"   ({rank}.{number}) {label}")
            return
        number = 0
        for row in FakeTelegram.buttons(item.message):
            cells = []
            for button in row:
                number += 1
                cells.append(f"[{rank}.{number}] {button['text']}")
            self.write("   " + "   ".join(cells))

    def _show_keyboard(self, viewer: int) -> None:
        rows = self._fake.reply_keyboards.get(viewer)
        signature = json.dumps(rows)
        if self._keyboards_seen.get(viewer, "null") == signature:
            return
        self._keyboards_seen[viewer] = signature
        if rows:
            buttons = [button for row in rows for button in row]
            cells = [f"[k{n}] {_label(b)}" for n, b in enumerate(buttons, start=1)]
            self.write("⌨️  " + "   ".join(cells))

    def _chat_name(self, chat_id: int) -> str:
        chat = self._fake.chats.get(chat_id, {})
        return str(chat.get("title") or chat.get("first_name") or chat_id)


def render(message: JsonDict) -> str:
    """One bot message as console text (files, places and polls summarised)."""
    if "text" in message:
        return str(message["text"])
    if "document" in message:
        name = message["document"].get("file_name", "fichier")
        return f"[fichier {name}] {message.get('caption', '')}".rstrip()
    if "photo" in message:
        return f"[photo] {message.get('caption', '')}".rstrip()
    if "location" in message:
        place = message["location"]
        return f"[📍 {place['latitude']:.5f}, {place['longitude']:.5f}]"
    if "poll" in message:
        poll = message["poll"]
        closed = " (fermé)" if poll["is_closed"] else ""
        return f"[sondage{closed}] {poll['question']}"
    return "[message]"


def _label(button: JsonDict) -> str:
    return str(button["text"]) if isinstance(button, dict) else str(button)


def _first_line(text: str) -> str:
    return text.split("\n", 1)[0]
