"""The relay: members without a shared @username write to each other through the bot.

Open once an introduction is accepted, until one of them gives their @username (then they
write directly) or either blocks the other. Messages are passed through the outbox and never
kept: the relay log says who wrote to whom and when, for moderators.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.networking.profiles import own_in
from bot.services.networking.sending import Answer, Sender, other_of
from storage.models import Introduction
from storage.repositories.networking import ProfileRepository
from storage.repositories.networking_introductions import (
    BlockRepository,
    IntroductionRepository,
    RelayRepository,
)

RELAY_LIMIT = 3000  # characters of a relayed message (the header needs the rest)


class RelayService(Sender):
    """Pass messages between the two members of an accepted introduction."""

    async def relay(self, introduction_id: int, sender_id: int, text: str) -> Answer:
        """Pass a message to the other member of an accepted introduction (not kept)."""
        text = (text or "").replace("\x00", "").strip()[:RELAY_LIMIT]
        async with self._delivery.exclusive(), self._sessions.begin() as session:
            intro = await self._open_relay(session, introduction_id, sender_id)
            if isinstance(intro, Answer):
                return intro
            if not text:
                return Answer("over")
            other = other_of(intro, sender_id)
            log = await RelayRepository(session).add(intro.id, sender_id, other)
            sender = await own_in(session, sender_id)
            language = await self._language(session, other)
            payload = self._messages.relayed(sender.card, text, language, intro.id)
            await self._plan(session, intro.id, f"relay:{log.id}", other, payload)
            name = (await own_in(session, other)).card.name
        self._delivery.notify()
        return Answer("done", name=name)

    async def share(self, introduction_id: int, member_id: int) -> Answer:
        """The member gives the other their @username; the relay then closes."""
        async with self._delivery.exclusive(), self._sessions.begin() as session:
            intro = await self._open_relay(session, introduction_id, member_id)
            if isinstance(intro, Answer):
                return intro
            username = await ProfileRepository(session).username(member_id)
            if not username:
                return Answer("no_username")
            other = other_of(intro, member_id)
            intro.shared = True
            me = await own_in(session, member_id)
            language = await self._language(session, other)
            payload = self._messages.text(
                language,
                "networking.relay.shared",
                name=self._messages.name(me.card, language),
                username=username,
            )
            await self._plan(session, intro.id, f"shared:{member_id}", other, payload)
            name = (await own_in(session, other)).card.name
        self._delivery.notify()
        return Answer("done", name=name, username=username)

    async def relay_name(self, introduction_id: int, member_id: int) -> Answer:
        """Whether the member may write through this introduction now, and to whom (name)."""
        async with self._sessions() as session:
            intro = await self._open_relay(session, introduction_id, member_id)
            if isinstance(intro, Answer):
                return intro
            return Answer(
                "done", name=(await own_in(session, other_of(intro, member_id))).card.name
            )

    async def _open_relay(
        self, session: AsyncSession, introduction_id: int, member_id: int
    ) -> Introduction | Answer:
        intro = await IntroductionRepository(session).get(introduction_id)
        if intro is None or member_id not in (intro.requester_id, intro.target_id):
            return Answer("not_yours")
        other = other_of(intro, member_id)
        if (
            intro.state != "accepted"
            or intro.shared
            or await BlockRepository(session).either_way(member_id, other)
        ):
            return Answer("closed")
        return intro
