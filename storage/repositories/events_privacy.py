"""Rows of the events feature about one member, for the RGPD export and erasure."""

from __future__ import annotations

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Announcement,
    Event,
    EventCalendarFeed,
    EventSubscription,
    OrganiserDraft,
    OutboxMessage,
    Rsvp,
)
from storage.repositories.events import WAIT


class EventPrivacyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def rsvps(self, member_id: int) -> list[tuple[Rsvp, str, int | None]]:
        """The member's answers to events, with each event's title and, on a waiting list, the
        member's place in it (1 = next)."""
        query = (
            select(Rsvp, Event.title)
            .join(Event, Event.id == Rsvp.event_id)
            .where(Rsvp.member_id == member_id)
            .order_by(Rsvp.event_id)
        )
        result: list[tuple[Rsvp, str, int | None]] = []
        for rsvp, title in await self._session.execute(query):
            position = None
            if rsvp.answer == WAIT and rsvp.ticket is not None:
                ahead = select(func.count()).where(
                    Rsvp.event_id == rsvp.event_id,
                    Rsvp.answer == "wait",
                    Rsvp.ticket < rsvp.ticket,
                )
                position = int(await self._session.scalar(ahead) or 0) + 1
            result.append((rsvp, title, position))
        return result

    async def subscriptions(self, member_id: int) -> list[EventSubscription]:
        query = select(EventSubscription).where(EventSubscription.member_id == member_id)
        return list(await self._session.scalars(query.order_by(EventSubscription.theme)))

    async def calendar_feed(self, member_id: int) -> EventCalendarFeed | None:
        return await self._session.get(EventCalendarFeed, member_id)

    async def drafts(self, member_id: int) -> list[OrganiserDraft]:
        query = select(OrganiserDraft).where(OrganiserDraft.member_id == member_id)
        return list(await self._session.scalars(query.order_by(OrganiserDraft.kind)))

    async def announcements_by(self, author_id: int) -> list[Announcement]:
        query = select(Announcement).where(Announcement.author_id == author_id)
        return list(await self._session.scalars(query.order_by(Announcement.id)))

    async def outbox_to(self, chat_id: int) -> list[OutboxMessage]:
        """Messages planned for or sent to the member's private chat (chat id = user id)."""
        query = select(OutboxMessage).where(OutboxMessage.chat_id == chat_id)
        return list(await self._session.scalars(query.order_by(OutboxMessage.id)))

    async def delete_member_rows(self, member_id: int) -> None:
        """RSVPs (reminder requests included), subscriptions, drafts and the calendar link."""
        for model in (Rsvp, EventSubscription, OrganiserDraft, EventCalendarFeed):
            await self._session.execute(delete(model).where(model.member_id == member_id))

    async def delete_outbox_to(self, chat_id: int) -> None:
        """Every send to the chat: pending ones never leave, sent ones lose their recipient."""
        await self._session.execute(delete(OutboxMessage).where(OutboxMessage.chat_id == chat_id))

    async def forget_author(self, author_id: int) -> None:
        """Announcements stay (they are the association's), without who wrote them."""
        await self._session.execute(
            update(Announcement).where(Announcement.author_id == author_id).values(author_id=0)
        )
        await self._session.execute(
            update(Announcement)
            .where(Announcement.progress_chat_id == author_id)
            .values(progress_chat_id=0, progress_message_id=0)
        )
