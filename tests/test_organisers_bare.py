from __future__ import annotations

from collections.abc import Callable

from handlers import COMMANDS
from handlers.menu import ADMIN, MODERATOR
from tests.conftest import ADMIN_ID
from tests.support.driver import MemberChat


async def test_probe(chat_with: Callable[..., MemberChat]) -> None:
    chat = chat_with(ADMIN_ID)
    for row in COMMANDS:
        if row.audience not in (ADMIN, MODERATOR):
            continue
        for name in row.names:
            before = len(chat.texts())
            await chat.say(f"/{name}")
            print(name, "=>", chat.texts()[before:][:2])
            await chat.say("/annuler")
