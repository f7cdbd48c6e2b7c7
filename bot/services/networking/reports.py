"""What moderators see of a report: who wrote to whom and when, never what was written."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.formatting import format_when
from bot.texts import Texts
from storage.repositories.members import MemberRepository
from storage.repositories.networking_introductions import IntroductionRepository, RelayRepository


async def trail_text(
    session: AsyncSession, texts: Texts, tz: ZoneInfo, reporter: int, reported: int
) -> str:
    """The report for the moderators, in the default language: the two members, then every
    request and relayed message between them, oldest first (dates, directions, states)."""
    members = MemberRepository(session)
    names = {}
    for member_id in (reporter, reported):
        row = await members.get(member_id)
        names[member_id] = f"{row.first_name if row else '?'} ({member_id})"
    language = texts.default_language

    def when(at: datetime) -> str:
        return format_when(at, tz, language)

    intros = await IntroductionRepository(session).between(reporter, reported)
    events: list[tuple[datetime, str]] = [
        (
            intro.created_at,
            texts.get(
                language,
                "networking.report.request",
                when=when(intro.created_at),
                sender=names[intro.requester_id],
                recipient=names[intro.target_id],
                state=texts.get(language, f"networking.state.{intro.state}"),
            ),
        )
        for intro in intros
    ]
    events.extend(
        (
            relay.sent_at,
            texts.get(
                language,
                "networking.report.relay",
                when=when(relay.sent_at),
                sender=names.get(relay.sender_id, "?"),
                recipient=names.get(relay.recipient_id, "?"),
            ),
        )
        for relay in await RelayRepository(session).of([i.id for i in intros])
    )
    head = texts.get(
        language, "networking.report.head", reporter=names[reporter], reported=names[reported]
    )
    return "\n".join([head, *(line for _, line in sorted(events, key=lambda e: e[0]))])
