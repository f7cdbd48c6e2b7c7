"""Drive the real Application as a member would, through the Bot API double."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram import Update

from bot.console.bot_api import FakeTelegram
from bot.context import BotApp

# French typography puts no-break spaces (U+00A0, U+202F) before « : ; ! ? % » and inside « »,
# and CLDR puts thin spaces around the « – » of a time span (U+2009): the driver reads them as
# plain spaces so expected strings stay readable (test_texts_typography checks the real ones).
_FOLD = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " "})


def plain(text: str) -> str:
    """``text`` with no-break and thin spaces read as plain spaces."""
    return text.translate(_FOLD)


@dataclass
class MemberChat:
    """One member talking to the bot in one chat (private by default)."""

    app: BotApp
    fake: FakeTelegram
    user_id: int
    chat_id: int

    async def deliver(self, update: dict[str, Any]) -> None:
        await self.app.process_update(Update.de_json(update, self.app.bot))

    async def say(self, text: str) -> None:
        """Send a text (or /command) and let the bot handle it completely."""
        await self.deliver(self.fake.send_text(self.user_id, text, chat_id=self.chat_id))

    async def press(self, label: str, message_id: int | None = None) -> None:
        """Press the button labelled ``label`` (default message: the newest with buttons)."""
        message_id = message_id or self.newest_with_buttons()["message_id"]
        label = self._real_label(message_id, label)
        await self.deliver(
            self.fake.press(self.user_id, message_id, chat_id=self.chat_id, text=label)
        )

    def _real_label(self, message_id: int, label: str) -> str:
        """The button's own text for ``label`` typed with plain spaces."""
        for message in self.fake.bot_messages(self.chat_id):
            if message["message_id"] != message_id:
                continue
            for row in self.fake.buttons(message):
                for button in row:
                    if plain(button["text"]) == plain(label):
                        return str(button["text"])
        return label

    async def press_data(self, data: str, message_id: int | None = None) -> None:
        """Press a button with raw callback data (forged or replayed presses included)."""
        message_id = message_id or self.fake.last_bot_message(self.chat_id)["message_id"]
        await self.deliver(
            self.fake.press(self.user_id, message_id, chat_id=self.chat_id, data=data)
        )

    def earlier_button(self, data: str, label: str = "Ouvrir") -> int:
        """A bot message with one button of ``data`` in this chat, as if the bot had sent it
        before (an invitation, an old card); returns its message id."""
        markup = {"inline_keyboard": [[{"text": label, "callback_data": data}]]}
        fields = {"text": label, "reply_markup": markup}
        chat = self.fake.chat(self.chat_id)
        message = self.fake.add_message(chat, self.fake.bot_user, fields, label)
        return int(message.json["message_id"])

    def texts(self) -> list[str]:
        return [plain(text) for text in self.fake.bot_texts(self.chat_id)]

    def last_text(self) -> str:
        return self.texts()[-1]

    def last_message(self) -> dict[str, Any]:
        return self.fake.last_bot_message(self.chat_id)

    def message_containing(self, fragment: str) -> dict[str, Any]:
        """The newest bot message whose text contains ``fragment`` (edits applied)."""
        for message in reversed(self.fake.bot_messages(self.chat_id)):
            if fragment in plain(str(message.get("text") or message.get("caption") or "")):
                return message
        raise AssertionError(f"no bot message containing {fragment!r} in chat {self.chat_id}")

    def newest_with_buttons(self) -> dict[str, Any]:
        for message in reversed(self.fake.bot_messages(self.chat_id)):
            if self.fake.buttons(message):
                return message
        raise AssertionError(f"no bot message with buttons in chat {self.chat_id}")

    def button_labels(self, message: dict[str, Any] | None = None) -> list[str]:
        message = message or self.newest_with_buttons()
        return [plain(button["text"]) for row in self.fake.buttons(message) for button in row]
