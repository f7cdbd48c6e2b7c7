"""Proposal, moderation and privacy services on SQLite and PostgreSQL (no Telegram)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.services.catalogue.communes import CommuneDirectory
from bot.services.members.service import Identity, MemberService
from bot.services.privacy.service import PrivacyService
from bot.services.proposals.moderation import ModerationService
from bot.services.proposals.rules import Step
from bot.services.proposals.service import ProposalService, StaleButton
from storage.db import Sessions, create_engine, create_sessions
from storage.models import Innovation, Member, Proposal, ProposalEvent

MEMBER = 4242
MODERATOR = 9002


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def sessions(db_url: str) -> AsyncIterator[Sessions]:
    engine = create_engine(db_url)
    sessions = create_sessions(engine)
    members = MemberService(sessions)
    await members.remember(Identity(MEMBER, "Gwen", username="gwen"))
    await members.remember(Identity(MODERATOR, "Mona"))
    yield sessions
    await engine.dispose()


async def filled(service: ProposalService) -> int:
    """A draft answered up to the summary; returns its id."""
    draft = await service.start(MEMBER, "fr")
    for text in ("Ressourcerie du Trégor", "On répare et revend des objets donnés."):
        await service.answer_text(MEMBER, text, "fr")
    await service.choose_theme(MEMBER, draft.id, 0)
    await service.set_location(MEMBER, 48.7326, -3.4566)
    await service.answer_text(MEMBER, "Ti Récup", "fr")
    await service.skip(MEMBER)
    await service.answer_text(MEMBER, "contact@ti-recup.bzh", "fr")
    await service.set_visibility(MEMBER, draft.id, public=False)
    outcome = await service.set_photo(MEMBER, "PHOTO-1")
    assert outcome.draft.step is Step.SUMMARY
    return draft.id


async def test_every_answer_is_stored_as_given(sessions: Sessions) -> None:
    clock = Clock()
    service = ProposalService(sessions, CommuneDirectory.load(), clock=clock)
    draft_id = await filled(service)
    fresh = ProposalService(sessions, CommuneDirectory.load(), clock=clock)  # "after a restart"
    draft = await fresh.draft(MEMBER)
    assert draft is not None
    assert draft.id == draft_id
    assert (draft.name, draft.theme, draft.commune) == (
        "Ressourcerie du Trégor",
        "autre",
        "Lannion",
    )
    assert (draft.contact, draft.contact_public, draft.photo_file_id) == (
        "contact@ti-recup.bzh",
        False,
        "PHOTO-1",
    )
    back = await fresh.back(MEMBER)
    assert back.draft.step is Step.PHOTO
    refused = await fresh.answer_text(MEMBER, "pas une photo", "fr")
    assert refused.problem == "proposals.photo_expected"
    assert refused.draft.step is Step.PHOTO
    assert not fresh.is_stale(refused.draft)
    clock.now += timedelta(hours=49)
    assert fresh.is_stale(refused.draft)


async def test_buttons_of_other_steps_or_drafts_are_stale(sessions: Sessions) -> None:
    service = ProposalService(sessions, CommuneDirectory.load())
    draft = await service.start(MEMBER, "fr")
    with pytest.raises(StaleButton):
        await service.choose_theme(MEMBER, draft.id, 0)  # still at the name
    await service.answer_text(MEMBER, "Nom", "fr")
    await service.answer_text(MEMBER, "Une description suffisante.", "fr")
    with pytest.raises(StaleButton):
        await service.choose_theme(MEMBER, draft.id + 1, 0)
    with pytest.raises(StaleButton):
        await service.send(MEMBER, draft.id, force=True)


async def test_publish_then_erase_keeps_the_innovation_anonymous(sessions: Sessions) -> None:
    service = ProposalService(sessions, CommuneDirectory.load())
    moderation = ModerationService(sessions)
    draft_id = await filled(service)
    sent = await service.send(MEMBER, draft_id, force=False)
    assert sent.draft.status == "pending"
    assert [c.proposal.id for c in await moderation.pending()] == [draft_id]
    held = await moderation.start_prompt(draft_id, MODERATOR, "question")
    assert held is not None
    assert held.applied
    asked = await moderation.complete_prompt(MODERATOR, "Quel public ?")
    assert asked is not None
    assert (asked[0], asked[1].applied) == ("question", True)
    assert await moderation.start_answer(MEMBER, draft_id) is not None
    answered = await moderation.answer(MEMBER, "Mon numéro perso : 06 00 00 00 00")
    assert answered is not None
    decision = await moderation.publish(draft_id, MODERATOR)
    assert decision is not None
    assert decision.applied
    card = decision.card
    assert card.author == "Gwen @gwen"
    for replayed in (
        await moderation.publish(draft_id, MODERATOR),
        await moderation.refuse(draft_id, MODERATOR, "@outside"),
    ):  # told it was published already, changing nothing
        assert replayed is not None
        assert not replayed.applied
        assert replayed.card.proposal.status == "published"
    assert await moderation.publish(draft_id + 99, MODERATOR) is None  # no such proposal

    await PrivacyService(sessions).erase(MEMBER)
    async with sessions() as session:
        assert await session.get(Member, MEMBER) is None
        innovation = await session.get(Innovation, card.proposal.innovation_id)
        assert innovation is not None
        assert (innovation.status, innovation.submitted_by) == ("approved", None)
        row = await session.get(Proposal, draft_id)
        assert row is not None
        assert (row.member_id, row.contact) == (None, "")
        events = list(await session.scalars(select(ProposalEvent).order_by(ProposalEvent.id)))
        assert [(e.action, e.actor_id) for e in events] == [
            ("submitted", None),
            ("asked", MODERATOR),
            ("answered", None),
            ("published", MODERATOR),
        ]
        assert "06 00" not in " ".join(e.detail for e in events)


async def test_erase_drops_drafts_and_pending(sessions: Sessions) -> None:
    service = ProposalService(sessions, CommuneDirectory.load())
    draft_id = await filled(service)
    await service.send(MEMBER, draft_id, force=True)
    await service.start(MEMBER, "fr")
    privacy = PrivacyService(sessions)
    exported = await privacy.export(MEMBER)
    assert [s["status"] for s in exported["proposals"]] == ["pending", "draft"]
    await privacy.erase(MEMBER)
    async with sessions() as session:
        assert list(await session.scalars(select(Proposal))) == []
    assert (await privacy.export(MEMBER))["profile"] is None


async def test_privacy_registry_runs_each_feature(sessions: Sessions) -> None:
    privacy = PrivacyService(sessions)
    seen: list[str] = []

    async def export(_session: object, member: int) -> dict[str, int]:
        return {"rsvps": member}

    async def erase(_session: object, member: int) -> None:
        seen.append(f"erase {member}")

    privacy.register("rsvps", export=export, erase=erase)
    with pytest.raises(ValueError, match="already registered"):
        privacy.register("rsvps", export=export, erase=erase)
    assert (await privacy.export(MEMBER))["rsvps"] == {"rsvps": MEMBER}
    await privacy.erase(MEMBER)
    assert seen == [f"erase {MEMBER}"]


async def test_export_lists_rows_of_features_not_yet_registered(sessions: Sessions) -> None:
    from sqlalchemy import insert

    from storage.models import SavedSearch
    from storage.repositories.privacy import PrivacyRepository

    async with sessions.begin() as session:
        for member, query in ((MEMBER, "monnaie locale"), (MODERATOR, "autre")):
            await session.execute(
                insert(SavedSearch).values(
                    member_id=member, query=query, created_at=datetime.now(UTC)
                )
            )
    async with sessions() as session:  # the safety net, were searches not registered
        others = await PrivacyRepository(session).rows_by_member_id(MEMBER, exclude=set())
    assert [r["query"] for r in others["saved_searches"]] == ["monnaie locale"]
    exported = await PrivacyService(sessions).export(MEMBER)
    assert "other_tables" not in exported  # every feature registers now
    assert [r["query"] for r in exported["search"]] == ["monnaie locale"]
