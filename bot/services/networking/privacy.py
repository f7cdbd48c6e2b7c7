"""What networking exports and erases for a member (registered with privacy).

Export: the whole profile (hidden fields too: it is the member's own), the introductions they
made or received (direction, state, dates, and the note only when they wrote it), the blocks and
reports they made (when, not whom: an id would be a way to reach someone). Who blocked *them* is
never exported: a block is silent.

Erasure: the profile with its labs and themes; every introduction, relay log entry, block and
report naming the member, either side; every outbox row those planned, to anyone (a pending
request carries the member's card to someone else's chat); their café réseautage rows and pause
(their group then simply loses them).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.networking.profiles import own_in
from storage.repositories.networking_privacy import NetworkingPrivacyRepository
from storage.repositories.networking_rounds import RoundRepository


async def export_networking(session: AsyncSession, telegram_id: int) -> dict[str, Any]:
    """The member's profile, introductions, blocks and reports."""
    repo = NetworkingPrivacyRepository(session)
    own = await own_in(session, telegram_id)
    profile = None
    if own.exists:
        profile = {
            "name": own.name,
            "structure": own.structure,
            "commune": own.commune,
            "departement": own.departement,
            "labs": list(own.labs),
            "themes": list(own.themes),
            "offer": own.offer,
            "seek": own.seek,
            "languages": list(own.languages),
            "contact": own.contact,
            "visible_in_directory": own.visible,
            "hidden_fields": sorted(own.hidden),
        }
    introductions = [
        {
            "direction": "sent" if row.requester_id == telegram_id else "received",
            "state": row.state,
            "created_at": row.created_at,
            "answered_at": row.answered_at,
            **({"note": row.note} if row.requester_id == telegram_id else {}),
        }
        for row in await repo.introductions.naming(telegram_id)
    ]
    return {
        "profile": profile,
        "introductions": introductions,
        "blocks_made": [{"at": b.created_at} for b in await repo.blocks.made_by(telegram_id)],
        "reports_made": [{"at": r.created_at} for r in await repo.reports.made_by(telegram_id)],
        # Café réseautage: the rounds answered, the group's number (not its members: their
        # data is theirs), the follow-up answers, and a pause.
        "rounds": [
            {
                "round": row.round_id,
                "state": row.state,
                "joined_at": row.joined_at,
                "group": row.group_no,
                "left_out": row.left_out,
                "met": row.met,
                "useful": row.useful,
            }
            for row in await RoundRepository(session).rows_of(telegram_id)
        ],
        "rounds_pause": await _pause(session, telegram_id),
    }


async def _pause(session: AsyncSession, telegram_id: int) -> dict[str, Any] | None:
    pause = await RoundRepository(session).pause_of(telegram_id)
    return None if pause is None else {"until": pause.until, "reason": pause.reason}


async def erase_networking(session: AsyncSession, telegram_id: int) -> None:
    """Profile, introductions, relay log, blocks, reports and their outbox rows are deleted."""
    await NetworkingPrivacyRepository(session).erase(telegram_id)
    await RoundRepository(session).erase(telegram_id)
