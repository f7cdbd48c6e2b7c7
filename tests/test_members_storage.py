"""Member records through the service, on both databases."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import event

from bot.services.members.service import Identity, MemberService
from storage.db import create_engine, create_sessions
from storage.repositories.members import MemberRepository


async def test_returning_member_is_served_from_cache_and_language_kept(db_url: str) -> None:
    engine = create_engine(db_url)
    sessions = create_sessions(engine)
    try:
        service = MemberService(sessions, admin_ids=(7,))
        anne = Identity(telegram_id=42, first_name="Anne", language_code="fr")
        first = await service.remember(anne)
        assert first.language == ""
        assert await service.remember(anne) is first
        await service.set_language(42, "en")
        assert service.cached(42) is not None
        async with sessions() as session:
            row = await MemberRepository(session).get(42)
        assert row is not None
        assert (row.first_name, row.language) == ("Anne", "en")
        assert service.is_admin(7)
        assert not service.is_admin(42)
    finally:
        await engine.dispose()


async def test_member_cache_is_bounded_and_a_returning_member_costs_no_query(
    sqlite_url: str,
) -> None:
    engine = create_engine(sqlite_url)
    statements: list[str] = []
    event.listen(engine.sync_engine, "before_cursor_execute", _record(statements))
    try:
        service = MemberService(create_sessions(engine), cache_size=2)
        anne, bob, carl = (Identity(n, name) for n, name in ((1, "Anne"), (2, "Bob"), (3, "Carl")))
        await service.remember(anne)
        written = len(statements)
        assert await service.remember(anne) is service.cached(1)
        assert len(statements) == written  # served from the cache: no database round trip
        await service.remember(bob)
        await service.remember(carl)  # the cache is full: the least recently seen leaves
        assert service.cached(1) is None
        assert service.cached(2) is not None
        assert service.cached(3) is not None
    finally:
        await engine.dispose()


def _record(statements: list[str]) -> Callable[..., None]:
    def record(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    return record
