"""Member records through the service, on both databases."""

from __future__ import annotations

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
