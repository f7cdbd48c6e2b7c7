"""What introductions and the relay share: how they answer, and how they write to a member."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.delivery.outbox import DeliveryService, outbox_rows
from bot.services.networking.messages import NetworkingMessages
from bot.texts import Texts
from storage.db import Sessions
from storage.models import Introduction
from storage.repositories.networking import ProfileRepository


@dataclass(frozen=True)
class Answer:
    """What became of a press on an introduction's button: "done", or why it did nothing."""

    outcome: str  # "done" | "over" | "not_yours" | "closed" | "no_username"
    name: str = ""
    username: str = ""


class Sender:
    """Writes to members through the outbox, in each one's language."""

    def __init__(
        self, sessions: Sessions, delivery: DeliveryService, messages: NetworkingMessages
    ) -> None:
        self._sessions = sessions
        self._delivery = delivery
        self._messages = messages

    async def _language(self, session: AsyncSession, member_id: int) -> str:
        return await language_of(session, self._messages.texts, member_id)

    async def _plan(  # noqa: PLR0917 (one outbox row: where it comes from and goes)
        self,
        session: AsyncSession,
        introduction_id: int,
        what: str,
        chat_id: int,
        payload: dict[str, object],
        due_at: datetime | None = None,
    ) -> None:
        purpose = f"networking:{introduction_id}:{what}"
        await self._delivery.insert_in(session, outbox_rows(purpose, [chat_id], payload, due_at))


async def language_of(session: AsyncSession, texts: Texts, member_id: int) -> str:
    """The language to write to a member in: the one they chose, else Telegram's, else French."""
    chosen, telegram = await ProfileRepository(session).language(member_id)
    return texts.pick_language(chosen, telegram)


def other_of(intro: Introduction, member_id: int) -> int:
    """The other member of an introduction."""
    return intro.target_id if member_id == intro.requester_id else intro.requester_id
