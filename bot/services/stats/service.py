"""The figures organisers read in /stats: community, catalogue, gatherings, surveys, and how the
bot itself is doing (what waits to be sent or handled, which instance leads).

Decisions:
- « Active » means seen by the bot in the last 30 days: ``members.last_seen_at``, written on
  every update (at most every 10 minutes per member, see the members service). The intake
  journal is pruned after 7 days, so it cannot say it.
- « Blocked the bot » is ``is_reachable`` false: Telegram answered 403 to our last send and the
  member has not written since (writing again makes them reachable).
- Gatherings: the next ``EVENTS`` not cancelled. « Waiting » counts the waiting list and the
  places offered but not yet confirmed (both are people the organisers have to plan for).
- Surveys: every open survey and the latest closed ones (``SURVEYS`` in all), each with its
  response rate as the results give it (respondents per ``gave_an_answer`` over invited; none
  for a survey open to everyone).
- Outbox depth: pending and being sent; its age is that of the oldest pending row already due
  (a reminder planned for next week is not late).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.config import DeploymentConfig
from bot.formatting import percent
from storage.db import Sessions
from storage.models import LeaderLease, utcnow
from storage.repositories.catalogue import CatalogueRepository
from storage.repositories.events import COMING, MAYBE, OFFER, WAIT, EventRepository
from storage.repositories.health import HealthRepository
from storage.repositories.leadership import LeadershipRepository
from storage.repositories.stats import CLOSED, OPEN, Backlog, MemberCounts, StatsRepository

ACTIVE_DAYS = 30
EVENTS = 5
SURVEYS = 3
# Proposal statuses in the order organisers care about: what waits for them first.
PROPOSAL_STATUSES = ("pending", "published", "refused", "draft")


@dataclass(frozen=True)
class EventFigures:
    title: str
    starts_at: datetime
    coming: int
    maybe: int
    waiting: int
    capacity: int | None


@dataclass(frozen=True)
class SurveyFigures:
    title: str
    open: bool
    open_to_all: bool
    invited: int
    respondents: int

    @property
    def response_rate(self) -> int | None:
        """Whole percent of the invited who answered; None when there is nobody to count over."""
        if self.open_to_all or not self.invited:
            return None
        return percent(self.respondents, self.invited)


@dataclass(frozen=True)
class Leader:
    """Who serves Telegram: in single mode this process; in ha mode the lease's holder."""

    single: bool
    instance: str
    epoch: int = 0
    since: datetime | None = None
    expired: bool = False  # ha mode: the lease ran out and no standby took it yet


@dataclass(frozen=True)
class Stats:
    at: datetime
    members: MemberCounts
    labs: int
    innovations: int
    events_held: int  # not cancelled, past and upcoming: the catalogue's figure
    proposals: dict[str, int]  # every status of PROPOSAL_STATUSES, zeros included
    upcoming: tuple[EventFigures, ...]
    surveys_open: int
    surveys_closed: int
    surveys: tuple[SurveyFigures, ...]
    outbox_depth: int
    outbox_late: timedelta | None  # how long the oldest due row has waited; None: nothing due
    intake_waiting: int
    intake_lag: timedelta | None
    leader: Leader


class StatsService:
    """Reads the figures with a few aggregate queries in one session, nothing written.

    Each figure is as of its own query (SQLite reads outside a transaction, PostgreSQL at READ
    COMMITTED): a dashboard read in a few milliseconds needs no snapshot, and taking one would
    hold back SQLite's WAL checkpoints for nothing."""

    def __init__(self, sessions: Sessions, deployment: DeploymentConfig) -> None:
        self._sessions = sessions
        self._deployment = deployment

    async def stats(self, now: datetime | None = None) -> Stats:
        """Every figure of /stats as of ``now``."""
        now = now or utcnow()
        async with self._sessions() as session:
            repo, events = StatsRepository(session), EventRepository(session)
            catalogue = await CatalogueRepository(session).counts()
            members = await repo.members(now - timedelta(days=ACTIVE_DAYS))
            proposals = await repo.proposals_by_status()
            upcoming = await events.upcoming(now, EVENTS)
            attendance = await events.attendance([e.id for e in upcoming])
            by_status = await repo.surveys_by_status()
            surveys = await repo.latest_surveys(SURVEYS)
            respondents = await repo.respondents([s.id for s in surveys])
            outbox, intake = await _backlogs(HealthRepository(session), now)
            lease = None
            if self._deployment.mode != "single":
                lease = await LeadershipRepository(session).current()
        counts = {event.id: attendance.get(event.id, {}) for event in upcoming}
        return Stats(
            at=now,
            members=members,
            labs=catalogue["labs"],
            innovations=catalogue["innovations"],
            events_held=catalogue["events"],
            proposals={status: proposals.get(status, 0) for status in PROPOSAL_STATUSES},
            upcoming=tuple(
                EventFigures(
                    title=event.title,
                    starts_at=event.starts_at,
                    coming=counts[event.id].get(COMING, 0),
                    maybe=counts[event.id].get(MAYBE, 0),
                    waiting=counts[event.id].get(WAIT, 0) + counts[event.id].get(OFFER, 0),
                    capacity=event.capacity,
                )
                for event in upcoming
            ),
            surveys_open=by_status.get(OPEN, 0),
            surveys_closed=by_status.get(CLOSED, 0),
            surveys=tuple(
                SurveyFigures(
                    title=row.title,
                    open=row.status == OPEN,
                    open_to_all=row.open_to_all,
                    invited=row.invited,
                    respondents=respondents.get(row.id, 0),
                )
                for row in surveys
            ),
            outbox_depth=outbox.waiting,
            outbox_late=None if outbox.oldest is None else max(now - outbox.oldest, timedelta()),
            intake_waiting=intake.waiting,
            intake_lag=None if intake.oldest is None else max(now - intake.oldest, timedelta()),
            leader=self._leader(lease, now),
        )

    def _leader(self, lease: LeaderLease | None, now: datetime) -> Leader:
        if self._deployment.mode == "single":
            return Leader(single=True, instance=self._deployment.instance)
        if lease is None or not lease.holder:
            return Leader(single=False, instance="")
        return Leader(
            single=False,
            instance=lease.holder,
            epoch=lease.epoch,
            since=lease.acquired_at,
            expired=lease.expires_at <= now,
        )


async def _backlogs(health: HealthRepository, now: datetime) -> tuple[Backlog, Backlog]:
    """The outbox (pending or being sent; the oldest pending row already due) and the intake
    (not handled yet), read with /readyz's and /metrics' own queries."""
    open_rows = await health.outbox_open()
    first_due = await health.outbox_first_due()
    waiting, oldest = await health.intake_waiting()
    outbox = Backlog(
        open_rows["pending"] + open_rows["sending"],
        first_due if first_due is not None and first_due <= now else None,
    )
    return outbox, Backlog(waiting, oldest)
