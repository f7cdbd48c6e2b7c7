"""Browsing and near-me services on SQLite and PostgreSQL (events: test_events_service.py)."""

from __future__ import annotations

from bot.services.catalogue.communes import CommuneDirectory
from bot.services.catalogue.service import CatalogueService
from storage.db import Sessions
from storage.models import Innovation


async def test_labs_pages_and_neighbours(sessions: Sessions) -> None:
    browse = CatalogueService(sessions, CommuneDirectory.load())
    first, last = await browse.labs(0), await browse.labs(2)
    assert (len(first.items), first.pages, first.total) == (8, 3, 17)
    assert len(last.items) == 1
    assert (await browse.labs(99)).page == 2
    card = await browse.lab(first.items[0].id)
    assert card is not None
    assert card.previous_id is None
    assert card.next_id == first.items[1].id
    assert await browse.lab(slug="nexistepas") is None


async def test_innovations_by_departement_and_commune_coordinates(sessions: Sessions) -> None:
    async with sessions.begin() as session:
        session.add(Innovation(title="Ressourcerie", commune="Quimperlé", departement="29"))
        session.add(Innovation(title="En attente", commune="Brest", departement="29", status="x"))
    browse = CatalogueService(sessions, CommuneDirectory.load())
    finistere = await browse.innovations(0, departement="29")
    assert [i.title for i in finistere.items] == ["Ressourcerie"]
    card = await browse.innovation(finistere.items[0].id)
    assert card is not None
    assert card.latitude is not None
    assert 47.8 < card.latitude < 47.9
    found = await browse.nearest_innovations(47.87, -3.55)
    assert [n.title for n in found][:1] == ["Ressourcerie"]
    assert found[0].km < 2
    assert "En attente" not in [n.title for n in found]
