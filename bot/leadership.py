"""ha mode's wiring: the Bot API requests of a leader, fenced by its lease.

Every request this process makes to Telegram goes through :class:`LeaderRequest`, which checks
the term first (:attr:`Term.holds`, against the monotonic deadline each time): before the lease
is won, once it is lost, or when it could have expired, no reply, send or ``getUpdates``
leaves, whatever task asks.
That holds even for a process paused past its lease (a stopped VM, a long GC): the first request
after it wakes finds the deadline passed. The outbox fences its claims in the database too
(``storage/repositories/delivery.py``), so a leader that lost the lease claims nothing more.

While an update is handled (``bot.intake.HANDLING``), the first request it makes is preceded by
its "answering" mark, committed: if this leader dies before marking the update done, the next
leader finds it answering and reports it in doubt instead of answering it a second time. An
update whose handling had a request refused is not marked done: the next leader handles it
(or, if something had already left, reports it in doubt).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from telegram._utils.types import ODVInput
from telegram.error import NetworkError
from telegram.request import BaseRequest, HTTPXRequest, RequestData

from bot.intake import HANDLING, Handling
from bot.services.intake.journal import IntakeJournal
from bot.services.leadership.lease import Leadership, Term

log = logging.getLogger(__name__)


class Fenced(NetworkError):
    """This process is not the leader any more: the request was not sent."""

    def __init__(self) -> None:
        super().__init__("not the leader any more (lease lost): the request was not sent")


class LeaderRequest(BaseRequest):
    """A Bot API request backend that sends only while ``holds()`` (this process's term holds)."""

    __slots__ = ("_holds", "_inner", "_journal")

    def __init__(
        self, inner: BaseRequest, holds: Callable[[], bool], journal: IntakeJournal | None
    ) -> None:
        self._inner = inner
        self._holds = holds
        self._journal = journal

    @property
    def read_timeout(self) -> float | None:
        return self._inner.read_timeout

    async def initialize(self) -> None:
        await self._inner.initialize()

    async def shutdown(self) -> None:
        await self._inner.shutdown()

    async def do_request(  # noqa: PLR0917 (PTB's signature)
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        handling = HANDLING.get()
        if not self._holds():
            raise self._fenced(handling)
        if self._journal is not None and handling is not None:
            await handling.answering(self._journal.answering)
            if not self._holds():
                raise self._fenced(handling)
        return await self._inner.do_request(
            url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
        )

    @staticmethod
    def _fenced(handling: Handling | None) -> Fenced:
        if handling is not None and not handling.over:
            handling.fenced = True
        return Fenced()


def leader_requests(
    leadership: Leadership | Term,
    journal: IntakeJournal | None,
    inner: tuple[BaseRequest, BaseRequest] | None = None,
) -> tuple[LeaderRequest, LeaderRequest]:
    """(requests, getUpdates requests) for an Application that may speak while ``leadership``
    leads (or while the one ``Term`` holds): PTB's own defaults (a pool of 256 connections, and
    one for the long poll), fenced."""
    if isinstance(leadership, Term):
        term = leadership

        def holds() -> bool:
            return term.holds
    else:
        holds = leadership.leads
    requests, updates = inner or (
        HTTPXRequest(connection_pool_size=256),
        HTTPXRequest(connection_pool_size=1),
    )
    return LeaderRequest(requests, holds, journal), LeaderRequest(updates, holds, None)
