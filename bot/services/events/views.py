"""An event as members see it: one frozen view for every path that shows an event.

The same view feeds the card reached from /evenements, /rencontres, a search hit, the FAQ, a
deep link or a poster's QR code, and the notices and reminders planned into the outbox: so
the card reads the same everywhere. ``upcoming`` is decided once, when the view is built.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote_plus

from storage.models import Event, EventFigure, EventFollowUp
from storage.repositories.events import EventRepository

MAP_URL = "https://www.openstreetmap.org/search?query={query}"


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
) -> EventView:
    """The member-facing view of an event row, as seen at ``now``."""
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
    )


async def views_of(
    repo: EventRepository, events: Sequence[Event], now: datetime
) -> list[EventView]:
    """The views of ``events`` with their counts, figures and follow-ups (three queries)."""
    ids = [event.id for event in events]
    if not ids:
        return []
    coming = await repo.coming_counts(ids)
    figures = await repo.figures_of(ids)
    follow_ups = await repo.follow_ups_of(ids)
    return [
        view_of(e, coming.get(e.id, 0), now, figures.get(e.id, ()), follow_ups.get(e.id, ()))
        for e in events
    ]


async def view_in(repo: EventRepository, event: Event, now: datetime) -> EventView:
    """The view of one event, read in the caller's transaction."""
    return (await views_of(repo, [event], now))[0]
