"""Who is talking to the bot: member records, languages and roles.

Every update passes through :meth:`MemberService.remember`. To keep that off the database on the
hot path, the service keeps a bounded in-process cache: a returning member costs a lookup, and
the row is written again only when their Telegram profile changed or ``refresh_after`` has passed
(so ``last_seen_at`` is precise to that interval). On PostgreSQL with several instances, a
language chosen on one instance reaches the others within that interval as well.

The cache holds at most ``CACHE_SIZE`` members (the least recently seen leave first) and drops a
member ``refresh_after`` after their last write, so a quiet member costs no memory (under 1 KiB
each, 10 MiB at most).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from cachetools import TTLCache

from storage.db import Sessions
from storage.models import utcnow
from storage.repositories.members import MemberRepository

ADMIN = "admin"
MODERATOR = "moderator"
CACHE_SIZE = 10_000  # members seen within ``refresh_after``; a community of a few thousand fits


@dataclass(frozen=True)
class Identity:
    """What Telegram tells us about the sender of an update."""

    telegram_id: int
    first_name: str = ""
    last_name: str = ""
    username: str = ""
    language_code: str = ""


@dataclass(frozen=True)
class MemberView:
    telegram_id: int
    first_name: str
    language: str
    telegram_language: str
    roles: frozenset[str]
    identity: Identity
    refreshed_at: datetime


class MemberService:
    """Remember members and answer who they are, what language they speak and what they may do."""

    def __init__(
        self,
        sessions: Sessions,
        *,
        admin_ids: tuple[int, ...] = (),
        moderator_ids: tuple[int, ...] = (),
        refresh_after: timedelta = timedelta(minutes=10),
        cache_size: int = CACHE_SIZE,
    ) -> None:
        self._sessions = sessions
        self._admin_ids = frozenset(admin_ids)
        self._moderator_ids = frozenset(moderator_ids)
        self._refresh_after = refresh_after
        self._cache: TTLCache[int, MemberView] = TTLCache(
            maxsize=cache_size, ttl=refresh_after.total_seconds()
        )

    async def remember(self, who: Identity) -> MemberView:
        """The member's view, written to the database only when something changed."""
        cached = self._cache.get(who.telegram_id)
        now = utcnow()
        if (
            cached is not None
            and cached.identity == who
            and now - cached.refreshed_at < self._refresh_after
        ):
            return cached
        async with self._sessions.begin() as session:
            row = await MemberRepository(session).upsert_seen(
                telegram_id=who.telegram_id,
                first_name=who.first_name,
                last_name=who.last_name,
                username=who.username,
                telegram_language=who.language_code,
                seen_at=now,
            )
            view = MemberView(
                telegram_id=row.telegram_id,
                first_name=row.first_name,
                language=row.language,
                telegram_language=row.telegram_language,
                roles=self._roles(row.telegram_id, row.roles),
                identity=who,
                refreshed_at=now,
            )
        self._cache[who.telegram_id] = view
        return view

    def cached(self, telegram_id: int) -> MemberView | None:
        return self._cache.get(telegram_id)

    async def set_language(self, telegram_id: int, language: str) -> None:
        """Keep the member's language choice."""
        async with self._sessions.begin() as session:
            await MemberRepository(session).set_language(telegram_id, language)
        cached = self._cache.get(telegram_id)
        if cached is not None:
            self._cache[telegram_id] = replace(cached, language=language)

    async def takes_announcements(self, telegram_id: int) -> bool:
        """Whether the member accepts the network's announcements (/annonce)."""
        async with self._sessions.begin() as session:
            member = await MemberRepository(session).get(telegram_id)
        return member is None or member.opt_in_announcements

    async def toggle_announcements(self, telegram_id: int) -> bool:
        """« Annonces du réseau » in /abonnements; True when the member now accepts them."""
        async with self._sessions.begin() as session:
            return await MemberRepository(session).toggle_announcements(telegram_id)

    async def mark_unreachable(self, telegram_id: int) -> None:
        """Telegram said the member blocked the bot: stop sending to them."""
        async with self._sessions.begin() as session:
            await MemberRepository(session).mark_unreachable(telegram_id)
        self._cache.pop(telegram_id, None)

    def forget_cached(self, telegram_id: int) -> None:
        self._cache.pop(telegram_id, None)

    def is_admin(self, telegram_id: int) -> bool:
        return telegram_id in self._admin_ids

    def is_moderator(self, telegram_id: int) -> bool:
        """Admins, configured moderators, and members given the role in the database."""
        if telegram_id in self._admin_ids or telegram_id in self._moderator_ids:
            return True
        cached = self._cache.get(telegram_id)
        return cached is not None and MODERATOR in cached.roles

    @property
    def admin_ids(self) -> frozenset[int]:
        return self._admin_ids

    def _roles(self, telegram_id: int, stored: str) -> frozenset[str]:
        roles = set(stored.split())
        if telegram_id in self._admin_ids:
            roles |= {ADMIN, MODERATOR}
        if telegram_id in self._moderator_ids:
            roles.add(MODERATOR)
        return frozenset(roles)
