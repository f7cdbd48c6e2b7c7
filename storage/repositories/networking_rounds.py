"""Café réseautage rows: rounds, who joined, groups, follow-up answers, pauses."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Pause, Profile, ProfileLab, Round, RoundMember, Rsvp

JOINED = "joined"


class RoundRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    # --- rounds ----------------------------------------------------------------------------

    async def add(self, row: Round) -> Round:
        self._session.add(row)
        await self._session.flush()
        return row

    async def get(self, round_id: int) -> Round | None:
        return await self._session.get(Round, round_id)

    async def with_status(self, *statuses: str) -> list[Round]:
        query = select(Round).where(Round.status.in_(statuses)).order_by(Round.starts_at)
        return list(await self._session.scalars(query))

    async def move(self, round_id: int, before: str, after: str, **stamps: datetime) -> bool:
        """``before`` → ``after`` if the round is still ``before``: one process wins."""
        query = (
            update(Round)
            .where(Round.id == round_id, Round.status == before)
            .values(status=after, **stamps)
        )
        result = await self._session.execute(query)
        return bool(getattr(result, "rowcount", 0))

    async def stamp(self, round_id: int, column: str, at: datetime) -> bool:
        """Set ``column`` (invited_at, reminded_at, halfway_at) once: the first caller wins."""
        field = getattr(Round, column)
        query = update(Round).where(Round.id == round_id, field.is_(None)).values({column: at})
        result = await self._session.execute(query)
        return bool(getattr(result, "rowcount", 0))

    async def pool_members(self, pool: str, ref: str) -> list[int]:
        """Who a round of this pool is for: members with a profile (of the lab, of the
        département), or those who said they come to the event."""
        if pool == "event":
            query = select(Rsvp.member_id).where(
                Rsvp.event_id == int(ref or 0), Rsvp.answer == "yes"
            )
        elif pool == "lab":
            query = select(ProfileLab.member_id).where(ProfileLab.lab_id == int(ref or 0))
        elif pool == "territory":
            query = select(Profile.member_id).where(Profile.departement == ref)
        else:
            query = select(Profile.member_id)
        return sorted(set(await self._session.scalars(query)))

    # --- participants ------------------------------------------------------------------------

    async def member(self, round_id: int, member_id: int) -> RoundMember | None:
        return await self._session.get(RoundMember, (round_id, member_id))

    async def put_state(self, round_id: int, member_id: int, state: str) -> None:
        row = await self.member(round_id, member_id)
        if row is None:
            self._session.add(RoundMember(round_id=round_id, member_id=member_id, state=state))
        else:
            row.state = state
        await self._session.flush()

    async def members(self, round_id: int, state: str | None = JOINED) -> list[RoundMember]:
        query = select(RoundMember).where(RoundMember.round_id == round_id)
        if state is not None:
            query = query.where(RoundMember.state == state)
        return list(await self._session.scalars(query.order_by(RoundMember.member_id)))

    async def set_groups(
        self, round_id: int, groups: Mapping[int, int], left_out: Mapping[int, str]
    ) -> None:
        for member_id, group_no in groups.items():
            await self._session.execute(
                update(RoundMember)
                .where(RoundMember.round_id == round_id, RoundMember.member_id == member_id)
                .values(group_no=group_no, left_out="")
            )
        for member_id, reason in left_out.items():
            await self._session.execute(
                update(RoundMember)
                .where(RoundMember.round_id == round_id, RoundMember.member_id == member_id)
                .values(group_no=None, left_out=reason)
            )

    async def answer(self, round_id: int, member_id: int, **values: object) -> bool:
        """A follow-up answer from a member who was in a group of the round."""
        query = (
            update(RoundMember)
            .where(
                RoundMember.round_id == round_id,
                RoundMember.member_id == member_id,
                RoundMember.group_no.is_not(None),
            )
            .values(**values)
        )
        result = await self._session.execute(query)
        return bool(getattr(result, "rowcount", 0))

    async def grouped_before(self, when: datetime) -> list[tuple[int, int, int]]:
        """(round id, member id, group no) of every group of rounds paired before ``when``,
        newest round first: who met whom, for the next matching."""
        query = (
            select(RoundMember.round_id, RoundMember.member_id, RoundMember.group_no)
            .join(Round, Round.id == RoundMember.round_id)
            .where(Round.starts_at < when, Round.status.in_(("paired", "done")))
            .where(RoundMember.group_no.is_not(None))
            .order_by(Round.starts_at.desc(), RoundMember.round_id.desc())
        )
        return [(r, m, g) for r, m, g in await self._session.execute(query) if g is not None]

    async def left_out_last_time(self, member_ids: Sequence[int], when: datetime) -> set[int]:
        """Members whose latest round before ``when`` left them out: they come first now."""
        latest = (
            select(RoundMember.member_id, func.max(Round.starts_at).label("at"))
            .join(Round, Round.id == RoundMember.round_id)
            .where(RoundMember.member_id.in_(list(member_ids)), Round.starts_at < when)
            .where(Round.status.in_(("paired", "done")), RoundMember.state == JOINED)
            .group_by(RoundMember.member_id)
            .subquery()
        )
        query = (
            select(RoundMember.member_id)
            .join(Round, Round.id == RoundMember.round_id)
            .join(
                latest,
                (latest.c.member_id == RoundMember.member_id) & (latest.c.at == Round.starts_at),
            )
            .where(RoundMember.left_out != "")
        )
        return set(await self._session.scalars(query))

    async def recent_answers(self, member_id: int, rounds: int) -> list[str]:
        """The member's answers (``met``) in their latest grouped rounds that are done."""
        query = (
            select(RoundMember.met)
            .join(Round, Round.id == RoundMember.round_id)
            .where(RoundMember.member_id == member_id, RoundMember.group_no.is_not(None))
            .where(Round.status == "done")
            .order_by(Round.starts_at.desc())
            .limit(rounds)
        )
        return list(await self._session.scalars(query))

    async def counts(self, round_id: int) -> dict[str, int]:
        """Joined, grouped, met, useful: what organisers see per round."""
        rows = await self.members(round_id, state=None)
        return {
            "joined": sum(1 for r in rows if r.state == JOINED),
            "paired": sum(1 for r in rows if r.group_no is not None),
            "met": sum(1 for r in rows if r.met == "yes"),
            "useful": sum(1 for r in rows if r.useful),
        }

    # --- pauses -------------------------------------------------------------------------------

    async def paused(self, member_ids: Iterable[int], at: datetime) -> set[int]:
        query = select(Pause.member_id).where(
            Pause.member_id.in_(list(member_ids)), Pause.until > at
        )
        return set(await self._session.scalars(query))

    async def pause(self, member_id: int, until: datetime, reason: str) -> None:
        row = await self._session.get(Pause, member_id)
        if row is None:
            self._session.add(Pause(member_id=member_id, until=until, reason=reason))
        else:
            row.until, row.reason = until, reason
        await self._session.flush()

    async def resume(self, member_id: int) -> None:
        await self._session.execute(delete(Pause).where(Pause.member_id == member_id))

    async def pause_of(self, member_id: int) -> Pause | None:
        return await self._session.get(Pause, member_id)

    # --- privacy ------------------------------------------------------------------------------

    async def rows_of(self, member_id: int) -> list[RoundMember]:
        query = select(RoundMember).where(RoundMember.member_id == member_id)
        return list(await self._session.scalars(query.order_by(RoundMember.round_id)))

    async def erase(self, member_id: int) -> None:
        """Every round row and pause naming the member (groups then lose them, as they should)."""
        await self._session.execute(delete(RoundMember).where(RoundMember.member_id == member_id))
        await self._session.execute(delete(Pause).where(Pause.member_id == member_id))
        await self._session.execute(
            update(Round).where(Round.created_by == member_id).values(created_by=None)
        )
