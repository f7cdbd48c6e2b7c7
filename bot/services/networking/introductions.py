"""Introductions, double opt-in: a request, the other's answer, then contacts or the relay.

Rules: the target must have a visible profile open to introductions, and no block either way;
the requester must have a profile (the target sees its visible fields); at most
``max_pending`` requests wait for an answer per requester; the same person may be asked again
only ``AGAIN_AFTER`` after the last request. Contacts are given only once the target accepted:
each gets the other's @username when the other has one and agreed to share it, otherwise a
button to write through the bot, until one of them shares a contact. A refusal is never named:
the requester hears « n'a pas abouti » at the date an unanswered request would expire, the
same message as for no answer. A block is silent and both ways; a report blocks too and shows
the moderators who wrote to whom and when, never what. Everything sent to a member goes
through the outbox (one row per purpose and chat: exactly once).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.delivery.outbox import DeliveryService, outbox_rows
from bot.services.networking.fields import NOTE_LIMIT, one_line
from bot.services.networking.messages import NetworkingMessages
from bot.services.networking.profiles import many_in, own_in
from bot.services.networking.reports import trail_text
from bot.services.networking.sending import Answer, Sender, other_of
from bot.services.networking.views import Card, OwnProfile
from storage.db import Sessions
from storage.models import Introduction, utcnow
from storage.repositories.conversations import OrganiserDraftRepository
from storage.repositories.delivery import OutboxRepository
from storage.repositories.networking import ProfileRepository
from storage.repositories.networking_introductions import (
    BlockRepository,
    IntroductionRepository,
    ReportRepository,
)

ANSWER_WITHIN = timedelta(days=7)
AGAIN_AFTER = timedelta(days=30)
DRAFT = "networking"  # the kind of the member's dialogue draft (with organisers' drafts)


class IntroductionRefused(Exception):
    """Why a request cannot be made: "unavailable", "no_profile", "too_many", "already"."""

    def __init__(self, reason: str, limit: int = 0) -> None:
        super().__init__(reason)
        self.reason = reason
        self.limit = limit


class IntroductionService(Sender):
    """Requests, answers, expiry, blocks and reports (the relay is RelayService's)."""

    def __init__(
        self,
        sessions: Sessions,
        delivery: DeliveryService,
        messages: NetworkingMessages,
        *,
        max_pending: int = 5,
        moderators_chat_id: int = 0,
        moderator_ids: tuple[int, ...] = (),
        tz: ZoneInfo | None = None,
    ) -> None:
        super().__init__(sessions, delivery, messages)
        self.max_pending = max_pending
        self._moderators = (moderators_chat_id,) if moderators_chat_id else moderator_ids
        self._tz = tz or ZoneInfo("Europe/Paris")

    async def target(self, requester_id: int, target_id: int) -> Card:
        """The card of whom the member wants to meet, if a request may be made now."""
        async with self._sessions() as session:
            return await self._check(session, requester_id, target_id)

    async def innovation_contact(self, viewer_id: int, innovation_id: int) -> int | None:
        """Whom « Proposer une mise en relation » on an innovation's card would ask: its
        proposer, when they made their contact public and have a visible profile open to
        introductions, with no block between them and the viewer."""
        async with self._sessions() as session:
            member_id = await ProfileRepository(session).innovation_contact(innovation_id)
            if member_id is None or member_id == viewer_id:
                return None
            target = await own_in(session, member_id)
            if not target.visible or target.contact == "closed":
                return None
            if await BlockRepository(session).either_way(viewer_id, member_id):
                return None
            return member_id

    async def propose(self, requester_id: int, target_id: int, note: str = "") -> int:
        """Make the request (checked again) and plan it to the target; returns its id."""
        note = one_line(note, NOTE_LIMIT)
        async with self._delivery.exclusive(), self._sessions.begin() as session:
            await self._check(session, requester_id, target_id)
            requester = await own_in(session, requester_id)
            intro = await IntroductionRepository(session).add(
                requester_id, target_id, note, utcnow() + ANSWER_WITHIN
            )
            language = await self._language(session, target_id)
            payload = self._messages.request(requester.card, note, language, intro.id)
            await self._plan(session, intro.id, "ask", target_id, payload)
        self._delivery.notify()
        return intro.id

    async def accept(self, introduction_id: int, member_id: int) -> Answer:
        """The target says yes: both get the other's contact, or the relay's button."""
        async with self._delivery.exclusive(), self._sessions.begin() as session:
            intro = await self._answerable(session, introduction_id, member_id)
            if isinstance(intro, Answer):
                return intro
            intro.state, intro.answered_at = "accepted", utcnow()
            profiles = {
                p.member_id: p for p in await many_in(session, [intro.requester_id, member_id])
            }
            for me, other in ((intro.requester_id, member_id), (member_id, intro.requester_id)):
                other_profile = profiles.get(other) or _blank(other)
                username = await self._shareable_username(session, other_profile)
                language = await self._language(session, me)
                payload = self._messages.connected(
                    other_profile.card, username, language, intro.id
                )
                await self._plan(session, intro.id, "accepted", me, payload)
            requester_name = (profiles.get(intro.requester_id) or _blank(0)).card.name
        self._delivery.notify()
        return Answer("done", name=requester_name)

    async def decline(self, introduction_id: int, member_id: int) -> Answer:
        """The target says no: the requester hears « n'a pas abouti » when it would expire."""
        async with self._delivery.exclusive(), self._sessions.begin() as session:
            intro = await self._answerable(session, introduction_id, member_id)
            if isinstance(intro, Answer):
                return intro
            intro.state, intro.answered_at = "declined", utcnow()
            await self._tell_not_concluded(session, intro, due_at=intro.expires_at)
        self._delivery.notify()
        return Answer("done")

    async def expire_due(self, now: datetime) -> int:
        """Requests unanswered for seven days: the requester is told, politely (how many)."""
        async with self._delivery.exclusive(), self._sessions.begin() as session:
            due = await IntroductionRepository(session).due(now)
            for intro in due:
                intro.state = "expired"
                await self._tell_not_concluded(session, intro, due_at=None)
                await OutboxRepository(session).cancel_pending(f"networking:{intro.id}:ask")
        if due:
            self._delivery.notify()
        return len(due)

    async def next_expiry(self) -> datetime | None:
        async with self._sessions() as session:
            return await IntroductionRepository(session).next_expiry()

    async def block(self, introduction_id: int, member_id: int) -> Answer:
        """Block the other member of this introduction, silently and both ways."""
        async with self._delivery.exclusive(), self._sessions.begin() as session:
            intro = await IntroductionRepository(session).get(introduction_id)
            if intro is None or member_id not in (intro.requester_id, intro.target_id):
                return Answer("not_yours")
            await self._block(session, member_id, other_of(intro, member_id))
        self._delivery.notify()
        return Answer("done")

    async def report(self, introduction_id: int, member_id: int) -> Answer:
        """Report the other member to the moderators (who see the trail, never the messages);
        a report blocks them too."""
        async with self._delivery.exclusive(), self._sessions.begin() as session:
            intro = await IntroductionRepository(session).get(introduction_id)
            if intro is None or member_id not in (intro.requester_id, intro.target_id):
                return Answer("not_yours")
            other = other_of(intro, member_id)
            report = await ReportRepository(session).add(member_id, other)
            trail = await trail_text(session, self._messages.texts, self._tz, member_id, other)
            await self._block(session, member_id, other)
            payload = {"kind": "text", "text": trail}
            rows = outbox_rows(f"networking:report:{report.id}", self._moderators, payload)
            await self._delivery.insert_in(session, rows)
        self._delivery.notify()
        return Answer("done")

    async def hold(self, member_id: int, **what: int) -> None:
        """Remember what the member's dialogue is about (whom to ask, which relay), so a
        restart between the button and the text loses nothing."""
        async with self._sessions.begin() as session:
            await OrganiserDraftRepository(session).save(member_id, DRAFT, dict(what))

    async def held(self, member_id: int, name: str) -> int | None:
        """The value ``name`` :meth:`hold` remembered for the member, if any."""
        async with self._sessions() as session:
            value = (await OrganiserDraftRepository(session).get(member_id, DRAFT)).get(name)
        return value if isinstance(value, int) else None

    async def release(self, member_id: int) -> None:
        async with self._sessions.begin() as session:
            await OrganiserDraftRepository(session).drop(member_id, DRAFT)

    # -- inside a transaction ------------------------------------------------------------

    async def _check(self, session: AsyncSession, requester_id: int, target_id: int) -> Card:
        target = await own_in(session, target_id)
        blocked = await BlockRepository(session).either_way(requester_id, target_id)
        if (
            requester_id == target_id
            or not target.visible
            or target.contact == "closed"
            or blocked
        ):
            raise IntroductionRefused("unavailable")
        requester = await own_in(session, requester_id)
        if not requester.exists or not requester.name:
            raise IntroductionRefused("no_profile")
        intros = IntroductionRepository(session)
        last = await intros.latest_between(requester_id, target_id)
        if last is not None and (
            last.state in ("pending", "accepted") or last.created_at > utcnow() - AGAIN_AFTER
        ):
            raise IntroductionRefused("already")
        if await intros.pending_count(requester_id) >= self.max_pending:
            raise IntroductionRefused("too_many", self.max_pending)
        return target.card

    async def _answerable(
        self, session: AsyncSession, introduction_id: int, member_id: int
    ) -> Introduction | Answer:
        intro = await IntroductionRepository(session).get(introduction_id)
        if intro is None or intro.target_id != member_id:
            return Answer("not_yours")
        if intro.state != "pending" or intro.expires_at <= utcnow():
            return Answer("over")
        return intro

    async def _block(self, session: AsyncSession, member_id: int, other: int) -> None:
        await BlockRepository(session).add(member_id, other)
        intros = IntroductionRepository(session)
        for intro in await intros.cancel_between(member_id, other):
            await OutboxRepository(session).cancel_pending(f"networking:{intro.id}:")
            if intro.requester_id == other:
                # Their request to me: they hear what a refusal says, when it would expire.
                await self._tell_not_concluded(session, intro, due_at=intro.expires_at)

    async def _tell_not_concluded(
        self, session: AsyncSession, intro: Introduction, due_at: datetime | None
    ) -> None:
        target = await own_in(session, intro.target_id)
        language = await self._language(session, intro.requester_id)
        payload = self._messages.text(
            language,
            "networking.intro.not_concluded",
            name=self._messages.name(target.card, language),
        )
        await self._plan(session, intro.id, "closed", intro.requester_id, payload, due_at)

    async def _shareable_username(self, session: AsyncSession, profile: OwnProfile) -> str:
        if profile.contact != "username":
            return ""
        return await ProfileRepository(session).username(profile.member_id)


def _blank(member_id: int) -> OwnProfile:
    return OwnProfile(member_id=member_id, exists=False)
