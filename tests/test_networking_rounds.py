"""Café réseautage rounds through the Bot API double: open, invite, join, skip, pause, pair,
exactly one outcome message per participant, follow-ups, and 300 attendees of 40 structures."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select

from bot.console.bot_api import FakeTelegram
from bot.context import BotApp, Deps
from bot.services.networking.fields import structure_key
from storage.models import Member, Profile, RoundMember
from tests.conftest import ADMIN_ID
from tests.support.driver import MemberChat
from tests.support.networking import deliver, make_profile, member

ChatWith = Callable[..., MemberChat]


def outcome_chats(fake: FakeTelegram, ids: list[int]) -> Counter[int]:
    """How many café outcome messages each member received."""
    counts: Counter[int] = Counter()
    for member_id in ids:
        for text in fake.bot_texts(member_id):
            if text.startswith(("☕ Ton café réseautage", "☕ Pas de groupe", "☕ Tu étais seul")):
                counts[member_id] += 1
    return counts


async def test_a_round_from_opening_to_follow_up(
    app: BotApp, fake: FakeTelegram, deps: Deps, chat_with: ChatWith
) -> None:
    admin = chat_with(ADMIN_ID, first_name="Yann")
    people = [
        member(app, fake, 5000 + n, name)
        for n, name in enumerate(["Anne", "Bleuenn", "Corentin", "Dewi", "Erwan"])
    ]
    for n, chat in enumerate(people):
        await make_profile(
            chat, name=chat_name(n), structure=f"Structure {n % 3}", commune="Rennes"
        )
    await admin.say("/cafe_ouvrir")
    assert "Pour ouvrir un café réseautage" in admin.last_text()
    await admin.say("/cafe_ouvrir 13/02/2020 14h")
    assert "Cette date est passée" in admin.last_text()
    await admin.say("/cafe_ouvrir demain 12h30")
    assert "Café réseautage n° 1 ouvert pour tout le réseau" in admin.last_text()
    assert "5 personnes peuvent être invitées" in admin.last_text()
    await admin.press("📨 Inviter ces personnes")
    assert "5 invitations en route" in admin.last_text()
    await deliver(app, deps)
    for chat in people:
        assert "Café réseautage" in chat.last_text()
    # Anne, Bleuenn, Corentin join; Dewi skips; Erwan joins then pauses.
    for chat in people[:3] + people[4:]:
        await chat.press("✅ Je participe")
    await people[3].press("Je passe mon tour")
    await people[4].say("/cafe")
    await people[4].press("⏸ Pause 4 semaines")
    row = (await deps.networking.rounds.rounds())[0]
    tick = await deps.networking.rounds.tick(row.starts_at - timedelta(hours=12))
    assert tick.reminded == 3  # the day before, to the three who joined and are not paused
    tick = await deps.networking.rounds.tick(row.starts_at + timedelta(minutes=1))
    assert tick.paired == 3
    again = await deps.networking.rounds.tick(row.starts_at + timedelta(minutes=2))
    assert again.paired == 0  # made once
    await deliver(app, deps, row.starts_at + timedelta(minutes=3))
    ids = [c.user_id for c in people]
    counts = outcome_chats(fake, ids)
    assert counts == Counter({ids[0]: 1, ids[1]: 1, ids[2]: 1})  # skipped and paused: none
    trio = fake.bot_texts(ids[0])[-1]
    assert "voici les 2 personnes de ta table" in trio
    # Halfway: « Vous êtes-vous rencontrés ? »
    await deps.networking.rounds.tick(row.starts_at + timedelta(days=7, minutes=1))
    await deliver(app, deps, row.starts_at + timedelta(days=7, minutes=2))
    anne = people[0]
    assert "vous êtes-vous rencontré·e·s" in anne.last_text()
    await anne.press("Oui")
    await anne.press("👍 Utile")
    await admin.say("/cafe_bilan")
    # Erwan joined, then paused: signed up, but in no group.
    report = admin.last_text()
    assert "inscrit·e·s : 4 · en groupe : 3 · rencontré·e·s : 1 · « utile » : 1" in report


def chat_name(n: int) -> str:
    return ["Anne", "Bleuenn", "Corentin", "Dewi", "Erwan"][n]


async def test_joining_needs_a_profile_and_members_only_see_their_pools(
    app: BotApp, fake: FakeTelegram, deps: Deps
) -> None:
    lonely = member(app, fake, 6001, "Gwen")
    start = datetime.now(UTC) + timedelta(days=3)
    view = await deps.networking.rounds.open(ADMIN_ID, start)
    assert await deps.networking.rounds.choose(view.id, 6001, "joined") == "not_in_pool"
    await lonely.say("/cafe")
    assert "Aucun café réseautage ouvert pour toi" in lonely.last_text()
    invitation = lonely.earlier_button(f"networking:rjoin:{view.id}")
    await lonely.press_data(f"networking:rjoin:{view.id}", invitation)
    assert fake.callback_answers[-1]["text"] == "Ce tour n'est pas ouvert pour toi."


async def test_300_attendees_of_40_structures_each_get_exactly_one_outcome(
    app: BotApp, fake: FakeTelegram, deps: Deps
) -> None:
    ids = [70_000 + n for n in range(300)]
    async with deps.sessions.begin() as session:
        await session.execute(
            insert(Member),
            [{"telegram_id": i, "first_name": f"M{i}", "language": "fr"} for i in ids],
        )
        await session.execute(
            insert(Profile),
            [
                {
                    "member_id": i,
                    "name": f"Membre {i}",
                    "structure": f"Structure {i % 40}",
                    "structure_key": structure_key(f"Structure {i % 40}"),
                    "commune": "Rennes",
                    "departement": "35",
                }
                for i in ids
            ],
        )
    for i in ids:
        fake.add_user(i, f"M{i}")
    rounds = deps.networking.rounds
    start = datetime.now(UTC) + timedelta(days=2)
    view = await rounds.open(ADMIN_ID, start)
    skipping, pausing = ids[:10], ids[10:20]
    for i in ids:
        assert await rounds.choose(view.id, i, "skipped" if i in skipping else "joined") == "done"
    for i in pausing:
        await rounds.pause(i, 4)
    await rounds.tick(start + timedelta(minutes=1))
    await deliver(app, deps, start + timedelta(minutes=2))
    counts = outcome_chats(fake, ids)
    participants = [i for i in ids if i not in skipping and i not in pausing]
    assert counts == Counter(dict.fromkeys(participants, 1))
    async with deps.sessions() as session:
        rows = list(
            await session.scalars(select(RoundMember).where(RoundMember.round_id == view.id))
        )
    groups: dict[int, list[int]] = {}
    for row in rows:
        if row.group_no is not None:
            groups.setdefault(row.group_no, []).append(row.member_id)
    assert sorted(len(g) for g in groups.values()) == [2] * 140
    assert all(len({m % 40 for m in g}) == len(g) for g in groups.values())  # structures mixed
    # A second round repeats no pair.
    second = await rounds.open(ADMIN_ID, start + timedelta(days=20))
    for i in participants:
        await rounds.choose(second.id, i, "joined")
    for i in pausing:
        await rounds.resume(i)
    await rounds.tick(start + timedelta(days=15))  # ends the first round
    await rounds.tick(start + timedelta(days=20, minutes=1))
    async with deps.sessions() as session:
        rows = list(
            await session.scalars(select(RoundMember).where(RoundMember.round_id == second.id))
        )
    again: dict[int, set[int]] = {}
    for row in rows:
        if row.group_no is not None:
            again.setdefault(row.group_no, set()).add(row.member_id)
    first_pairs = {frozenset(g) for g in groups.values()}
    assert not first_pairs & {frozenset(g) for g in again.values()}


async def test_the_outcome_shows_only_visible_fields_and_no_contact(
    app: BotApp, fake: FakeTelegram, deps: Deps
) -> None:
    secret, shown = "Coopérative Secrète", "Brest"
    async with deps.sessions.begin() as session:
        await session.execute(
            insert(Member),
            [
                {"telegram_id": i, "first_name": n, "language": "fr", "username": u}
                for i, n, u in ((8001, "Katell", "katell_bzh"), (8002, "Loeiz", ""))
            ],
        )
        await session.execute(
            insert(Profile),
            [
                {
                    "member_id": 8001,
                    "name": "Katell",
                    "structure": secret,
                    "structure_key": structure_key(secret),
                    "commune": shown,
                    "departement": "29",
                    "hidden": "structure",
                },
                {"member_id": 8002, "name": "Loeiz", "structure": "Ti Récup"},
            ],
        )
    for i, n in ((8001, "Katell"), (8002, "Loeiz")):
        fake.add_user(i, n, username="katell_bzh" if i == 8001 else None)
    rounds = deps.networking.rounds
    start = datetime.now(UTC) + timedelta(days=2)
    view = await rounds.open(ADMIN_ID, start)
    for i in (8001, 8002):
        await rounds.choose(view.id, i, "joined")
    await rounds.tick(start + timedelta(minutes=1))
    await deliver(app, deps, start + timedelta(minutes=2))
    told = fake.bot_texts(8002)[-1]
    assert "Katell" in told
    assert shown in told
    assert secret not in told  # a hidden field never reaches the group
    assert "katell_bzh" not in told  # no contact without both yeses
    labels = [b["text"] for row in fake.buttons(fake.last_bot_message(8002)) for b in row]
    assert labels == ["🤝 Me mettre en relation avec Katell"]


async def test_a_round_nobody_can_join_yet_says_so_in_the_singular_without_an_invite_button(
    chat_with: Callable[..., MemberChat],
) -> None:
    admin = chat_with(ADMIN_ID, first_name="Yann")
    await admin.say("/cafe_ouvrir demain 12h30")
    assert admin.last_text().endswith("0 personne peut être invitée.")  # French: 0 is singular
    assert "reply_markup" not in admin.last_message()  # nobody to invite: no button
