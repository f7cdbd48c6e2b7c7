"""What the proposals feature exports and erases for a member (registered with privacy)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from storage.repositories.privacy import PrivacyRepository

FIELDS = (
    *("id", "status", "name", "description", "theme", "commune", "departement", "latitude"),
    *("longitude", "organisation", "website", "contact", "contact_public", "photo_file_id"),
    *("reason", "innovation_id", "created_at", "sent_at", "decided_at"),
)


async def export_proposals(session: AsyncSession, telegram_id: int) -> list[dict[str, Any]]:
    """The member's drafts and proposals, with the questions and answers about them."""
    repo = PrivacyRepository(session)
    rows = await repo.proposals(telegram_id)
    events = await repo.events_of([row.id for row in rows])
    exported = []
    for row in rows:
        item: dict[str, Any] = {name: getattr(row, name) for name in FIELDS}
        # Moderators are named by role only: their identity is not the member's data.
        item["history"] = [
            {"action": e.action, "detail": e.detail, "at": e.at}
            for e in events
            if e.submission_id == row.id
        ]
        exported.append(item)
    return exported


async def erase_proposals(session: AsyncSession, telegram_id: int) -> None:
    """Drafts, pending and refused proposals go; published ones stay, anonymous."""
    repo = PrivacyRepository(session)
    await repo.delete_unpublished(telegram_id)
    await repo.anonymise_published(telegram_id)
    await repo.forget_actor(telegram_id)
