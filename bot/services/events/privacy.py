"""What the events feature exports and erases for a member (registered with privacy).

Export: each answer with its reminder toggle, its place on the waiting list (1 = next) and when
a freed place was offered; the private calendar link. Erasure: RSVPs (reminder toggles and
places in line included; a place the member held is offered to the next one in line by the
next reminders job), event subscriptions, event or announcement drafts and the private
calendar link are deleted (the link then answers 404 at once). Every outbox row addressed to
the member's private chat (chat id = user id) is deleted whatever its state: a pending send can
no longer leave, and a sent one no longer says who received it (a finished mass send's report
then counts one message fewer). Announcements an organiser wrote stay, without their author or
progress chat.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from storage.repositories.events_privacy import EventPrivacyRepository


async def export_events(session: AsyncSession, telegram_id: int) -> dict[str, Any]:
    """The member's RSVPs, subscriptions, calendar link, drafts, announcements and messages
    planned or sent."""
    repo = EventPrivacyRepository(session)
    feed = await repo.calendar_feed(telegram_id)
    return {
        "rsvps": [
            {
                "event_id": r.event_id,
                "event": title,
                "answer": r.answer,
                "remind": r.remind,
                "waiting_position": position,
                "offered_at": r.offered_at,
                "at": r.updated_at,
            }
            for r, title, position in await repo.rsvps(telegram_id)
        ],
        "subscriptions": [
            {"theme": s.theme, "since": s.created_at}
            for s in await repo.subscriptions(telegram_id)
        ],
        "calendar_feed": None if feed is None else {"token": feed.token, "since": feed.created_at},
        "drafts": [
            {"kind": d.kind, "data": d.data, "updated_at": d.updated_at}
            for d in await repo.drafts(telegram_id)
        ],
        "announcements_written": [
            {"id": a.id, "text": a.text, "created_at": a.created_at}
            for a in await repo.announcements_by(telegram_id)
        ],
        "messages": [
            {
                "purpose": m.purpose,
                "state": m.state,
                "due_at": m.due_at,
                "sent_at": m.sent_at,
                "payload": m.payload,
            }
            for m in await repo.outbox_to(telegram_id)
        ],
    }


async def erase_events(session: AsyncSession, telegram_id: int) -> None:
    """Delete the member's answers, follows, calendar link, drafts and sends; anonymise their
    announcements."""
    repo = EventPrivacyRepository(session)
    await repo.delete_member_rows(telegram_id)
    await repo.delete_outbox_to(telegram_id)
    await repo.forget_author(telegram_id)
