"""The local console chat: type as a member or an organiser, the real Application answers.

Same handlers, same database as on Telegram; only the Bot API is the in-process double. What a
phone can do, a line can: press any visible button (``2.3``) or answer a poll by number, share a
place (``/position``), use inline mode (``@bot mots``), send a photo (``/photo``), use a custom
keyboard (``k1``), switch between an ordinary member and an organiser (``/membre``,
``/organisateur``). Everything the bot sends, even in the background, is printed as it arrives.
``/quit``, end of input, Ctrl-C or SIGTERM leave cleanly (exit 0).
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import io
import math
import os
import re
import signal
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any, TextIO

from telegram import Update

from bot.app import build_application, build_deps
from bot.commands import publish_commands
from bot.config import Config
from bot.console.bot_api import FakeTelegram, InProcessBotApi
from bot.console.screen import Pressable, Screen
from bot.context import BotApp
from bot.services.catalogue.communes import CommuneDirectory
from bot.startup import prepare_database
from bot.texts import Texts

QUIT = {"/quit", "/exit", "/quitter"}
_ADDRESS = re.compile(r"(\d{1,3})(?:\.(\d{1,3}(?:,\d{1,3})*))?")
_KEYBOARD = re.compile(r"k(\d{1,2})", re.IGNORECASE)
# Piped scripts read ahead of the bot: before the next line, wait until the bot has been quiet
# this long (background sends included), but never longer than the bound.
_QUIET_SECONDS = 0.25
_SETTLE_BOUND_SECONDS = 4.0


@dataclass(frozen=True)
class Person:
    """Someone the console can type as."""

    telegram_id: int
    first_name: str
    role: str  # the console text key naming who they are


MEMBER = Person(100_000_002, "Maëlle", "console.as_member")
ORGANISER = Person(100_000_001, "Yann", "console.as_organiser")
PEOPLE = {
    "/membre": MEMBER,
    "/member": MEMBER,
    "/organisateur": ORGANISER,
    "/organiser": ORGANISER,
}


class ConsoleChat:
    """Turns typed lines into the updates a phone would send, and shows what the bot did."""

    def __init__(
        self, app: BotApp, fake: FakeTelegram, out: TextIO, texts: Texts, language: str
    ) -> None:
        self._app, self._fake = app, fake
        self._texts, self._language = texts, language
        self.screen = Screen(fake, out)
        self.person = MEMBER
        self._communes = CommuneDirectory.load()

    def say(self, key: str, **params: object) -> None:
        """A console line in the console's language (plain text: its parameters are unescaped)."""
        self.screen.write(html.unescape(self._texts.get(self._language, key, **params)))

    def show(self) -> None:
        """Print whatever changed since the last look."""
        self.screen.refresh(self.person.telegram_id)

    async def handle_line(self, line: str) -> None:
        """Act on one typed line as the current person."""
        line = line.strip()
        if not line:
            return
        command, _, rest = line.partition(" ")
        command = command.lower()
        who = self.person.telegram_id
        update = None
        if command in PEOPLE:
            self._become(PEOPLE[command])
        elif command in {"/boutons", "/buttons"}:
            self.screen.list_pressables(who, self._texts.get(self._language, "console.no_buttons"))
        elif command in {"/position", "/location"}:
            update = self._location(rest.strip())
        elif command.startswith("@"):
            update = self._fake.inline_query(who, rest.strip())
        elif command == "/photo":
            update = self._fake.send_photo(who, caption=rest.strip() or None)
        elif match := _KEYBOARD.fullmatch(line):
            update = self._keyboard(int(match[1]))
        elif match := _ADDRESS.fullmatch(line):
            update = self._press(match, line)
        else:
            update = self._fake.send_text(who, line)
        if update is not None:
            answers = len(self._fake.inline_answers)
            await self._app.process_update(Update.de_json(update, self._app.bot))
            if len(self._fake.inline_answers) > answers:
                self._show_inline(self._fake.inline_answers[-1])
        self.show()

    def _show_inline(self, answer: dict[str, Any]) -> None:
        """Inline mode's results, as the list above the message box shows them."""
        results = answer["results"]
        if not results:
            self.say("console.inline_none")
        for number, result in enumerate(results, start=1):
            description = f" — {result['description']}" if result.get("description") else ""
            self.screen.write(f"   🔎 {number}. {result.get('title', '')}{description}")

    def _become(self, person: Person) -> None:
        self.person = person
        role = self._texts.get(self._language, person.role)
        self.say("console.now", name=person.first_name, role=role, id=person.telegram_id)
        self.show()

    def _press(self, match: re.Match[str], line: str) -> dict[str, object] | None:
        """``N`` or ``M.N`` presses a button or votes; a number that points nowhere is text."""
        who = self.person.telegram_id
        rank, numbers = (1, match[1]) if match[2] is None else (int(match[1]), match[2])
        choices = [int(n) for n in numbers.split(",")]
        items = self.screen.pressables(who)
        item: Pressable | None = items[rank - 1] if 1 <= rank <= len(items) else None
        if item is None or not all(1 <= n <= len(item.labels) for n in choices):
            return self._fake.send_text(who, line)
        if (poll := item.poll) is not None:
            if len(choices) > 1 and not poll["allows_multiple_answers"]:
                self.say("console.one_choice")
                return None
            self.say("console.voted", choice=", ".join(item.labels[n - 1] for n in choices))
            return self._fake.answer_poll(who, poll["id"], [n - 1 for n in choices])
        if len(choices) > 1:
            self.say("console.one_choice")
            return None
        button = item.buttons[choices[0] - 1]
        if "callback_data" not in button:
            target = button.get("url") or button.get("switch_inline_query") or ""
            self.say("console.link", target=target)
            return None
        message_id = int(item.message["message_id"])
        return self._fake.press(who, message_id, data=button["callback_data"])

    def _keyboard(self, number: int) -> dict[str, object] | None:
        """A custom keyboard's button: its text is sent, or the location it asks for."""
        rows = self._fake.reply_keyboards.get(self.person.telegram_id) or []
        buttons = [button for row in rows for button in row]
        if not 1 <= number <= len(buttons):
            self.say("console.no_key", number=number)
            return None
        button = buttons[number - 1]
        if button.get("request_location"):
            self.say("console.position_usage")
            return None
        return self._fake.send_text(self.person.telegram_id, str(button["text"]))

    def _location(self, where: str) -> dict[str, object] | None:
        """``/position 48.11 -1.68`` or ``/position Lannion``: a shared location."""
        parts = where.replace(",", " ").split()
        try:
            latitude, longitude = (float(parts[0]), float(parts[1]))
        except (ValueError, IndexError):
            commune = self._communes.find(where) if where else None
            if commune is None:
                self.say("console.position_usage")
                return None
            latitude, longitude = commune.latitude, commune.longitude
        else:
            if len(parts) != 2 or not all(math.isfinite(v) for v in (latitude, longitude)):
                self.say("console.position_usage")
                return None
        return self._fake.send_location(self.person.telegram_id, latitude, longitude)

    async def settle(self) -> None:
        """Wait until the bot has sent nothing for a moment, printing as it goes."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + _SETTLE_BOUND_SECONDS
        while loop.time() < deadline:
            calls = len(self._fake.calls)
            await asyncio.sleep(_QUIET_SECONDS)
            self.show()
            if len(self._fake.calls) == calls:
                return

    async def watch(self) -> None:
        """Show background messages (notices, reminders, announcements) as they arrive."""
        while True:
            await self._fake.wait_change(1.0)
            self.show()


def _typed_lines(stdin: TextIO) -> Iterator[str]:
    """Lines as typed, then "" at end of input.

    A real terminal or pipe is read with os.read: a daemon thread blocked in stdin.readline()
    holds the buffer's lock, and the interpreter then aborts at exit instead of leaving cleanly.
    """
    try:
        fd = stdin.fileno()
    except (AttributeError, OSError, io.UnsupportedOperation):
        yield from iter(stdin.readline, "")
        yield ""
        return
    pending = b""
    while chunk := os.read(fd, 4096):
        pending += chunk
        *lines, pending = pending.split(b"\n")
        for line in lines:
            yield line.decode("utf-8", errors="replace") + "\n"
    if pending:
        yield pending.decode("utf-8", errors="replace")
    yield ""


def _read_lines(stdin: TextIO, loop: asyncio.AbstractEventLoop) -> asyncio.Queue[str]:
    """Lines from stdin, read by a daemon thread so that nothing waits for Enter at exit."""
    lines: asyncio.Queue[str] = asyncio.Queue()

    def read() -> None:
        for line in _typed_lines(stdin):
            try:
                loop.call_soon_threadsafe(lines.put_nowait, line)
            except RuntimeError:  # the loop is gone: the console has left
                return

    threading.Thread(target=read, name="console-stdin", daemon=True).start()
    return lines


async def _next_line(lines: asyncio.Queue[str], stop: asyncio.Event) -> str:
    """The next typed line; "" at end of input or once Ctrl-C or SIGTERM asked to stop."""
    getting = asyncio.ensure_future(lines.get())
    stopping = asyncio.ensure_future(stop.wait())
    done, pending = await asyncio.wait({getting, stopping}, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    return getting.result() if getting in done else ""


async def run_console(config: Config, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout) -> None:
    """Chat with the bot in the terminal until /quit, end of input, Ctrl-C or SIGTERM."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    admins = (*config.bot.admin_ids, ORGANISER.telegram_id)
    # Without a moderators' chat, proposals' cards go to the organiser, who moderates here.
    moderators = config.bot.moderators_chat_id or ORGANISER.telegram_id
    config = replace(
        config, bot=replace(config.bot, admin_ids=admins, moderators_chat_id=moderators)
    )
    language = config.bot.default_language
    deps = build_deps(config)
    fake = FakeTelegram()
    try:
        await prepare_database(deps)
        for person in (MEMBER, ORGANISER):
            fake.add_user(person.telegram_id, person.first_name, language_code=language)
        app = build_application(deps, request=InProcessBotApi(fake))
        async with app:
            await publish_commands(app)
            await app.start()
            chat = ConsoleChat(app, fake, out, deps.texts, language)
            chat.say("console.banner")
            chat.say(
                "console.now",
                name=MEMBER.first_name,
                id=MEMBER.telegram_id,
                role=deps.texts.get(language, MEMBER.role),
            )
            watcher = asyncio.ensure_future(chat.watch())
            lines = _read_lines(stdin, loop)
            while (line := await _next_line(lines, stop)) and line.strip().lower() not in QUIT:
                await chat.handle_line(line)
                if not stdin.isatty():
                    await chat.settle()
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
            chat.show()
            chat.say("console.bye")
            await app.stop()
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)
        await deps.engine.dispose()
