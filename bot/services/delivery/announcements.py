"""/annonce: a message composed by an organiser, sent once to every reachable member.

Recipients are members who did not opt out of announcements (« Annonces du réseau » in
/abonnements) and have not blocked the bot, counted when the organiser confirms (the preview
shows the same count, and how many refused announcements).

Crash safety: confirming plans every send (the outbox rows and the announcement row, one
transaction) before the organiser is told « Envoi en cours »; the progress message is attached
afterwards. The progress is read from the database, so a restart picks up every announcement
not finished (``unfinished``) and a missing progress message is sent then.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storage.db import Sessions
from storage.models import Announcement
from storage.repositories.conversations import OrganiserDraftRepository
from storage.repositories.delivery import AnnouncementRepository

if TYPE_CHECKING:  # the outbox builds this service: no import cycle at run time
    from bot.services.delivery.outbox import DeliveryService, Progress

KIND = "announce"


@dataclass(frozen=True)
class Audience:
    """Who an announcement would reach now, and how many members refused announcements."""

    recipients: int
    refused: int


@dataclass(frozen=True)
class AnnouncementView:
    id: int
    text: str
    recipients: int
    progress_chat_id: int
    progress_message_id: int
    finished: bool

    @property
    def purpose(self) -> str:
        return f"{KIND}:{self.id}"


class AnnouncementService:
    def __init__(self, sessions: Sessions, delivery: DeliveryService) -> None:
        self._sessions = sessions
        self._delivery = delivery
        self._confirmed_listeners: list[Callable[[int], None]] = []

    def on_confirmed(self, listener: Callable[[int], None]) -> None:
        """Call ``listener(announcement id)`` once an announcement is planned (show progress)."""
        self._confirmed_listeners.append(listener)

    async def save_text(self, author_id: int, text: str) -> Audience:
        """Keep the draft text; returns how many members it would reach (and refused it)."""
        async with self._sessions.begin() as session:
            await OrganiserDraftRepository(session).save(author_id, KIND, {"text": text})
            repo = AnnouncementRepository(session)
            return Audience(len(await repo.audience()), await repo.refusing())

    async def discard(self, author_id: int) -> None:
        async with self._sessions.begin() as session:
            await OrganiserDraftRepository(session).drop(author_id, KIND)

    async def confirm(self, author_id: int, chat_id: int, message_id: int = 0) -> AnnouncementView:
        """Plan the draft to every recipient; its progress is shown in ``chat_id`` (message
        ``message_id``, or 0 until :meth:`attach_progress`).

        The draft is taken (deleted) first, by one conditional statement: a second confirmation
        at the same moment (double press, another process) finds none and plans nothing."""
        async with self._sessions.begin() as session:
            drafts = OrganiserDraftRepository(session)
            text = ((await drafts.take(author_id, KIND)) or {}).get("text")
            if text is None:
                raise LookupError("no draft")
            recipients = await AnnouncementRepository(session).audience()
            row = Announcement(
                author_id=author_id,
                text=text,
                recipients=len(recipients),
                progress_chat_id=chat_id,
                progress_message_id=message_id,
            )
            session.add(row)
            await session.flush()
            payload = {"kind": "text", "text": text}
            await self._delivery.plan_in(session, f"{KIND}:{row.id}", recipients, payload)
            view = _view(row)
        self._delivery.notify()
        for listener in self._confirmed_listeners:
            listener(view.id)
        return view

    async def attach_progress(self, announcement_id: int, message_id: int) -> None:
        """The organiser's progress message, sent once the sends were planned."""
        async with self._sessions.begin() as session:
            row = await session.get(Announcement, announcement_id)
            if row is not None:
                row.progress_message_id = message_id

    async def unfinished(self) -> list[AnnouncementView]:
        """Announcements whose progress is still to follow (at start-up, after any stop)."""
        async with self._sessions() as session:
            rows = await AnnouncementRepository(session).unfinished()
            return [_view(row) for row in rows]

    async def progress(self, announcement_id: int) -> tuple[AnnouncementView, Progress]:
        """The announcement and its counts; marks it finished once nothing is pending."""
        progress = await self._delivery.progress(f"{KIND}:{announcement_id}")
        async with self._sessions.begin() as session:
            row = await session.get(Announcement, announcement_id)
            if row is None:
                raise LookupError(announcement_id)
            if progress.done:
                row.finished = True
            return _view(row), progress


def _view(row: Announcement) -> AnnouncementView:
    return AnnouncementView(
        id=row.id,
        text=row.text,
        recipients=row.recipients,
        progress_chat_id=row.progress_chat_id,
        progress_message_id=row.progress_message_id,
        finished=row.finished,
    )
