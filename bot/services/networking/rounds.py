"""« Café réseautage » rounds: organisers open one, members join by a button, the bot makes the
groups at the round's time and tells each participant once, then asks whether they met.

Rules where the issue is silent, decided here:
- joining needs a profile (the group sees each other's visible fields: that is the point);
  joining a round is consent to be shown to one's group, never to the directory;
- a round lasts ``ROUND_DAYS`` (14 days) from its date: the groups are made and sent at the date,
  « Vous êtes-vous rencontrés ? » is asked halfway, then at the end to those who have not said
  yes, with « utile ? »;
- three done rounds in a row without any answer pause the member for ``SILENT_PAUSE`` and tell
  them (they can come back with one button);
- every message goes through the outbox (one row per purpose and member: exactly once); a
  round's steps are claimed by conditional updates, so two instances never both send.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import combinations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.catalogue.communes import CommuneDirectory
from bot.services.delivery.outbox import DeliveryService, outbox_rows
from bot.services.networking.fields import structure_key
from bot.services.networking.matching import Participant, Rules, make_groups
from bot.services.networking.profiles import ProfileService
from bot.services.networking.round_messages import RoundMessages, RoundView
from bot.services.networking.sending import language_of
from bot.services.networking.views import OwnProfile
from storage.db import Sessions
from storage.models import Round, utcnow
from storage.repositories.networking import ProfileRepository
from storage.repositories.networking_introductions import BlockRepository
from storage.repositories.networking_rounds import JOINED, RoundRepository

log = logging.getLogger(__name__)

ROUND_DAYS = 14
REMIND_BEFORE = timedelta(days=1)
SILENT_ROUNDS = 3
SILENT_PAUSE = timedelta(weeks=8)
ROUND_PAUSE_WEEKS = 4  # « Pause 4 semaines »
POOLS = ("all", "lab", "territory", "event")


@dataclass(frozen=True)
class Tick:
    reminded: int = 0
    paired: int = 0
    asked: int = 0
    paused: int = 0


def _view(row: Round, joined: int = 0) -> RoundView:
    return RoundView(
        row.id,
        row.pool,
        row.pool_ref,
        row.starts_at,
        row.ends_at,
        row.group_size,
        row.in_person,
        row.status,
        joined,
    )


class RoundService:
    def __init__(
        self,
        sessions: Sessions,
        delivery: DeliveryService,
        messages: RoundMessages,
        profiles: ProfileService,
        communes: CommuneDirectory,
    ) -> None:
        self._sessions, self._delivery = sessions, delivery
        self._messages, self._profiles, self._communes = messages, profiles, communes

    @property
    def messages(self) -> RoundMessages:
        """How rounds are worded (the handlers show dates and pools with the same pieces)."""
        return self._messages

    # --- organisers ----------------------------------------------------------------------------

    async def open(
        self,
        created_by: int,
        starts_at: datetime,
        *,
        pool: str = "all",
        pool_ref: str = "",
        group_size: int = 2,
        in_person: bool = False,
    ) -> RoundView:
        """A new round (its invitations wait for the organiser's confirmation)."""
        if pool not in POOLS or not 2 <= group_size <= 4:
            raise ValueError(f"bad round settings: {pool!r}, {group_size}")
        async with self._sessions.begin() as session:
            row = await RoundRepository(session).add(
                Round(
                    pool=pool,
                    pool_ref=pool_ref,
                    starts_at=starts_at,
                    ends_at=starts_at + timedelta(days=ROUND_DAYS),
                    group_size=group_size,
                    in_person=in_person,
                    created_by=created_by,
                )
            )
            row.seed = row.id
            return _view(row)

    async def invitees(self, round_id: int) -> list[int]:
        """The pool's members who have not answered the round yet (not paused)."""
        async with self._sessions() as session:
            repo = RoundRepository(session)
            row = await repo.get(round_id)
            if row is None or row.status != "open":
                return []
            answered = {m.member_id for m in await repo.members(round_id, state=None)}
            pool = [
                m for m in await repo.pool_members(row.pool, row.pool_ref) if m not in answered
            ]
            paused = await repo.paused(pool, utcnow())
            return [m for m in pool if m not in paused]

    async def invite(self, round_id: int) -> int | None:
        """Plan the invitations once (None: already sent or the round is gone)."""
        invitees = await self.invitees(round_id)
        async with self._sessions.begin() as session:
            repo = RoundRepository(session)
            row = await repo.get(round_id)
            if row is None or not await repo.stamp(round_id, "invited_at", utcnow()):
                return None
            rows = []
            for member_id in invitees:
                language = await self._language(session, member_id)
                payload = self._messages.invitation(_view(row), language)
                rows += outbox_rows(f"networking:round:{round_id}:invite", [member_id], payload)
            await self._delivery.insert_in(session, rows)
        self._delivery.notify()
        return len(invitees)

    async def rounds(self, statuses: Sequence[str] = ("open", "paired")) -> list[RoundView]:
        async with self._sessions() as session:
            repo = RoundRepository(session)
            found = await repo.with_status(*statuses)
            return [_view(r, len(await repo.members(r.id))) for r in found]

    async def report(self, round_id: int) -> tuple[RoundView, dict[str, int]] | None:
        async with self._sessions() as session:
            repo = RoundRepository(session)
            row = await repo.get(round_id)
            if row is None:
                return None
            counts = await repo.counts(round_id)
            return _view(row, counts["joined"]), counts

    # --- members -------------------------------------------------------------------------------

    async def open_for(self, member_id: int) -> list[tuple[RoundView, str]]:
        """Open rounds whose pool includes the member, with their state ("" if not answered)."""
        async with self._sessions() as session:
            repo = RoundRepository(session)
            found = []
            for row in await repo.with_status("open"):
                if member_id in await repo.pool_members(row.pool, row.pool_ref):
                    mine = await repo.member(row.id, member_id)
                    found.append((_view(row), mine.state if mine else ""))
            return found

    async def choose(self, round_id: int, member_id: int, state: str) -> str:
        """Join, skip this round or leave it: "done", "no_profile", "closed" or "not_in_pool"."""
        async with self._sessions.begin() as session:
            repo = RoundRepository(session)
            row = await repo.get(round_id)
            if row is None or row.status != "open":
                return "closed"
            if member_id not in await repo.pool_members(row.pool, row.pool_ref):
                return "not_in_pool"
            if state == JOINED and await ProfileRepository(session).get(member_id) is None:
                return "no_profile"
            await repo.put_state(round_id, member_id, state)
            return "done"

    async def pause(self, member_id: int, weeks: int) -> datetime:
        until = utcnow() + timedelta(weeks=max(1, min(weeks, 52)))
        async with self._sessions.begin() as session:
            await RoundRepository(session).pause(member_id, until, "asked")
        return until

    async def resume(self, member_id: int) -> None:
        async with self._sessions.begin() as session:
            await RoundRepository(session).resume(member_id)

    async def paused_until(self, member_id: int) -> datetime | None:
        async with self._sessions() as session:
            pause = await RoundRepository(session).pause_of(member_id)
        return pause.until if pause is not None and pause.until > utcnow() else None

    async def answer_met(self, round_id: int, member_id: int, met: str) -> bool:
        if met not in {"yes", "not_yet", "no"}:
            return False
        async with self._sessions.begin() as session:
            return await RoundRepository(session).answer(round_id, member_id, met=met)

    async def answer_useful(self, round_id: int, member_id: int, useful: bool) -> bool:
        async with self._sessions.begin() as session:
            return await RoundRepository(session).answer(round_id, member_id, useful=useful)

    # --- the clock -----------------------------------------------------------------------------

    async def next_due(self) -> datetime | None:
        """When the next reminder, pairing or follow-up is due."""
        async with self._sessions() as session:
            rows = await RoundRepository(session).with_status("open", "paired")
        times: list[datetime] = []
        for row in rows:
            if row.status == "open":
                times.append(
                    row.starts_at - REMIND_BEFORE if row.reminded_at is None else row.starts_at
                )
            else:
                times.append(row.ends_at if row.halfway_at else _halfway(row))
        return min(times, default=None)

    async def tick(self, now: datetime | None = None) -> Tick:
        """Everything due: reminders, pairings, follow-ups; each step claimed once."""
        now = now or utcnow()
        reminded = paired = asked = paused = 0
        async with self._sessions() as session:
            rows = await RoundRepository(session).with_status("open", "paired")
        for row in rows:
            if row.status == "open" and row.starts_at <= now:
                paired += await self._pair(row.id, now)
            elif row.status == "open" and row.starts_at - REMIND_BEFORE <= now:
                reminded += await self._remind(row.id, now)
            elif row.status == "paired" and row.ends_at <= now:
                done, silent = await self._end(row.id, now)
                asked, paused = asked + done, paused + silent
            elif row.status == "paired" and _halfway(row) <= now:
                asked += await self._halfway(row.id, now)
        if reminded or paired or asked or paused:
            self._delivery.notify()
        return Tick(reminded, paired, asked, paused)

    async def _remind(self, round_id: int, now: datetime) -> int:
        async with self._sessions.begin() as session:
            repo = RoundRepository(session)
            row = await repo.get(round_id)
            if row is None or not await repo.stamp(round_id, "reminded_at", now):
                return 0
            members = await self._participants(repo, row)
            rows = []
            for member_id in members:
                language = await self._language(session, member_id)
                payload = self._messages.reminder(_view(row), language)
                rows += outbox_rows(f"networking:round:{round_id}:remind", [member_id], payload)
            await self._delivery.insert_in(session, rows)
            return len(members)

    async def _participants(self, repo: RoundRepository, row: Round) -> list[int]:
        joined = [m.member_id for m in await repo.members(row.id)]
        paused = await repo.paused(joined, row.starts_at)
        return [m for m in joined if m not in paused]

    async def _pair(self, round_id: int, now: datetime) -> int:
        """Make the groups and plan each participant's one outcome message."""
        async with self._sessions.begin() as session:
            repo = RoundRepository(session)
            if not await repo.move(round_id, "open", "paired", paired_at=now):
                return 0  # another instance (or an earlier tick) made them
            row = await repo.get(round_id)
            if row is None:
                return 0
            ids = await self._participants(repo, row)
            profiles = {p.member_id: p for p in await self._profiles.cards_for(ids)}
            ids = [m for m in ids if m in profiles]  # a profile erased since joining
            pairing = make_groups(
                await self._with_priority(repo, profiles, ids, row.starts_at),
                Rules(group_size=row.group_size, in_person=row.in_person, seed=row.seed),
                met=await self._met(repo, row.starts_at),
                blocks=await BlockRepository(session).pairs_among(ids),
            )
            numbers = {m: n for n, group in enumerate(pairing.groups, 1) for m in group}
            await repo.set_groups(round_id, numbers, pairing.left_out)
            rows = []
            view = _view(row)
            for number, group in enumerate(pairing.groups, 1):
                for member_id in group:
                    language = await self._language(session, member_id)
                    others = [profiles[m] for m in group if m != member_id]
                    payload = self._messages.outcome(view, number, others, language)
                    rows += outbox_rows(
                        f"networking:round:{round_id}:outcome", [member_id], payload
                    )
            for member_id, reason in pairing.left_out.items():
                language = await self._language(session, member_id)
                payload = self._messages.left_out(reason, language)
                rows += outbox_rows(f"networking:round:{round_id}:outcome", [member_id], payload)
            await self._delivery.insert_in(session, rows)
            log.info(
                "round %s: %s groups, %s left out",
                round_id,
                len(pairing.groups),
                len(pairing.left_out),
            )
            return len(ids)

    async def _with_priority(
        self,
        repo: RoundRepository,
        profiles: dict[int, OwnProfile],
        ids: list[int],
        when: datetime,
    ) -> list[Participant]:
        first = await repo.left_out_last_time(ids, when)
        return [self._participant(profiles[m], priority=m in first) for m in ids]

    def _participant(self, own: OwnProfile, *, priority: bool) -> Participant:
        place = None
        if own.commune:
            commune = self._communes.find(own.commune, own.departement or None)
            place = (commune.latitude, commune.longitude) if commune else None
        return Participant(
            member_id=own.member_id,
            structure=structure_key(own.structure) if own.structure else "",
            themes=frozenset(own.themes),
            languages=frozenset(own.languages or ("fr",)),
            place=place,
            priority=priority,
        )

    async def _met(self, repo: RoundRepository, before: datetime) -> dict[frozenset[int], int]:
        """Who met whom in earlier rounds, and how many rounds ago (1 = the last one)."""
        groups: dict[tuple[int, int], list[int]] = defaultdict(list)
        order: list[int] = []
        for round_id, member_id, group_no in await repo.grouped_before(before):
            if round_id not in order:
                order.append(round_id)
            groups[(round_id, group_no)].append(member_id)
        met: dict[frozenset[int], int] = {}
        for (round_id, _), members in groups.items():
            ago = order.index(round_id) + 1
            for pair in combinations(members, 2):
                key = frozenset(pair)
                met[key] = min(met.get(key, ago), ago)
        return met

    async def _halfway(self, round_id: int, now: datetime) -> int:
        async with self._sessions.begin() as session:
            repo = RoundRepository(session)
            if not await repo.stamp(round_id, "halfway_at", now):
                return 0
            return await self._ask(session, repo, round_id, "halfway", everyone=True)

    async def _end(self, round_id: int, now: datetime) -> tuple[int, int]:
        async with self._sessions.begin() as session:
            repo = RoundRepository(session)
            if not await repo.move(round_id, "paired", "done"):
                return 0, 0
            asked = await self._ask(session, repo, round_id, "end", everyone=False)
            paused = 0
            for member in await repo.members(round_id):
                if member.group_no is None:
                    continue
                answers = await repo.recent_answers(member.member_id, SILENT_ROUNDS)
                if len(answers) == SILENT_ROUNDS and not any(answers):
                    await repo.pause(member.member_id, now + SILENT_PAUSE, "silent")
                    language = await self._language(session, member.member_id)
                    payload = self._messages.paused_for_silence(language)
                    await self._delivery.insert_in(
                        session,
                        outbox_rows(
                            f"networking:round:{round_id}:silent", [member.member_id], payload
                        ),
                    )
                    paused += 1
            return asked, paused

    async def _ask(
        self,
        session: AsyncSession,
        repo: RoundRepository,
        round_id: int,
        when: str,
        *,
        everyone: bool,
    ) -> int:
        rows = []
        for member in await repo.members(round_id):
            if member.group_no is None or (not everyone and member.met == "yes"):
                continue
            language = await self._language(session, member.member_id)
            payload = self._messages.follow_up(round_id, when, language)
            rows += outbox_rows(f"networking:round:{round_id}:{when}", [member.member_id], payload)
        await self._delivery.insert_in(session, rows)
        return len(rows)

    async def _language(self, session: AsyncSession, member_id: int) -> str:
        return await language_of(session, self._messages.texts, member_id)


def _halfway(row: Round) -> datetime:
    return row.starts_at + (row.ends_at - row.starts_at) / 2
