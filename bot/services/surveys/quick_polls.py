"""Quick polls: one native poll posted by an organiser in a group, closed at a set time.

Decisions: a non-anonymous poll is tallied from the poll_answer votes as they come (live
results); an anonymous one sends no poll_answer, so its totals are those Telegram returns when
the bot stops the poll: at the closing time, or as soon as someone asks for results after it.
Percentages are over the voters, rounded half up, like the surveys. The closing time is a
number of minutes (« 10 ») or a date in the events' French grammar (« demain 9h », « dans 2
heures », « lundi 14h30 »); a time past, under a minute away or more than a week away is refused
with its reason (QuickPollWhen).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.formatting import percent
from bot.services.french_dates import DateNotUnderstood, parse_french_datetime
from storage.db import Sessions
from storage.models import QuickPoll, utcnow
from storage.repositories.surveys_quick_polls import QuickPollRepository

MIN_MINUTES, MAX_MINUTES = 1, 7 * 24 * 60
DATE_WORDS = 6  # « jeudi 13 février 2027 à 9h30 »: the longest date is six words


class QuickPollWhen(ValueError):
    """The closing time is understood but refused: ``reason`` is "past", "soon" or "far"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class QuickPollUsage(ValueError):
    """The command could not be read as « minutes [anonyme] question | option | option »."""


@dataclass(frozen=True)
class QuickPollDraft:
    question: str
    options: tuple[str, ...]
    minutes: int
    anonymous: bool
    closes_at: datetime | None = None  # when typed as a date (else: now + minutes)


@dataclass(frozen=True)
class QuickPollResults:
    id: int
    question: str
    options: tuple[str, ...]
    counts: tuple[int, ...]
    voters: int
    anonymous: bool
    closed: bool
    closes_at: datetime
    chat_id: int
    message_id: int

    @property
    def percents(self) -> tuple[int, ...]:
        return tuple(percent(count, self.voters) for count in self.counts)

    @property
    def totals_known(self) -> bool:
        return self.closed or not self.anonymous


def parse_command(
    text: str, now: datetime | None = None, tz: ZoneInfo | None = None
) -> QuickPollDraft:
    """« 10 anonyme Question ? | A | B », or a date first: « demain 9h Question ? | A | B » (the
    word « anonyme »/« anonymous » is optional)."""
    now = now or utcnow()
    head, _, rest = text.strip().partition(" ")
    closes_at = None
    if head.isdigit():
        minutes = int(head)
        if minutes > MAX_MINUTES:
            raise QuickPollWhen("far")
        if minutes < MIN_MINUTES:
            raise QuickPollWhen("soon")
    else:
        closes_at, rest = _closing_date(text, now, tz or ZoneInfo("Europe/Paris"))
        minutes = max(MIN_MINUTES, int((closes_at - now).total_seconds() // 60))
    anonymous = False
    first, _, after = rest.strip().partition(" ")
    if first.casefold() in {"anonyme", "anonymous"}:
        anonymous, rest = True, after
    parts = [part.strip() for part in rest.split("|")]
    question, options = parts[0], tuple(p for p in parts[1:] if p)
    if not 1 <= len(question) <= 300 or not 2 <= len(options) <= 12:
        raise QuickPollUsage(text)
    if any(len(option) > 100 for option in options):
        raise QuickPollUsage(text)
    return QuickPollDraft(question, options, minutes, anonymous, closes_at)


def _closing_date(text: str, now: datetime, tz: ZoneInfo) -> tuple[datetime, str]:
    """The longest date the text starts with, and what follows it."""
    before_options = text.strip().partition("|")[0]
    for count in range(min(DATE_WORDS, len(before_options.split())), 0, -1):
        words = text.strip().split(maxsplit=count)
        try:
            when = parse_french_datetime(" ".join(words[:count]), now, tz)
        except DateNotUnderstood:
            continue
        if when <= now:
            raise QuickPollWhen("past")
        if when - now < timedelta(minutes=MIN_MINUTES):
            raise QuickPollWhen("soon")
        if when - now > timedelta(minutes=MAX_MINUTES):
            raise QuickPollWhen("far")
        return when.astimezone(now.tzinfo), words[count] if len(words) > count else ""
    raise QuickPollUsage(text)


class QuickPollService:
    """Post, count, close and read quick polls."""

    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions
        self._schedule_listeners: list[Callable[[], None]] = []

    def on_schedule_changed(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` after a poll is posted (a new closing time to wake up at)."""
        self._schedule_listeners.append(listener)

    async def posted(
        self,
        draft: QuickPollDraft,
        poll: tuple[str, int, int],
        created_by: int,
        closes_at: datetime,
    ) -> QuickPollResults:
        """Remember a poll just sent (``poll`` = poll id, chat id, message id)."""
        poll_id, chat_id, message_id = poll
        async with self._sessions.begin() as session:
            row = await QuickPollRepository(session).add(
                QuickPoll(
                    poll_id=poll_id,
                    chat_id=chat_id,
                    message_id=message_id,
                    question=draft.question,
                    options="\n".join(draft.options),
                    anonymous=draft.anonymous,
                    closes_at=closes_at,
                    created_by=created_by,
                )
            )
            results = await _results(QuickPollRepository(session), row)
        for listener in self._schedule_listeners:
            listener()
        return results

    async def on_vote(self, poll_id: str, member_id: int, option_ids: list[int]) -> bool:
        """Store (or retract) a vote; False if the poll is not a quick poll."""
        async with self._sessions.begin() as session:
            repo = QuickPollRepository(session)
            row = await repo.by_poll_id(poll_id)
            if row is None:
                return False
            if row.closed_at is None:
                if option_ids:
                    choices = ",".join(str(i) for i in sorted(set(option_ids)))
                    await repo.put_vote(row.id, member_id, choices)
                else:
                    await repo.remove_vote(row.id, member_id)
            return True

    async def results(self, quick_poll_id: int) -> QuickPollResults | None:
        async with self._sessions() as session:
            repo = QuickPollRepository(session)
            row = await repo.get(quick_poll_id)
            return None if row is None else await _results(repo, row)

    async def latest_in(
        self, chat_id: int, limit: int = 8, *, open_only: bool = False
    ) -> list[QuickPollResults]:
        """The chat's newest quick polls, for the organisers' buttons."""
        async with self._sessions() as session:
            repo = QuickPollRepository(session)
            rows = await repo.latest_in(chat_id, limit, open_only=open_only)
            return [await _results(repo, row) for row in rows]

    async def due(self, now: datetime | None = None) -> list[QuickPollResults]:
        """Open quick polls whose closing time has come (the caller stops them)."""
        async with self._sessions() as session:
            repo = QuickPollRepository(session)
            return [await _results(repo, row) for row in await repo.due(now or utcnow())]

    async def next_closing(self) -> datetime | None:
        """When the next open quick poll closes."""
        async with self._sessions() as session:
            return await QuickPollRepository(session).next_closing()

    async def closed(self, quick_poll_id: int, final_counts: list[int]) -> None:
        """Keep the totals Telegram gave when the poll was stopped."""
        async with self._sessions.begin() as session:
            row = await QuickPollRepository(session).get(quick_poll_id)
            if row is not None and row.closed_at is None:
                row.closed_at = utcnow()
                row.final_counts = "\n".join(str(n) for n in final_counts)


async def _results(repo: QuickPollRepository, row: QuickPoll) -> QuickPollResults:
    options = tuple(row.options.split("\n"))
    if row.final_counts:
        counts = [int(n) for n in row.final_counts.split("\n")]
        voters = None
    else:
        counts = [0] * len(options)
        voters = 0
        for choices, n in await repo.vote_counts(row.id):
            voters += n
            for index in choices.split(","):
                if index.isdigit() and int(index) < len(counts):
                    counts[int(index)] += n
    return QuickPollResults(
        id=row.id,
        question=row.question,
        options=options,
        counts=tuple(counts),
        # Telegram's final counts are per option; single-answer polls have one vote per voter.
        voters=sum(counts) if voters is None else voters,
        anonymous=row.anonymous,
        closed=row.closed_at is not None,
        closes_at=row.closes_at,
        chat_id=row.chat_id,
        message_id=row.message_id,
    )
