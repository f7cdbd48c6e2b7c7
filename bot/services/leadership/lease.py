"""The lease's rules: when a standby takes it, how the leader keeps it, when it counts as lost.

A standby tries to take the lease every ``STANDBY_POLL_SECONDS`` (a released lease is taken
within that, an expired one within that of its expiry). The leader renews it every
``renew_seconds``; the lease is *lost* when a renewal finds another holder or epoch, or when no
renewal has succeeded for ``lease_seconds`` minus a margin by this process's own monotonic clock
(:attr:`Term.deadline`): the database may be out of reach, and past that point a standby may
already lead. Each renewal pushes the deadline to ``lease_seconds`` after the moment it was
*sent*, which is before the database stamped the new expiry, so the deadline always falls before
the expiry another instance sees. A lost lease is never taken back by the same process.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from bot.config import DeploymentConfig
from bot.metrics import LEADER_CHANGES
from storage.db import Sessions
from storage.repositories.leadership import LeadershipRepository, LeaseView

log = logging.getLogger(__name__)
STANDBY_POLL_SECONDS = 0.5
# The leader stops this long before its lease could expire: time to stop what it started.
MARGIN_SECONDS = 1.0


class Term:
    """One leadership term of this process: its epoch and whether it still holds."""

    def __init__(self, holder: str, epoch: int, deadline: float) -> None:
        self.holder = holder
        self.epoch = epoch
        self.deadline = deadline  # time.monotonic() past which the lease counts as lost
        self.lost = asyncio.Event()
        self.why = ""
        self.won_at = time.monotonic()

    @property
    def holds(self) -> bool:
        """Whether the lease is still ours (checked against the deadline each time)."""
        if not self.lost.is_set() and time.monotonic() >= self.deadline:
            self.lose("not renewed in time")
        return not self.lost.is_set()

    def end(self, why: str) -> None:
        """The term is over (released): nothing more is done as leader."""
        if not self.lost.is_set():
            self.why = why
            self.lost.set()

    def lose(self, why: str) -> None:
        """The lease is lost: from now on nothing may be done as leader."""
        if self.lost.is_set():
            return
        self.end(why)
        LEADER_CHANGES.labels(change="lost_lease").inc()
        log.error("lost the lease (epoch %d): %s; fenced", self.epoch, why)


class Leadership:
    """Take the lease (standby), keep it (leader), give it back (stop)."""

    def __init__(self, sessions: Sessions, settings: DeploymentConfig) -> None:
        self._sessions = sessions
        self.instance = settings.instance
        self._lease = float(settings.lease_seconds)
        self._renew = float(settings.renew_seconds)
        self._renewing: asyncio.Task[None] | None = None
        self.term: Term | None = None

    def leads(self) -> bool:
        """Whether this process holds the lease now (checked against the deadline)."""
        term = self.term
        return term is not None and term.holds

    @property
    def role(self) -> str:
        """This instance's role now, for /readyz and /stats: "leader" or "standby"."""
        return "leader" if self.leads() else "standby"

    async def acquire(self) -> Term | None:
        """One try at the lease; the term won, or None (someone else holds it)."""
        sent = time.monotonic()
        async with self._sessions.begin() as session:
            epoch = await LeadershipRepository(session).acquire(self.instance, self._lease)
        if epoch is None:
            return None
        self.term = Term(self.instance, epoch, sent + self._lease - MARGIN_SECONDS)
        LEADER_CHANGES.labels(change="became_leader").inc()
        return self.term

    async def current(self) -> LeaseView | None:
        async with self._sessions.begin() as session:
            return await LeadershipRepository(session).view()

    async def wait(self, stopping: asyncio.Event) -> Term | None:
        """Standby until the lease is won (the term, renewed from then on) or ``stopping``."""
        seen: tuple[str, int] | None = None
        failing = False
        while not stopping.is_set():
            try:
                term = await self.acquire()
                if term is not None:
                    log.info("lease won (epoch %d): starting as leader", term.epoch)
                    self._renewing = asyncio.create_task(self._keep(term), name="lease:renew")
                    return term
                view = await self.current()
                failing = False
            except Exception as exc:  # the database away for a moment: a standby just waits
                if not failing:  # once per outage, not twice a second
                    log.warning("standby: cannot reach the lease (%s); trying again", exc)
                failing, view = True, None
            if view is not None and (view.holder, view.epoch) != seen:
                seen = (view.holder, view.epoch)
                log.info("standby: %s leads (epoch %d)", view.holder, view.epoch)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), STANDBY_POLL_SECONDS)
        return None

    async def renew(self, term: Term) -> bool:
        """One renewal; False once the lease is lost."""
        if not term.holds:
            return False
        sent = time.monotonic()
        try:
            async with asyncio.timeout(self._renew), self._sessions.begin() as session:
                kept = await LeadershipRepository(session).renew(
                    term.holder, term.epoch, self._lease
                )
        except Exception as exc:  # unknown outcome: only the deadline decides
            log.warning("lease: renewal failed (%s); trying again", exc)
            return term.holds
        if not kept:
            term.lose("another instance holds it now")
            return False
        if term.holds:  # the renewal came back before the old deadline: extend it
            term.deadline = sent + self._lease - MARGIN_SECONDS
        return term.holds

    async def _keep(self, term: Term) -> None:
        while await self.renew(term):
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(term.lost.wait(), self._next_wait(term))

    def _next_wait(self, term: Term) -> float:
        # Every renew_seconds, and at the latest when the deadline comes (to notice it).
        return max(0.0, min(self._renew, term.deadline - time.monotonic()))

    async def release(self) -> None:
        """Stop renewing and expire the lease now (a standby takes over at once)."""
        if self._renewing is not None:
            self._renewing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._renewing
        term = self.term
        if term is None or not term.holds:
            return
        try:
            async with self._sessions.begin() as session:
                released = await LeadershipRepository(session).release(term.holder, term.epoch)
        except Exception as exc:
            log.warning("lease: release failed (%s); it expires on its own", exc)
            released = False
        term.end("released")
        if released:
            LEADER_CHANGES.labels(change="released").inc()
            log.info("lease released (epoch %d)", term.epoch)
