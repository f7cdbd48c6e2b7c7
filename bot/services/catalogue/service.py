"""The catalogue: labs and approved innovations as pages and cards, FAQ entries.

Decisions: labs keep the order of the 2013 collection; innovations are listed by title within a
theme or a département. A card of something deleted or not approved is simply not found.
Events, their figures and follow-ups are the events feature's (bot/services/events).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.services.catalogue.communes import CommuneDirectory
from bot.services.catalogue.nearby import Nearby, NearbyFinder
from storage.db import Sessions
from storage.models import FaqEntry, Innovation
from storage.repositories.catalogue import CatalogueRepository
from storage.repositories.events import EventRepository

LABS_PER_PAGE = 8
INNOVATIONS_PER_PAGE = 8


@dataclass(frozen=True)
class Item:
    id: int
    title: str


@dataclass(frozen=True)
class ListPage:
    items: tuple[Item, ...]
    page: int
    pages: int
    total: int


@dataclass(frozen=True)
class LabCard:
    id: int
    slug: str
    title: str
    outcome: str
    theme: str
    event: Item | None
    innovations: tuple[Item, ...]
    previous_id: int | None
    next_id: int | None


@dataclass(frozen=True)
class InnovationCard:
    innovation: Innovation
    lab: Item | None
    latitude: float | None  # its own, else its commune's
    longitude: float | None


def _pages(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


class CatalogueService:
    def __init__(self, sessions: Sessions, communes: CommuneDirectory) -> None:
        self._sessions, self._communes = sessions, communes
        self._nearby = NearbyFinder(sessions, communes)

    async def counts(self) -> dict[str, int]:
        """Labs, events and approved innovations in the catalogue (and members)."""
        async with self._sessions() as session:
            return await CatalogueRepository(session).counts()

    async def card_exists(self, target: str) -> bool:
        """Whether a deep-link target (``lab-<id or slug>``, ``innovation-<id>``,
        ``event-<id or slug>``) names a card members can open (a QR code of a missing card
        would greet them with the welcome)."""
        kind, _, rest = target.partition("-")
        number = int(rest) if rest.isdigit() and len(rest) <= 12 else None
        async with self._sessions() as session:
            repo, events = CatalogueRepository(session), EventRepository(session)
            if kind == "lab":
                lab = await repo.lab(number) if number is not None else None
                return (lab or await repo.lab_by_slug(rest)) is not None
            if kind == "innovation":
                return number is not None and await repo.innovation(number) is not None
            if kind == "event":
                event = await events.event(number) if number is not None else None
                return (event or await events.event_by_slug(rest)) is not None
        return False

    async def nearest_innovations(
        self, latitude: float, longitude: float, limit: int = 5
    ) -> list[Nearby]:
        """The ``limit`` nearest approved innovations, nearest first."""
        return await self._nearby.nearest(latitude, longitude, limit)

    async def labs(self, page: int) -> ListPage:
        """One page of at most 8 labs."""
        async with self._sessions() as session:
            repo = CatalogueRepository(session)
            _, total = await repo.labs(0, 1)
            page = min(max(page, 0), _pages(total, LABS_PER_PAGE) - 1)
            rows, total = await repo.labs(page * LABS_PER_PAGE, LABS_PER_PAGE)
        items = tuple(Item(r.id, r.title) for r in rows)
        return ListPage(items, page, _pages(total, LABS_PER_PAGE), total)

    async def lab(self, lab_id: int | None = None, slug: str | None = None) -> LabCard | None:
        """A lab with its event, its innovations and its neighbours in the collection."""
        async with self._sessions() as session:
            repo = CatalogueRepository(session)
            lab = (
                await repo.lab(lab_id)
                if lab_id is not None
                else await repo.lab_by_slug(slug or "")
            )
            if lab is None:
                return None
            events = EventRepository(session)
            event = await events.event(lab.event_id) if lab.event_id is not None else None
            innovations = await repo.innovations_of_lab(lab.id)
            order = await repo.lab_ids()
        at = order.index(lab.id)
        return LabCard(
            lab.id,
            lab.slug,
            lab.title,
            lab.outcome,
            lab.theme,
            Item(event.id, event.title) if event else None,
            tuple(Item(r.id, r.title) for r in innovations),
            order[at - 1] if at > 0 else None,
            order[at + 1] if at + 1 < len(order) else None,
        )

    async def themes(self) -> list[str]:
        """Themes of approved innovations (their position is their id in buttons)."""
        async with self._sessions() as session:
            return await CatalogueRepository(session).themes()

    async def innovations(
        self, page: int, *, theme: str | None = None, departement: str | None = None
    ) -> ListPage:
        """One page of approved innovations of a theme or a département."""
        per = INNOVATIONS_PER_PAGE
        async with self._sessions() as session:
            repo = CatalogueRepository(session)
            rows, total = await repo.innovations(
                theme=theme, departement=departement, offset=max(page, 0) * per, limit=per
            )
        items = tuple(Item(r.id, r.title) for r in rows)
        return ListPage(items, max(page, 0), _pages(total, per), total)

    async def innovation(self, innovation_id: int) -> InnovationCard | None:
        """An approved innovation with its lab and where to pin it on a map."""
        async with self._sessions() as session:
            repo = CatalogueRepository(session)
            found = await repo.innovation(innovation_id)
            if found is None:
                return None
            lab = await repo.lab(found.lab_id) if found.lab_id is not None else None
        latitude, longitude = found.latitude, found.longitude
        if latitude is None or longitude is None:
            commune = self._communes.find(found.commune, found.departement or None)
            if commune is not None:
                latitude, longitude = commune.latitude, commune.longitude
        return InnovationCard(found, Item(lab.id, lab.title) if lab else None, latitude, longitude)

    async def faq(self, faq_id: int) -> FaqEntry | None:
        async with self._sessions() as session:
            return await CatalogueRepository(session).faq(faq_id)

    async def faq_questions(self) -> list[tuple[int, str]]:
        """(id, question) of the FAQ entries that are questions, in the catalogue's order."""
        async with self._sessions() as session:
            entries = await CatalogueRepository(session).faq_entries()
        return [(e.id, e.question) for e in entries if e.question.rstrip().endswith("?")]
