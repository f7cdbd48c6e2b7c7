"""One published innovation as open data: the fields every format carries, nothing personal.

Decisions: only ``approved`` innovations, and of them only what members already see on a card
(never ``submitted_by`` nor anything about members); coordinates rounded to 6 decimals (about
11 cm, RFC 7946 § 11.2 asks for no false precision); ``updated_at`` in UTC to the second.
An innovation without coordinates keeps none: its commune's centre is not where it is, and a
consumer (GoGoCarto geocodes from ``address``) can place it better than a guess written here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

# The column order of the CSV and of the Table Schema; never reorder (consumers read by index).
FIELDS = (
    "id",
    "title",
    "summary",
    "theme",
    "commune",
    "departement",
    "latitude",
    "longitude",
    "organisation",
    "website",
    "updated_at",
)
# The texts an import may set, with the lengths the database columns hold.
TEXTS = {
    "title": 200,
    "summary": 20_000,
    "theme": 100,
    "commune": 100,
    "departement": 3,
    "organisation": 200,
    "website": 300,
}
DECIMALS = 6


@dataclass(frozen=True)
class OpenInnovation:
    id: int
    title: str
    summary: str
    theme: str
    commune: str
    departement: str
    latitude: float | None
    longitude: float | None
    organisation: str
    website: str
    updated_at: datetime

    @classmethod
    def of(cls, row: Any) -> OpenInnovation:
        """The open-data view of a row of ``OpenDataRepository.published``."""
        lat, lon = row.latitude, row.longitude
        if lat is None or lon is None or not math.isfinite(lat + lon):
            lat = lon = None  # half a position is none; NaN (TOML allows it) is not JSON
        return cls(
            id=row.id,
            title=row.title,
            summary=row.summary,
            theme=row.theme,
            commune=row.commune,
            departement=row.departement,
            latitude=None if lat is None else round(lat, DECIMALS),
            longitude=None if lon is None else round(lon, DECIMALS),
            organisation=row.organisation,
            website=row.website,
            updated_at=row.updated_at.astimezone(UTC).replace(microsecond=0),
        )

    @property
    def updated(self) -> str:
        """``updated_at`` as ISO 8601 with ``Z``."""
        return self.updated_at.isoformat().replace("+00:00", "Z")
