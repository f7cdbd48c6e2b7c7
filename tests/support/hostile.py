"""Hostile updates for the fuzz property test and its regressions (tests/test_hostile_*.py).

A :class:`Step` is what a hostile member does (a text, a command, a press with forged data, a
location at NaN…), by an :data:`ACTORS` entry; :class:`Harness` turns it into the update Telegram
would send (message ids are only known once the bot has spoken) and feeds it to the real
Application, recording what went wrong: exceptions that reached PTB's error handlers, errors
logged by the bot, and requests the Bot API double refused.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import strategies as st
from telegram import Update
from telegram.ext import CallbackQueryHandler, ConversationHandler

from bot.app import build_application, build_deps
from bot.config import parse_config
from bot.console.bot_api import InProcessBotApi
from bot.context import BotApp, Ctx, Deps
from bot.services.surveys.templates import template
from bot.startup import prepare_database
from bot.texts import utf16_length
from handlers import COMMANDS
from tests.conftest import ADMIN_ID, MEMBER_ID, MODERATOR_ID, MODERATORS_CHAT_ID
from tests.support.bot_api import FakeTelegram
from tests.support.driver import MemberChat
from tests.support.proposals import send_proposal
from tests.support.surveys import add_event, create_survey

OTHER_MEMBER = 5555
OTHER_GROUP = -100600
# (user, chat): members in private, a member in the moderators' group (the intruder), moderators
# and organisers where they work, a member and an organiser in another group.
ACTORS: tuple[tuple[int, int], ...] = (
    (MEMBER_ID, MEMBER_ID),
    (OTHER_MEMBER, OTHER_MEMBER),
    (OTHER_MEMBER, MODERATORS_CHAT_ID),
    (MODERATOR_ID, MODERATORS_CHAT_ID),
    (ADMIN_ID, ADMIN_ID),
    (MEMBER_ID, OTHER_GROUP),
    (ADMIN_ID, OTHER_GROUP),  # quick polls are posted in groups
)
HUGE = ("99999999999999999999", "2147483648", "999999999999", "9" * 64, "²", "①", "٣", "-1")
HOSTILE_TEXTS = (
    "<b>gras</b> <i>pas fermé & </a> &amp; &lt; \"'",
    "avant\x00après\x07",
    "\x00",
    "𝕒" * 2100,
    "x" * 4096,
    "\u202eSIHT\u202c \u200fעברית",
    "/sondage_rapide 10 Question 𝕒 <b>?</b> | Oui & non | \x00",
    "/sondage_rapide 5 anonyme " + "𝕒" * 300 + " | A | B",
    "/questionnaire",
    "Lannion",
    "/passer",
    "/annuler",
    "oui",
    "",
    " ",
)
WIDE = "𝕒é€😀<&>\"'\x00\n "


@dataclass(frozen=True)
class Step:
    """One hostile act; ``kind`` says which, the other fields are its parameters."""

    kind: str  # text, press, location, photo, document, poll, edited, inline, sticker
    actor: int = 0
    text: str = ""
    data: str | None = None  # press: forged data (None: a real button, by ``index``)
    index: int = 0  # press: which button or which message; poll: which poll
    inaccessible: bool = False  # press: the message as Telegram gives it when too old
    on_card: bool = False  # press: on the moderators' newest card instead of the last message
    numbers: tuple[float, ...] = ()  # location: latitude, longitude; poll: option ids

    def __str__(self) -> str:
        shown = {k: v for k, v in vars(self).items() if v not in ((), "", None, False, 0)}
        text = shown.get("text")
        if isinstance(text, str) and len(text) > 40:
            shown["text"] = f"{text[:20]!r}…({len(text)} chars)"
        return f"Step({', '.join(f'{k}={v!r}' for k, v in shown.items())})"


def signature(error: BaseException) -> str:
    """Where an exception comes from, for grouping: type and innermost frame of our code."""
    frame = None
    tb = error.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if "/site-packages/" not in name:
            frame = f"{'/'.join(name.rsplit('/', 3)[-3:])}:{tb.tb_lineno}"
        tb = tb.tb_next
    return f"{type(error).__name__} at {frame}"


class _Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class Harness:
    """The real Application fed hostile steps, with what went wrong."""

    app: BotApp
    fake: FakeTelegram
    exceptions: Counter[str] = field(default_factory=Counter)
    refusals: Counter[str] = field(default_factory=Counter)
    updates: int = 0
    examples: list[str] = field(default_factory=list)
    current: Step | None = None
    _seen_refusals: int = 0

    def __post_init__(self) -> None:
        self.fake.add_group(OTHER_GROUP, "Autre groupe")
        for user, _ in ACTORS:
            if user not in self.fake.users:
                self.fake.add_user(user, f"Membre {user}", language_code="fr")
        self.app.add_error_handler(self._on_error)

    async def _on_error(self, _update: object, context: Ctx) -> None:
        error = context.error
        if error is not None:
            self.exceptions[signature(error)] += 1
            self.examples.append(f"{self.current}: {signature(error)}: {error!r}")

    @contextmanager
    def watching_logs(self) -> Iterator[None]:
        """Errors logged by the bot count as failures too (an apology is not an answer)."""
        handler = _Errors()
        root = logging.getLogger()
        root.addHandler(handler)
        try:
            yield
        finally:
            root.removeHandler(handler)
            for record in handler.records:
                if record.name != "handlers.errors":  # the error handler's own log: counted
                    self.exceptions[f"logged by {record.name}: {record.msg}"] += 1
                    self.examples.append(f"{self.current}: logged {record.getMessage()[:200]}")

    async def run(self, step: Step) -> None:
        """Deliver ``step`` (if it makes sense now) and record refused requests."""
        update = self.update_of(step)
        if update is None:
            return
        self.updates += 1
        self.current = step
        await self.app.process_update(Update.de_json(update, self.app.bot))
        for method, status, description in self.fake.refused[self._seen_refusals :]:
            if not _benign(status, description):
                self.refusals[f"{method} {status} {description[:60]}"] += 1
                self.examples.append(f"{step}: {method} -> {status} {description}")
        self._seen_refusals = len(self.fake.refused)

    def update_of(self, step: Step) -> dict[str, Any] | None:  # noqa: PLR0911 (one per kind)
        """The update Telegram would send; texts no longer than Telegram lets members send."""
        user, chat = ACTORS[step.actor % len(ACTORS)]
        limit = {"photo": 1024, "document": 1024, "inline": 256}.get(step.kind, 4096)
        step = replace(step, text=_cut(step.text, limit) or "", data=_cut(step.data, 1024))
        fake = self.fake
        if step.kind == "text":
            return fake.send_text(user, step.text, chat_id=chat)
        if step.kind == "press":
            return self._press(step, user, chat)
        if step.kind == "location":
            latitude, longitude = step.numbers
            return fake.send_location(user, latitude, longitude, chat_id=chat)
        if step.kind == "photo":
            return fake.send_photo(user, caption=step.text or None, chat_id=chat)
        if step.kind == "document":
            update = fake.send_document(user, step.text.encode(), "enquete.toml", chat_id=chat)
            update["message"]["caption"] = step.data or ""
            return update
        if step.kind == "poll":
            return self._vote(step, user)
        if step.kind == "edited":
            message = fake.send_text(user, step.text, chat_id=chat)["message"]
            fake.updates.pop()  # the original was never delivered: only its edit is
            return fake.push_update("edited_message", {**message, "edit_date": message["date"]})
        if step.kind == "inline":
            return fake.inline_query(user, step.text, offset=step.data or "")
        return fake.send_sticker(user, chat_id=chat)

    def _press(self, step: Step, user: int, chat: int) -> dict[str, Any] | None:
        messages = self.fake.bot_messages(MODERATORS_CHAT_ID if step.on_card else chat)
        if step.on_card:
            messages = [m for m in messages if "n°" in str(m.get("text", ""))]
            chat = MODERATORS_CHAT_ID
        if not messages:
            return None
        message = messages[-1] if step.on_card or step.data else messages[-1 - step.index % 4 :][0]
        data = step.data
        if data is None:
            buttons = [
                b for row in self.fake.buttons(message) for b in row if "callback_data" in b
            ]
            if not buttons:
                return None
            data = str(buttons[step.index % len(buttons)]["callback_data"])
        return self.fake.press(
            user, message["message_id"], chat_id=chat, data=data, inaccessible=step.inaccessible
        )

    def _vote(self, step: Step, user: int) -> dict[str, Any] | None:
        polls = [p for p in self.fake.polls.values() if not p["is_closed"]]
        if not polls:
            return None
        poll = polls[step.index % len(polls)]
        count = len(poll["options"])
        options = sorted({int(n) % count for n in step.numbers})
        if not poll["allows_multiple_answers"]:
            options = options[:1]
        return self.fake.answer_poll(user, poll["id"], options)


def _cut(text: str | None, units: int) -> str | None:
    """``text`` cut to ``units`` UTF-16 units (Telegram refuses longer messages from members)."""
    if text is None or utf16_length(text) <= units:
        return text
    kept, used = [], 0
    for char in text:
        used += utf16_length(char)
        if used > units:
            break
        kept.append(char)
    return "".join(kept)


def _benign(status: int, description: str) -> bool:
    """A refusal the bot provokes on purpose and handles: an edit that changes nothing (a button
    pressed twice; the bot edits without comparing and ignores Telegram's 400)."""
    return status == 400 and "not modified" in description


async def start(db_url: str) -> tuple[Harness, Deps]:
    """The real Application on a seeded database (SQLite or PostgreSQL) with a proposal waiting
    for moderation, an upcoming event and an open survey; the caller stops it."""
    config = parse_config(
        {
            "database": {"url": db_url},
            "bot": {
                "admin_ids": [ADMIN_ID],
                "moderator_ids": [MODERATOR_ID],
                "moderators_chat_id": MODERATORS_CHAT_ID,
            },
        }
    )
    deps = build_deps(config)
    await prepare_database(deps)
    fake = FakeTelegram()
    fake.add_group(MODERATORS_CHAT_ID, "Modération")
    app = build_application(deps, request=InProcessBotApi(fake))
    await app.initialize()
    soon = datetime.now(UTC) + timedelta(days=10)
    await add_event(deps.sessions, "rencontre-2030", starts_at=soon, ends_at=soon)
    await add_event(deps.sessions, "rencontre-2013")
    survey_id = await create_survey(deps.sessions, template())
    await deps.surveys.planning.open_to_all(survey_id)
    fake.add_user(MEMBER_ID, "Anne")
    await send_proposal(MemberChat(app, fake, MEMBER_ID, MEMBER_ID))
    return Harness(app, fake), deps


async def stop(harness: Harness, deps: Deps) -> None:
    """Shut the Application down and close the database."""
    await harness.app.shutdown()
    await deps.engine.dispose()


# --- strategies -----------------------------------------------------------------------------


def button_patterns(app: BotApp) -> list[re.Pattern[str]]:
    """Every callback_data pattern of the table (dialogue steps included)."""
    found: list[re.Pattern[str]] = []

    def walk(handlers: Iterable[Any]) -> None:
        for handler in handlers:
            if isinstance(handler, CallbackQueryHandler) and isinstance(
                handler.pattern, re.Pattern
            ):
                found.append(handler.pattern)
            elif isinstance(handler, ConversationHandler):
                walk(handler.entry_points)
                for steps in handler.states.values():
                    walk(steps)
                walk(handler.fallbacks)

    for group in app.handlers.values():
        walk(group)
    return sorted(set(found), key=lambda p: p.pattern)


def _fits(data: str) -> bool:
    return 0 < len(data.encode()) <= 64


def forged_data(patterns: list[re.Pattern[str]]) -> st.SearchStrategy[str]:
    """Data a modified client may send: what each pattern accepts, its prefix with hostile
    fields, or anything at all."""
    matching = st.sampled_from(patterns).flatmap(lambda p: st.from_regex(p, fullmatch=True))
    prefixes = sorted({":".join(p.pattern.lstrip("^").split(":")[:2]) for p in patterns})
    prefixes = [p.replace("\\", "") for p in prefixes if re.fullmatch(r"[a-z_]+:[a-z_]+", p)]
    hostile_fields = st.lists(st.sampled_from((*HUGE, "0", "1")), min_size=1, max_size=2).map(
        ":".join
    )
    prefixed = st.tuples(st.sampled_from(prefixes), hostile_fields).map(":".join)
    anything = st.text(alphabet=WIDE + "abc:0123456789", min_size=1, max_size=40)
    return st.one_of(matching, prefixed, anything).filter(_fits)


def _hostile_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(HOSTILE_TEXTS),
        st.text(alphabet=WIDE + "abcdéèçàôBREST0123456789", max_size=60),
        st.integers(min_value=1, max_value=5000).map(lambda n: "𝕒" * n),
    )


def _argument() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from((*HUGE, "0", "1", "2", "3")),
        st.text(alphabet=WIDE + "abc0123456789", max_size=12),
    )


def _command() -> st.SearchStrategy[str]:
    names = sorted({name for row in COMMANDS for name in row.names} | {"passer", "annuler"})
    name = st.one_of(
        st.sampled_from(names),
        st.sampled_from(("x" * 4090, "x", "é", "inconnue")),
    )
    addressee = st.sampled_from(("", "@innovdeizh_bot", "@autre_bot"))
    args = st.lists(_argument(), max_size=3).map(" ".join)
    return st.tuples(name, addressee, args).map(lambda t: f"/{t[0]}{t[1]} {t[2]}".rstrip())


def _deep_link() -> st.SearchStrategy[str]:
    kinds = st.sampled_from(("lab", "innovation", "event", "survey", "proposer", "LAB", "x"))
    rest = st.one_of(st.sampled_from(HUGE), st.from_regex(r"[A-Za-z0-9_-]{0,60}", fullmatch=True))
    return st.tuples(kinds, rest).map(lambda t: f"/start {t[0]}-{t[1]}")


_COORDINATE = st.one_of(
    st.sampled_from((math.nan, math.inf, -math.inf, 48.2, -4.4, 90.0, -180.0, 1e308)),
    st.floats(allow_nan=True, allow_infinity=True),
)


def steps(patterns: list[re.Pattern[str]]) -> st.SearchStrategy[Step]:
    """One hostile step of any kind."""
    actor = st.integers(min_value=0, max_value=len(ACTORS) - 1)
    index = st.integers(min_value=0, max_value=20)
    text = st.one_of(_command(), _deep_link(), _hostile_text())
    return st.one_of(
        st.builds(Step, st.just("text"), actor, text),
        st.builds(
            Step,
            st.just("press"),
            actor,
            data=st.one_of(st.none(), forged_data(patterns)),
            index=index,
            inaccessible=st.booleans(),
            on_card=st.booleans(),
        ),
        st.builds(Step, st.just("location"), actor, numbers=st.tuples(_COORDINATE, _COORDINATE)),
        st.builds(Step, st.just("photo"), actor, _hostile_text()),
        st.builds(
            Step,
            st.just("document"),
            actor,
            st.sampled_from(("title = 'x'", "\x00", "title = '𝕒'\n[[questions]]\n", "[")),
            data=st.sampled_from(("/enquete_creer rencontre-2013", "/enquete_creer 𝕒", "")),
        ),
        st.builds(
            Step,
            st.just("poll"),
            actor,
            index=index,
            numbers=st.lists(st.integers(0, 9), max_size=3).map(tuple),
        ),
        st.builds(Step, st.just("edited"), actor, text),
        st.builds(
            Step,
            st.just("inline"),
            actor,
            _hostile_text(),
            data=st.sampled_from(("", "1", "²", "999", "-1", "abc")),
        ),
        st.builds(Step, st.just("sticker"), actor),
    )
