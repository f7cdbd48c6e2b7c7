"""PTB persistence backed by our database: conversation states only.

Members' answers are stored by the services themselves as they are given; what PTB must remember
is *where* each member is in each ``ConversationHandler``. PTB writes changed states every
``update_interval`` seconds and once more on a clean shutdown; a hard crash within that second
would lose a step change, so each dialogue also writes its new position through
:meth:`DatabasePersistence.update_conversation` before asking its next question
(``handlers.dialogues.hold``).
"""

from __future__ import annotations

import json
from typing import Any

from telegram.ext import BasePersistence, PersistenceInput
from telegram.ext._utils.types import ConversationDict, ConversationKey

from storage.db import Sessions
from storage.models import utcnow
from storage.repositories.conversations import ConversationRepository
from storage.repositories.intake import IntakeRepository

UPDATE_INTERVAL_SECONDS = 1.0


class DatabasePersistence(BasePersistence[dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """Keep ``ConversationHandler`` states in the ``conversation_states`` table."""

    def __init__(self, sessions: Sessions, update_interval: float = UPDATE_INTERVAL_SECONDS):
        super().__init__(
            store_data=PersistenceInput(
                bot_data=False, chat_data=False, user_data=False, callback_data=False
            ),
            update_interval=update_interval,
        )
        self._sessions = sessions

    async def get_conversations(self, name: str) -> ConversationDict:
        async with self._sessions() as session:
            rows = await ConversationRepository(session).all_for(name)
        return {_key(row.key): json.loads(row.state) for row in rows}

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        encoded = json.dumps(list(key))
        async with self._sessions.begin() as session:
            repo = ConversationRepository(session)
            if new_state is None:
                await repo.remove(name, encoded)
            else:
                await repo.put(name, encoded, json.dumps(new_state))

    async def hold_conversation(
        self, name: str, key: tuple[int, ...], state: str, update_id: int
    ) -> None:
        """The position, and the update that moved the dialogue there marked handled in the
        intake journal, in one transaction (see handlers/dialogues.py ``hold``). A crash after
        this and before the next question leaves the question unsent, never the answer applied
        twice; the member's next message answers it, or /proposer… offers to resume."""
        async with self._sessions.begin() as session:
            await ConversationRepository(session).put(
                name, json.dumps(list(key)), json.dumps(state)
            )
            await IntakeRepository(session).mark_done([update_id], utcnow())

    # Only conversations are persisted (see store_data above); the rest is intentionally empty.
    async def get_user_data(self) -> dict[int, dict[Any, Any]]:
        return {}

    async def get_chat_data(self) -> dict[int, dict[Any, Any]]:
        return {}

    async def get_bot_data(self) -> dict[Any, Any]:
        return {}

    async def get_callback_data(self) -> None:
        return None

    async def update_user_data(self, user_id: int, data: dict[Any, Any]) -> None:
        return None

    async def update_chat_data(self, chat_id: int, data: dict[Any, Any]) -> None:
        return None

    async def update_bot_data(self, data: dict[Any, Any]) -> None:
        return None

    async def update_callback_data(self, data: Any) -> None:
        return None

    async def drop_chat_data(self, chat_id: int) -> None:
        return None

    async def drop_user_data(self, user_id: int) -> None:
        return None

    async def refresh_user_data(self, user_id: int, user_data: dict[Any, Any]) -> None:
        return None

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[Any, Any]) -> None:
        return None

    async def refresh_bot_data(self, bot_data: dict[Any, Any]) -> None:
        return None

    async def flush(self) -> None:
        return None


def _key(stored: str) -> ConversationKey:
    return tuple(json.loads(stored))
