"""An event as members see it: one frozen view for every path that shows an event.

The same view feeds the card reached from /evenements, /rencontres, a search hit, the FAQ, a
deep link or a poster's QR code, and the notices and reminders planned into the outbox: so
the card reads the same everywhere. ``upcoming`` is decided once, when the view is built.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from urllib.parse import quote_plus

from storage.models import Event, EventFigure, EventFollowUp, Rsvp
from storage.repositories.events import (
    COMING,
    MAYBE,
    NONE,
    NOT_COMING,
    OFFER,
    WAIT,
    EventRepository,
)

MAP_URL = "https://www.openstreetmap.org/search?query={query}"
# A freed place waits this long for the first member of the waiting list to confirm it (never
# past the start); then it goes to the next one (bot/services/events/waitlist.py).
OFFER_HOLD = timedelta(hours=24)


@dataclass(frozen=True)
class Figure:
    """A published figure (« Participants : 300 personnes »)."""

    label: str
    value: float
    unit: str
    more_than: bool = False  # « plus de 300 personnes », as the source says it


@dataclass(frozen=True)
class FollowUp:
    """A proposal or next step that came out of the event; ``kind`` groups them."""

    kind: str
    text: str


@dataclass(frozen=True)
class EventLink:
    """Enough to offer an event as a button (past events in the list)."""

    id: int
    title: str


@dataclass(frozen=True)
class Mine:
    """One member's own answer as their card shows it (✅ on their choice).

    ``answer``: "yes", "maybe", "no", "wait" (``position`` on the waiting list), "offer" (a
    place is held for them until ``offer_until``) or "" (no answer); ``remind``: « Me rappeler ».
    """

    answer: str = NONE
    remind: bool = False
    position: int = 0
    offer_until: datetime | None = None


@dataclass(frozen=True)
class EventView:
    """Everything the event card shows, with the number of people coming."""

    id: int
    title: str
    description: str
    place: str
    address: str
    theme: str
    starts_at: datetime
    ends_at: datetime | None
    capacity: int | None
    repeats_yearly: bool
    cancelled: bool
    schedule_rev: int
    coming: int
    slug: str = ""
    commune: str = ""
    upcoming: bool = True
    figures: tuple[Figure, ...] = ()
    follow_ups: tuple[FollowUp, ...] = ()
    maybe: int = 0
    waiting: int = 0
    offered: int = 0
    declined: int = 0
    mine: Mine | None = None  # None: the card as everyone sees it (group chats, mass sends)
    changed_at: datetime | None = None  # the row's last write: the calendar feeds' DTSTAMP

    @property
    def taken(self) -> int:
        """Places taken: those coming and those held for a waiting member."""
        return self.coming + self.offered

    @property
    def full(self) -> bool:
        """A new « Je viens » goes to the waiting list (no place, or others wait already)."""
        return self.capacity is not None and (self.taken >= self.capacity or self.waiting > 0)

    @property
    def takes_answers(self) -> bool:
        """« Je viens » and the other answers make sense: still to come and not cancelled."""
        return self.upcoming and not self.cancelled

    @property
    def where(self) -> str:
        parts: list[str] = []
        for part in (self.place, self.address, self.commune):
            if part and not any(part in kept for kept in parts):  # « Rennes » once
                parts.append(part)
        return ", ".join(parts)

    @property
    def map_url(self) -> str:
        return MAP_URL.format(query=quote_plus(self.where)) if self.where else ""


def view_of(
    event: Event,
    coming: int,
    now: datetime,
    figures: Iterable[EventFigure] = (),
    follow_ups: Iterable[EventFollowUp] = (),
    *,
    counts: dict[str, int] | None = None,
) -> EventView:
    """The member-facing view of an event row, as seen at ``now``."""
    counts = counts or {}
    return EventView(
        id=event.id,
        slug=event.slug,
        title=event.title,
        description=event.description,
        place=event.place,
        address=event.address,
        commune=event.commune,
        theme=event.theme,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        capacity=event.capacity,
        repeats_yearly=event.repeats_yearly,
        cancelled=event.cancelled_at is not None,
        schedule_rev=event.schedule_rev,
        coming=coming,
        upcoming=event.starts_at >= now,
        figures=tuple(Figure(f.label, f.value, f.unit, f.more_than) for f in figures),
        follow_ups=tuple(FollowUp(f.kind, f.text) for f in follow_ups),
        maybe=counts.get(MAYBE, 0),
        waiting=counts.get(WAIT, 0),
        offered=counts.get(OFFER, 0),
        declined=counts.get(NOT_COMING, 0),
        changed_at=event.updated_at,
    )


async def views_of(
    repo: EventRepository,
    events: Sequence[Event],
    now: datetime,
    member_id: int | None = None,
) -> list[EventView]:
    """The views of ``events`` with their counts, figures and follow-ups (three queries), as
    ``member_id`` sees them when given (their own answer marked; one more query)."""
    ids = [event.id for event in events]
    if not ids:
        return []
    attendance = await repo.attendance(ids)
    figures = await repo.figures_of(ids)
    follow_ups = await repo.follow_ups_of(ids)
    views = [
        view_of(
            e,
            attendance.get(e.id, {}).get(COMING, 0),
            now,
            figures.get(e.id, ()),
            follow_ups.get(e.id, ()),
            counts=attendance.get(e.id, {}),
        )
        for e in events
    ]
    if member_id is None:
        return views
    rows = await repo.rsvps_of_member(ids, member_id)
    return [replace(view, mine=await mine_of(repo, rows.get(view.id), view)) for view in views]


def offer_until(offered_at: datetime, starts_at: datetime) -> datetime:
    """Until when a freed place is held for the waiting member it was offered to."""
    return min(offered_at + OFFER_HOLD, starts_at)


async def mine_of(repo: EventRepository, rsvp: Rsvp | None, view: EventView) -> Mine:
    """The member's own answer: their place on the waiting list, the end of a held place."""
    if rsvp is None:
        return Mine()
    position = 0
    if rsvp.answer == WAIT and rsvp.ticket is not None:
        position = await repo.queue_position(view.id, rsvp.ticket)
    until = None
    if rsvp.answer == OFFER and rsvp.offered_at is not None:
        until = offer_until(rsvp.offered_at, view.starts_at)
    return Mine(rsvp.answer, rsvp.remind, position, until)


async def view_in(
    repo: EventRepository,
    event: Event,
    now: datetime,
    member_id: int | None = None,
) -> EventView:
    """The view of one event, read in the caller's transaction."""
    return (await views_of(repo, [event], now, member_id))[0]
