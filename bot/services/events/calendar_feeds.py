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
- Phones poll a feed that rarely changes, and icalendar takes about 1.2 ms per event (500
  events: 0.56 s): each feed's bytes are kept (``CACHE_SIZE`` feeds, least recently used out)
  with the values they were made from, read again from the database at every request, so a
  change is served at once and an unchanged feed costs one query. A feed is made in a worker
  thread, so a big one does not hold up the bot's updates.
- Tokens are ``secrets.token_urlsafe(24)`` (192 random bits), one per member, made the first
  time the member asks for the link; anything but 32 URL-safe characters is refused before the
  database is asked (a NUL or a 10 kB token never reaches PostgreSQL). Tokens are never logged.
"""

from __future__ import annotations

import asyncio
import html
import re
import secrets
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError

from bot.services.events.calendar_files import event_entry, new_calendar
from bot.services.events.messages import EventMessages
from bot.services.events.views import EventView, view_of
from storage.db import Sessions
from storage.models import Event, utcnow
from storage.repositories.events_calendar import CalendarFeedRepository

HISTORY = timedelta(days=30)
FEED_LIMIT = 500  # events in one feed: a regional network publishes a few dozen a year
REFRESH = timedelta(hours=1)  # how often a phone is asked to fetch the feed again
TOKEN_BYTES = 24
TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")  # what token_urlsafe(24) gives, and nothing else
CACHE_SIZE = 2000  # feeds kept made (a member's is a few kB; every gathering's up to 250 kB)
MEMBER_PATH = "/calendar/m/{token}.ics"
PUBLIC_PATH = "/calendar/events.ics"


class CalendarFeeds:
    """Members' private calendar links and the feeds behind them."""

    def __init__(self, sessions: Sessions, messages: EventMessages, public_url: str = "") -> None:
        self._sessions = sessions
        self._messages = messages
        self._public_url = public_url.rstrip("/")
        self.bot_username = ""  # the deep links' bot (t.me/<bot>?start=event-<id>) once known
        self._made: OrderedDict[Hashable, tuple[Hashable, bytes]] = OrderedDict()

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
        name_key = "events.calendar.name_mine"
        return await self._feed(("member", member_id), events, language, name_key)

    async def public_feed(self, now: datetime | None = None) -> bytes:
        """The feed of every gathering, in the bot's default language."""
        since = (now or utcnow()) - HISTORY
        async with self._sessions.begin() as session:
            events = await CalendarFeedRepository(session).events_since(since, FEED_LIMIT)
        language = self._messages.texts.default_language
        return await self._feed("public", events, language, "events.calendar.name_all")

    async def _feed(
        self, key: Hashable, events: Sequence[Event], language: str, name_key: str
    ) -> bytes:
        """The feed's bytes: the ones kept if made from the same values, else made now."""
        # The views carry every value the bytes are made of (the row's last write alone would
        # trust every writer to touch it).
        views = tuple(view_of(event, 0, event.starts_at) for event in events)
        made_of = (language, self.bot_username, views)
        kept = self._made.get(key)
        if kept is not None and kept[0] == made_of:
            self._made.move_to_end(key)
            return kept[1]
        body = await asyncio.to_thread(self._make, views, language, name_key, self.bot_username)
        self._made[key] = (made_of, body)
        self._made.move_to_end(key)
        while len(self._made) > CACHE_SIZE:
            self._made.popitem(last=False)
        return body

    def _make(
        self, views: Sequence[EventView], language: str, name_key: str, bot_username: str
    ) -> bytes:
        from icalendar import vDuration, vText  # noqa: PLC0415  (see calendar_files)

        texts, tz = self._messages.texts, self._messages.tz
        name = html.unescape(texts.get(language, name_key))
        calendar = new_calendar(tz, "PUBLISH")
        calendar.add("name", name)
        calendar.add("x-wr-calname", vText(name))
        calendar.add("x-wr-timezone", str(tz))
        calendar.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(REFRESH))
        for view in views:
            summary = view.title
            if view.cancelled:
                cancelled = texts.get(language, "events.calendar.cancelled", title=view.title)
                summary = html.unescape(cancelled)
            url = f"https://t.me/{bot_username}?start=event-{view.id}" if bot_username else ""
            stamp = view.changed_at or view.starts_at
            calendar.add_component(event_entry(view, tz, stamp, summary=summary, url=url))
        return bytes(calendar.to_ical())
