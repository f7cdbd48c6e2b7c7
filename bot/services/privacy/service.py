"""The member's own data (RGPD): a JSON export of everything stored, and erasure on request.

Each feature registers what it keeps about a member, once, in this service's constructor (the
one list of features; each ``<feature>_privacy`` module says what its erasure keeps)::

    self.register("events", export=export_events, erase=erase_events, tables=("rsvps",))

``export(session, telegram_id)`` returns JSON-ready data (dicts, lists, str, numbers, None;
datetimes are turned into ISO strings); ``erase(session, telegram_id)`` deletes or anonymises the
feature's rows and must only ``flush``. Both run inside the privacy service's transaction, so an
erasure is all or nothing. Erasers run in registration order, then the member's stored dialogue
states and their ``members`` row are deleted; the caller then drops the cached profile
(``MemberService.forget_cached``). Features whose tables point at ``members`` without
``ON DELETE`` must register an eraser, or the erasure fails (and changes nothing).

Until a feature registers, the export still lists its rows whose ``member_id`` column is the
member's (under ``other_tables``); ``tables=`` tells the service which tables a feature covers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.events.privacy import erase_events, export_events
from bot.services.intake.privacy import erase_intake, export_intake
from bot.services.networking.privacy import erase_networking, export_networking
from bot.services.proposals.privacy import erase_proposals, export_proposals
from bot.services.search.privacy import erase_searches, export_searches
from bot.services.surveys.privacy import erase_surveys, export_surveys
from storage.db import Sessions, checkpoint
from storage.repositories.conversations import ConversationRepository
from storage.repositories.privacy import MemberMessageRepository, PrivacyRepository

Exporter = Callable[[AsyncSession, int], Awaitable[Any]]
Eraser = Callable[[AsyncSession, int], Awaitable[None]]
RESERVED = ("exported_at", "profile", "conversations")
UNREGISTERED = "other_tables"
PROFILE_FIELDS = (
    *("telegram_id", "first_name", "last_name", "username", "language", "telegram_language"),
    *("roles", "opt_in_announcements", "is_reachable", "created_at", "last_seen_at"),
)


@dataclass(frozen=True)
class ShownMessage:
    """A message the bot sent to others with an erased member's data, to edit (or delete)."""

    id: int
    chat_id: int
    message_id: int
    kind: str  # "card", "photo", "answer"
    submission_id: int | None


class PrivacyService:
    """Export and erase a member's data across every registered feature."""

    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions
        self._features: dict[str, tuple[Exporter, Eraser]] = {}
        self._covered: set[str] = {"members", "conversation_states", "member_messages"}
        # Every feature that keeps something about a member, in erasure order (one place).
        self.register(
            "proposals",
            export=export_proposals,
            erase=erase_proposals,
            tables=("submissions", "submission_events", "innovations"),
        )
        self.register(
            "events",
            export=export_events,
            erase=erase_events,
            tables=(
                *("rsvps", "event_subscriptions", "event_calendar_feeds", "meeting_drafts"),
                *("announcements", "outbox"),
            ),
        )
        self.register(
            "surveys",
            export=export_surveys,
            erase=erase_surveys,
            tables=(
                *("survey_responses", "survey_answers", "survey_polls", "surveys"),
                *("quick_polls", "quick_poll_votes"),
            ),
        )
        self.register(
            "search", export=export_searches, erase=erase_searches, tables=("saved_searches",)
        )
        self.register(
            "intake", export=export_intake, erase=erase_intake, tables=("inbound_updates",)
        )
        self.register(
            "networking",
            export=export_networking,
            erase=erase_networking,
            tables=(
                *("networking_profiles", "networking_profile_labs", "networking_profile_themes"),
                *("networking_introductions", "networking_blocks", "networking_reports"),
                "networking_relays",
                *("networking_round_members", "networking_pauses", "networking_rounds"),
            ),
        )

    def register(
        self, feature: str, *, export: Exporter, erase: Eraser, tables: tuple[str, ...] = ()
    ) -> None:
        """Add a feature's exporter and eraser, and name the tables they take care of."""
        if feature in self._features or feature in (*RESERVED, UNREGISTERED):
            raise ValueError(f"privacy feature {feature!r} is already registered")
        self._features[feature] = (export, erase)
        self._covered.update(tables)

    @property
    def tables(self) -> frozenset[str]:
        """The tables some registered feature (or the service itself) takes care of."""
        return frozenset(self._covered)

    async def export(self, telegram_id: int) -> dict[str, Any]:
        """Everything stored about the member, by feature."""
        async with self._sessions() as session:
            repo = PrivacyRepository(session)
            member = await repo.member(telegram_id)
            data: dict[str, Any] = {
                "exported_at": datetime.now(UTC).isoformat(),
                "profile": {f: jsonable(getattr(member, f)) for f in PROFILE_FIELDS}
                if member
                else None,
                "conversations": [
                    {"dialogue": row.name, "step": jsonable(row.state)}
                    for row in await repo.conversations(telegram_id)
                ],
            }
            for feature, (exporter, _) in self._features.items():
                data[feature] = jsonable(await exporter(session, telegram_id))
            # Safety net until every feature registers: rows of any other table whose
            # ``member_id`` is the member's (exported only; erasing is each feature's rule).
            others = await repo.rows_by_member_id(telegram_id, exclude=self._covered)
            if others:
                data[UNREGISTERED] = jsonable(others)
            return data

    async def erase(self, telegram_id: int) -> None:
        """Erase the member's personal data everywhere, in one transaction.

        The messages the bot sent others with the member's data become messages to scrub
        (``to_scrub``); on SQLite the WAL is then emptied into the main file, where deleted
        rows were overwritten (``secure_delete``)."""
        async with self._sessions.begin() as session:
            for _, eraser in self._features.values():
                await eraser(session, telegram_id)
            await ConversationRepository(session).remove_containing(telegram_id)
            await MemberMessageRepository(session).release(telegram_id)
            await PrivacyRepository(session).delete_member(telegram_id)
        await checkpoint(self._sessions)

    async def to_scrub(self, limit: int = 100) -> list[ShownMessage]:
        """Messages to edit to « (données effacées) », oldest first."""
        async with self._sessions() as session:
            rows = await MemberMessageRepository(session).to_scrub(limit)
            return [
                ShownMessage(r.id, r.chat_id, r.message_id, r.kind, r.submission_id) for r in rows
            ]

    async def scrubbed(self, ids: list[int]) -> None:
        """Those messages were edited (or could not be any more): forget them."""
        if ids:
            async with self._sessions.begin() as session:
                await MemberMessageRepository(session).scrubbed(ids)


def jsonable(value: Any) -> Any:
    """Datetimes as ISO strings, containers converted recursively."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value
