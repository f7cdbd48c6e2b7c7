"""The local console chat: type as a member, the real Application answers.

Same handlers, same database as on Telegram; only the Bot API is the in-process double. Inline
buttons are printed with numbers: typing a bare number presses that button of the most recent
message that has buttons. ``/quit`` (or end of input) leaves. Works with piped input too.

The console user is local by definition (whoever runs it has the database), so it is treated as
an administrator: organisers can try every feature offline.
"""

from __future__ import annotations

import asyncio
import sys
from dataclasses import replace
from typing import Any, TextIO

from telegram import Update

from bot.app import build_application, build_deps
from bot.commands import publish_commands
from bot.config import Config
from bot.console.bot_api import FakeTelegram, InProcessBotApi
from bot.context import BotApp
from bot.startup import prepare_database

CONSOLE_USER_ID = 100_000_001
QUIT = {"/quit", "/exit", "/quitter"}


class ConsoleChat:
    """Feeds typed lines to the Application and prints what the bot did in the chat."""

    def __init__(self, app: BotApp, fake: FakeTelegram, out: TextIO) -> None:
        self._app, self._fake, self._out = app, fake, out
        self._seen: dict[int, str] = {}
        self._buttons: list[dict[str, Any]] = []
        self._buttons_message = 0

    async def handle_line(self, line: str) -> None:
        line = line.strip()
        if not line:
            return
        if line.isdigit() and self._buttons and 1 <= int(line) <= len(self._buttons):
            button = self._buttons[int(line) - 1]
            if "callback_data" not in button:
                self._out.write(f"  (lien : {button.get('url', '')})\n")
                return
            update = self._fake.press(
                CONSOLE_USER_ID, self._buttons_message, data=button["callback_data"]
            )
        else:
            update = self._fake.send_text(CONSOLE_USER_ID, line)
        await self._app.process_update(Update.de_json(update, self._app.bot))
        self.print_new()

    def print_new(self) -> None:
        for message in self._fake.bot_messages(CONSOLE_USER_ID):
            rendered = render(message)
            if self._seen.get(message["message_id"]) == rendered:
                continue
            edited = message["message_id"] in self._seen
            self._seen[message["message_id"]] = rendered
            self._out.write(("🤖 (modifié) " if edited else "🤖 ") + rendered + "\n")
            rows = self._fake.buttons(message)
            if rows:
                self._buttons = [button for row in rows for button in row]
                self._buttons_message = message["message_id"]
                for number, button in enumerate(self._buttons, start=1):
                    self._out.write(f"   [{number}] {button['text']}\n")
        self._out.flush()


def render(message: dict[str, Any]) -> str:
    """One bot message as console text (files and places summarised)."""
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
        options = " / ".join(option["text"] for option in poll["options"])
        return f"[sondage] {poll['question']} — {options}"
    return "[message]"


async def run_console(config: Config, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout) -> None:
    """Chat with the bot in the terminal until /quit or end of input."""
    admins = (*config.bot.admin_ids, CONSOLE_USER_ID)
    config = replace(config, bot=replace(config.bot, admin_ids=admins))
    deps = build_deps(config)
    fake = FakeTelegram()
    try:
        await prepare_database(deps)
        fake.add_user(CONSOLE_USER_ID, "Vous", language_code=config.bot.default_language)
        app = build_application(deps, request=InProcessBotApi(fake))
        async with app:
            await publish_commands(app)
            await app.start()
            chat = ConsoleChat(app, fake, out)
            out.write(deps.texts.get(config.bot.default_language, "console.banner") + "\n")
            out.flush()
            loop = asyncio.get_running_loop()
            while True:
                line = await loop.run_in_executor(None, stdin.readline)
                if not line or line.strip().lower() in QUIT:
                    break
                await chat.handle_line(line)
            out.write(deps.texts.get(config.bot.default_language, "console.bye") + "\n")
            out.flush()
            await app.stop()
    finally:
        await deps.engine.dispose()
