"""The networking services on SQLite and PostgreSQL: profiles, blocks and erasure without
Telegram (the Bot API tests run on SQLite)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.services.catalogue.communes import CommuneDirectory
from bot.services.delivery.outbox import DeliveryService
from bot.services.networking.introductions import IntroductionRefused, IntroductionService
from bot.services.networking.messages import NetworkingMessages, propose_data
from bot.services.networking.privacy import erase_networking
from bot.services.networking.profiles import ProfileService
from bot.services.networking.views import Card
from bot.texts import Texts
from handlers.networking import keys
from storage.db import Sessions
from storage.models import Introduction, Member, OutboxMessage, Profile
from storage.repositories.networking_introductions import BlockRepository


@pytest.fixture
def services(sessions: Sessions) -> tuple[ProfileService, IntroductionService]:
    messages = NetworkingMessages(Texts.load())
    profiles = ProfileService(sessions, CommuneDirectory.load())
    return profiles, IntroductionService(
        sessions, DeliveryService(sessions), messages, max_pending=2, moderator_ids=(9002,)
    )


async def _members(sessions: Sessions, *ids: int) -> None:
    async with sessions.begin() as session:
        session.add_all(Member(telegram_id=i, first_name=f"M{i}") for i in ids)


async def test_profiles_blocks_limits_and_erasure(
    sessions: Sessions, services: tuple[ProfileService, IntroductionService]
) -> None:
    profiles, intros = services
    await _members(sessions, 1, 2, 3, 4)
    for member_id in (1, 2, 3, 4):
        await profiles.set_text(member_id, "name", f"Membre {member_id}\x00\n")
        await profiles.set_text(member_id, "structure", "SCOP « Les Champs »")
        await profiles.set_visible(member_id, True)
    await profiles.set_text(1, "commune", "saint brieuc")
    assert (await profiles.own(1)).departement == "22"
    async with sessions() as session:
        keys = set(await session.scalars(select(Profile.structure_key)))
    assert keys == {"scop les champs"}  # normalised for the rounds' comparisons
    assert (await profiles.own(1)).name == "Membre 1"  # NUL and newline cleaned

    await intros.propose(1, 2, "bonjour")
    await intros.propose(1, 3)
    with pytest.raises(IntroductionRefused) as refused:
        await intros.propose(1, 4)
    assert refused.value.reason == "too_many"
    with pytest.raises(IntroductionRefused):
        await intros.propose(1, 2)  # already asked
    await intros.report(1, 2)  # the target of introduction 1 reports its requester
    async with sessions() as session:
        assert await BlockRepository(session).either_way(2, 1)
        assert await BlockRepository(session).pairs_among([1, 2, 3]) == {frozenset({1, 2})}
    assert (await profiles.search(2, "scop")).total == 3  # 2 sees 3, 4 and itself, not 1
    assert 1 not in {c.member_id for c in (await profiles.search(2, "")).cards}

    later = datetime.now(UTC) + timedelta(days=8)
    assert await intros.expire_due(later) == 1  # 1 → 3; 1 → 2 was cancelled by the block
    async with sessions.begin() as session:
        await erase_networking(session, 1)
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Introduction)) == 0
        purposes = list(await session.scalars(select(OutboxMessage.purpose)))
        assert purposes == []  # requests, notices and the report: all named member 1
        assert await session.get(Profile, 1) is None
        assert await session.get(Profile, 2) is not None


def test_outbox_buttons_are_the_handlers_keys() -> None:
    messages = NetworkingMessages(Texts.load())
    card = Card(member_id=5, name="Anne")
    payloads = [
        messages.request(card, "", "fr", 12),
        messages.connected(card, "", "fr", 12),
        messages.relayed(card, "<b>salut</b>", "fr", 12),
    ]
    datas = [b["data"] for p in payloads for row in p["buttons"] for b in row]  # type: ignore[attr-defined]
    assert {d.split(":")[1] for d in datas} == {k.action for k in keys.OUTBOX_KEYS}
    assert all(any(k.parse(d) is not None for k in keys.OUTBOX_KEYS) for d in datas)
    assert keys.PROPOSE.parse(propose_data(5)) == ("5",)
    assert "&lt;b&gt;salut" in str(payloads[2]["text"])  # a relayed message is escaped
