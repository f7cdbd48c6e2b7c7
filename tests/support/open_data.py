"""A small catalogue for the open-data tests: located, unlocated, awkward and unpublished items."""

from __future__ import annotations

from typing import Any

from bot.services.catalogue.communes import CommuneDirectory
from storage.db import Sessions
from storage.models import Innovation, Member

ANNE = 4242  # a member who proposed an item: nothing of hers may be published
# Prefectures of the five départements: their directory coordinates are the truth to compare.
LOCATED = ("Rennes", "Brest", "Quimper", "Vannes", "Saint-Brieuc", "Nantes")
AWKWARD_SUMMARY = '=HYPERLINK("http://x.example") ; « guillemets », "quotes"\nsecond line'


def catalogue_rows(communes: CommuneDirectory) -> list[dict[str, Any]]:
    """Values of the test innovations (the first ones with 8 decimals of coordinates)."""
    rows: list[dict[str, Any]] = []
    for number, name in enumerate(LOCATED, 1):
        commune = communes.find(name)
        assert commune is not None
        rows.append(
            {
                "title": f"Repair café n° {number}",
                "summary": f"Réparer ensemble à {name}.",
                "theme": "Réemploi",
                "commune": commune.name,
                "departement": commune.departement,
                "latitude": commune.latitude + 0.00000123,
                "longitude": commune.longitude - 0.00000456,
                "organisation": f"Association {number}",
                "website": f"https://repair{number}.example.org",
            }
        )
    rows.append(
        {
            "title": "Épicerie solidaire, « La Cambuse »",
            "summary": AWKWARD_SUMMARY,
            "theme": "Alimentation",
            "commune": "Lorient",
            "departement": "56",
            "organisation": "-Collectif-",
            "submitted_by": ANNE,
        }
    )
    return rows


async def add_catalogue(sessions: Sessions, communes: CommuneDirectory) -> None:
    """The test items, plus a refused one that must never be published."""
    async with sessions.begin() as session:
        session.add(Member(telegram_id=ANNE, first_name="Anne", username="anne_secret"))
        await session.flush()
        session.add_all(Innovation(**values) for values in catalogue_rows(communes))
        session.add(Innovation(title="Refusée", commune="Brest", status="refused"))
