"""The members of the hand-over test and bench: 50 people on their phones, each sending the next
message only once the bot has answered the last, and 500 reminders coming due meanwhile.

The double (:class:`CountingTelegram`) counts, as it records them, the bot's messages in each
member's chat, reminders apart (their cards carry the event's title, « Rencontre HA … »), and
notes which bot process sent each (the loopback server it came through).
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select

from bot.console.bot_api.records import Upload
from storage.db import create_engine
from storage.models import Event, EventReminder, Member, Proposal, Rsvp
from tests.support.bot_api import FakeTelegram
from tests.support.driver import plain
from tests.support.http_server import SERVING

FIRST_MEMBER = 7001
REMINDER_TITLE = "Rencontre HA "
# Commands answered with one message each, whatever the member's state.
SIMPLE = ("/aide", "/start", "/frobnicate", "/confidentialite", "/labs", "/innovations")
STEP_TIMEOUT = 40.0  # longer than a hand-over after SIGKILL (≤ 15 s) with room to spare
RETYPED_TIMEOUT = 15.0  # a step typed again after its update was reported in doubt
PRIVATE = "🔒 Seulement pour les organisateurs"


@dataclass(frozen=True)
class Send:
    """One thing a member does, and how many bot messages answer it."""

    text: str  # the text typed, or the button's label ("" = the first button)
    replies: int = 1
    button_of: str = ""  # press a button of the newest bot message containing this


@dataclass(frozen=True)
class Sent:
    """An update a member sent: its id, the replies it should get, replies seen before it."""

    update_id: int
    replies: int
    before: int


class CountingTelegram(FakeTelegram):
    """The double, counting each chat's replies and reminders as they are performed."""

    def __init__(self) -> None:
        super().__init__()
        self.members: frozenset[int] = frozenset()
        self.replies: dict[int, int] = {}
        self.reminders: dict[tuple[int, str], int] = {}
        # (monotonic time, server label, chat) of every reply to a member, oldest first.
        self.reply_log: list[tuple[float, str, int]] = []
        self.reminder_log: list[tuple[float, str]] = []
        # Called with the number of replies so far, as each is performed (before the bot
        # reads Telegram's answer): where a test kills or stops the process that sent it.
        self.on_reply: Callable[[int], None] | None = None
        self.on_reminder: Callable[[int], None] | None = None  # the same, for reminders
        # One event per member, set at each reply: 50 phones re-checking at every call the
        # double records (FakeTelegram.wait_for) cost more CPU than the bot under test.
        self._wakers: dict[int, asyncio.Event] = {}

    def waker(self, member: int) -> asyncio.Event:
        """Set whenever ``member`` gets a reply (or :meth:`nudge` is called)."""
        return self._wakers.setdefault(member, asyncio.Event())

    def nudge(self) -> None:
        """Wake every phone (to read news such as updates in doubt)."""
        for event in self._wakers.values():
            event.set()

    async def call(
        self,
        method: str,
        params: dict[str, Any],
        files: Mapping[str, bytes | Upload] | None = None,
    ) -> tuple[int, dict[str, Any]]:
        status, body = await super().call(method, params, files)
        if method.lower() == "sendmessage" and status == 200:
            chat = int(body["result"]["chat"]["id"])
            if chat in self.members:
                self._count(chat, str(body["result"].get("text", "")))
        return status, body

    def _count(self, chat: int, text: str) -> None:
        now = self.clock()
        at = text.find(REMINDER_TITLE)
        if at >= 0:
            title = text[at : at + len(REMINDER_TITLE) + 3]
            self.reminders[chat, title] = self.reminders.get((chat, title), 0) + 1
            self.reminder_log.append((now, SERVING.get()))
            if self.on_reminder is not None:
                self.on_reminder(len(self.reminder_log))
        else:
            self.replies[chat] = self.replies.get(chat, 0) + 1
            self.reply_log.append((now, SERVING.get(), chat))
            self.waker(chat).set()
            if self.on_reply is not None:
                self.on_reply(len(self.reply_log))

    @property
    def answered(self) -> int:
        """Replies to members so far (reminders apart)."""
        return len(self.reply_log)


def proposal(member: int, number: int) -> tuple[dict[str, str], list[Send]]:
    """The answers of one guided proposal (/proposer) and the steps that give them."""
    answers = {
        "name": f"Zorglub {member} quintessence {number}",
        "description": f"Le membre {member} répare des objets, atelier numéro {number}.",
        "commune": "Lannion",
        "organisation": f"Collectif Zorglub {member}-{number}",
        "contact": f"membre{member}.{number}@example.org",
    }
    steps = [
        Send("/proposer", replies=2),
        Send(answers["name"]),
        Send(answers["description"]),
        Send("", button_of="3/8"),  # the first theme
        Send(answers["commune"]),
        Send(answers["organisation"]),
        Send("/passer"),  # no website
        Send(answers["contact"]),
        Send(PRIVATE, button_of="affiché publiquement"),
        Send("/passer"),  # no photo
        Send("📨 Envoyer", button_of="Ton initiative"),
    ]
    return answers, steps


def script(
    member: int, updates: int, *, dialogues: bool = True
) -> tuple[list[dict[str, str]], list[Send]]:
    """A member's ``updates`` sends: a few commands, a proposal, commands, a proposal, commands
    (fewer than 30 updates: one proposal; ``dialogues=False``: commands only)."""
    simple = [Send(SIMPLE[(member + i) % len(SIMPLE)]) for i in range(updates)]
    if not dialogues:
        return [], simple
    count = 2 if updates >= 30 else 1 if updates >= 11 else 0
    answers, steps = [], []
    rest = updates - 11 * count
    cuts = [rest // 5, rest // 5 + (rest - rest // 5) // 2] if count == 2 else [rest // 2]
    at = 0
    for number, cut in enumerate(cuts[:count], start=1):
        steps += simple[at:cut]
        at = cut
        given, more = proposal(member, number)
        answers.append(given)
        steps += more
    steps += simple[at:rest]
    return answers, steps


class Phone:
    """One member sending their script, waiting for each answer as a person would."""

    def __init__(
        self, fake: CountingTelegram, member: int, updates: int, *, dialogues: bool = True
    ) -> None:
        self.fake = fake
        self.member = member
        self.answers, self.steps = script(member, updates, dialogues=dialogues)
        self.sent: list[Sent] = []
        self.in_doubt: set[int] = set()  # updates the next leader said it would not handle
        self.retyped: list[tuple[int, int]] = []  # (update in doubt, replies it had had)
        self.unanswered: list[tuple[int, int]] = []  # (retyped update, replies it asked)

    @property
    def expected(self) -> int:
        return sum(step.replies for step in self.steps)

    def _replies(self) -> int:
        return self.fake.replies.get(self.member, 0)

    async def run(self, seed: int) -> None:
        """Send every step, each once the previous one is answered in full; a step whose update
        the bot reported in doubt (``in_doubt``) and left unanswered is typed again, once."""
        await asyncio.sleep(random.Random(seed).uniform(0, 0.5))
        for step in self.steps:
            again = False
            while True:
                before = self._replies()
                update_id = int(self._send(step)["update_id"])
                self.sent.append(Sent(update_id, step.replies, before))
                want = before + step.replies
                try:
                    await self._until(
                        lambda: self._replies() >= want or update_id in self.in_doubt,  # noqa: B023
                        RETYPED_TIMEOUT if again else STEP_TIMEOUT,
                    )
                except TimeoutError:
                    if not again:
                        raise
                    # The update in doubt had done its work (a proposal sent, say) without its
                    # message: typed again, the step is answered without one (a button's toast).
                    self.unanswered.append((update_id, step.replies))
                    break
                if self._replies() >= want:
                    break
                self.retyped.append((update_id, self._replies() - before))
                again = True

    @property
    def owed(self) -> int:
        """The replies this member should have had: every step's, once, and what an update in
        doubt was given before it was typed again (a retyped step answered without a message
        owes none)."""
        given = sum(replies for _update, replies in self.retyped)
        return self.expected + given - sum(replies for _update, replies in self.unanswered)

    async def _until(self, done: Callable[[], bool], timeout: float) -> None:  # noqa: ASYNC109
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        event = self.fake.waker(self.member)
        while not done():
            event.clear()
            remaining = deadline - loop.time()
            if remaining <= 0:
                last = self.sent[-1].update_id
                raise TimeoutError(f"member {self.member}: no answer to update {last}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)

    def _send(self, step: Send) -> dict[str, Any]:
        if not step.button_of:
            return self.fake.send_text(self.member, step.text)
        for message in reversed(self.fake.bot_messages(self.member)):
            if step.button_of in plain(str(message.get("text", ""))):
                rows = self.fake.buttons(message)
                labels = [b["text"] for row in rows for b in row]
                label = next((b for b in labels if plain(b) == plain(step.text)), labels[0])
                return self.fake.press(self.member, message["message_id"], text=label)
        raise AssertionError(f"member {self.member}: no message with {step.button_of!r}")

    def answered_of(self, sent: Sent) -> int:
        """Replies seen so far for one of this member's updates (at most what it asks)."""
        later = [s.before for s in self.sent if s.before > sent.before]
        end = min([*later, self._replies()])
        return max(0, min(sent.replies, end - sent.before))


def audience(fake: CountingTelegram, members: int) -> list[int]:
    """``members`` people who have started the bot; their ids."""
    ids = list(range(FIRST_MEMBER, FIRST_MEMBER + members))
    fake.members = frozenset(ids)
    for member in ids:
        fake.add_user(member, f"Membre {member}", language_code="fr")
    return ids


def phones(
    fake: CountingTelegram, members: int, updates: int, *, dialogues: bool = True
) -> list[Phone]:
    """``members`` phones sharing ``updates`` sends (the first ones send one more if uneven)."""
    share, extra = divmod(updates, members)
    return [
        Phone(fake, m, share + (i < extra), dialogues=dialogues)
        for i, m in enumerate(audience(fake, members))
    ]


async def add_reminders(
    url: str, members: list[int], count: int, first_due: datetime, spread: float
) -> list[tuple[int, str, int]]:
    """``count`` events, one member each asked to be reminded 2 h before, the reminders due
    between ``first_due`` and ``spread`` seconds later; returns (member, title, event id) per
    reminder."""
    engine = create_engine(url)
    now = datetime.now(UTC)
    dues = [first_due + timedelta(seconds=spread * i / max(count, 1)) for i in range(count)]
    titles = [f"{REMINDER_TITLE}{i:03d}" for i in range(count)]
    owners = [members[i % len(members)] for i in range(count)]
    try:
        async with engine.begin() as conn:
            await conn.execute(insert(Member), [
                {"telegram_id": m, "first_name": f"Membre {m}", "last_name": "", "username": "",
                 "language": "", "telegram_language": "fr", "roles": "",
                 "opt_in_announcements": True, "is_reachable": True, "created_at": now,
                 "last_seen_at": now} for m in members])  # fmt: skip
            await conn.execute(insert(Event), [
                {"slug": f"ha-{i}", "title": titles[i], "description": "", "place": "Rennes",
                 "address": "", "commune": "", "theme": "", "starts_at": due + timedelta(hours=2),
                 "reminder_offsets": "120", "repeats_yearly": False, "schedule_rev": 0,
                 "created_at": now, "updated_at": now} for i, due in enumerate(dues)])  # fmt: skip
            ids = dict((await conn.execute(select(Event.slug, Event.id))).all())
            await conn.execute(insert(EventReminder), [
                {"event_id": ids[f"ha-{i}"], "offset_minutes": 120, "due_at": due,
                 "state": "pending", "rev": 0} for i, due in enumerate(dues)])  # fmt: skip
            await conn.execute(insert(Rsvp), [
                {"event_id": ids[f"ha-{i}"], "member_id": owners[i], "answer": "yes",
                 "remind": True, "updated_at": now} for i in range(count)])  # fmt: skip
    finally:
        await engine.dispose()
    return [(owners[i], titles[i], ids[f"ha-{i}"]) for i in range(count)]


async def stored_proposals(url: str) -> dict[int, list[dict[str, Any]]]:
    """The proposals in the database, per member, in order."""
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            query = select(Proposal.__table__).order_by(Proposal.id)
            rows = (await conn.execute(query)).mappings().all()
    finally:
        await engine.dispose()
    found: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        found.setdefault(int(row["member_id"] or 0), []).append(dict(row))
    return found
