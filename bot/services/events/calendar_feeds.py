"""Calendar feeds: every gathering (``/calendar/events.ics``) and each member's own
(``/calendar/m/<token>.ics``), so a phone's calendar follows moves and cancellations.

Decisions:

- A feed lists the gatherings starting from ``HISTORY`` (30 days) ago on. A subscribed
  calendar replaces its whole content at each refresh, so an event left out vanishes from the
  phone: last month's gatherings stay in the member's calendar, and a cancelled one stays too,
  with STATUS:CANCELLED and « Annulée : » before its title (some apps ignore the status), until
  it is 30 days past.
- The member's feed lists the gatherings they said « Je viens » to: not « Peut-être » (a phone
  shows a subscribed event like any other, as a commitment), nor the waiting list (no place
  yet). Changing the answer takes the event out at the next refresh.
- DTSTAMP is the event row's last write, not the time of the request: the same data gives the
  same bytes, so the ETag answers 304 until something changes.
- Tokens are ``secrets.token_urlsafe(24)`` (192 random bits), one per member, made the first
  time the member asks for the link; anything but 32 URL-safe characters is refused before the
  database is asked (a NUL or a 10 kB token never reaches PostgreSQL). Tokens are never logged.
"""

from __future__ import annotations

import html
import re
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError

from bot.services.events.calendar_files import event_entry, new_calendar
from bot.services.events.messages import EventMessages
from bot.services.events.views import view_of
from storage.db import Sessions
from storage.models import Event, utcnow
from storage.repositories.events_calendar import CalendarFeedRepository

HISTORY = timedelta(days=30)
FEED_LIMIT = 500  # events in one feed: a regional network publishes a few dozen a year
REFRESH = timedelta(hours=1)  # how often a phone is asked to fetch the feed again
TOKEN_BYTES = 24
TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")  # what token_urlsafe(24) gives, and nothing else
MEMBER_PATH = "/calendar/m/{token}.ics"
PUBLIC_PATH = "/calendar/events.ics"


class CalendarFeeds:
    """Members' private calendar links and the feeds behind them."""

    def __init__(self, sessions: Sessions, messages: EventMessages, public_url: str = "") -> None:
        self._sessions = sessions
        self._messages = messages
        self._public_url = public_url.rstrip("/")
        self.bot_username = ""  # the deep links' bot (t.me/<bot>?start=event-<id>) once known

    def know_bot(self, username: str | None) -> None:
        """The bot's @username, for each event's URL (its card in Telegram)."""
        self.bot_username = username or self.bot_username

    @property
    def offered(self) -> bool:
        """Whether members can be given a link: the server's public address is configured."""
        return bool(self._public_url)

    def public_link(self) -> str:
        return self._public_url + PUBLIC_PATH

    def _member_link(self, token: str) -> str:
        return self._public_url + MEMBER_PATH.format(token=token)

    async def link(self, member_id: int) -> str:
        """The member's private feed address, made on the first request."""
        try:
            async with self._sessions.begin() as session:
                repo = CalendarFeedRepository(session)
                token = await repo.token_of(member_id)
                if token is None:
                    token = secrets.token_urlsafe(TOKEN_BYTES)
                    await repo.add_token(member_id, token)
        except IntegrityError:  # two first requests at once: the other one made it (an
            # update here would replace the token the other request has just given out)
            async with self._sessions.begin() as session:
                token = await CalendarFeedRepository(session).token_of(member_id)
            if token is None:
                raise
        return self._member_link(token)

    async def reset(self, member_id: int) -> str:
        """A new private address; the old one answers 404 from now on."""
        token = secrets.token_urlsafe(TOKEN_BYTES)
        async with self._sessions.begin() as session:
            await CalendarFeedRepository(session).replace_token(member_id, token)
        return self._member_link(token)

    async def member_feed(self, token: str, now: datetime | None = None) -> bytes | None:
        """The feed of the gatherings the token's member comes to; None for no such token."""
        if not TOKEN.fullmatch(token):
            return None
        since = (now or utcnow()) - HISTORY
        async with self._sessions.begin() as session:
            repo = CalendarFeedRepository(session)
            member_id = await repo.member_of(token)
            if member_id is None:
                return None
            chosen, telegram = await repo.language_of(member_id)
            events = await repo.coming_since(member_id, since, FEED_LIMIT)
        language = self._messages.texts.pick_language(chosen, telegram)
        return self._feed(events, language, "events.calendar.name_mine", now or utcnow())

    async def public_feed(self, now: datetime | None = None) -> bytes:
        """The feed of every gathering, in the bot's default language."""
        since = (now or utcnow()) - HISTORY
        async with self._sessions.begin() as session:
            events = await CalendarFeedRepository(session).events_since(since, FEED_LIMIT)
        language = self._messages.texts.default_language
        return self._feed(events, language, "events.calendar.name_all", now or utcnow())

    def _feed(self, events: Sequence[Event], language: str, name_key: str, now: datetime) -> bytes:
        from icalendar import vDuration, vText  # noqa: PLC0415  (see calendar_files)

        texts, tz = self._messages.texts, self._messages.tz
        name = html.unescape(texts.get(language, name_key))
        calendar = new_calendar(tz, "PUBLISH")
        calendar.add("name", name)
        calendar.add("x-wr-calname", vText(name))
        calendar.add("x-wr-timezone", str(tz))
        calendar.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(REFRESH))
        for event in events:
            view = view_of(event, 0, now)
            summary = view.title
            if view.cancelled:
                cancelled = texts.get(language, "events.calendar.cancelled", title=view.title)
                summary = html.unescape(cancelled)
            url = f"https://t.me/{self.bot_username}?start=event-{view.id}"
            stamp = view.changed_at or view.starts_at
            entry = event_entry(
                view, tz, stamp, summary=summary, url=url if self.bot_username else ""
            )
            calendar.add_component(entry)
        return bytes(calendar.to_ical())
