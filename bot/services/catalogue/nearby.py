"""The approved innovations nearest to a member's shared location, with distances.

Innovations with coordinates are looked up in a growing box around the member (so 100k rows
are never all read); those with only a commune take the commune's coordinates from the offline
GeoNames table. Decision: the box grows up to about 300 km, enough for the five départements.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bot.services.catalogue.communes import CommuneDirectory, distance_km
from storage.db import Sessions
from storage.repositories.catalogue import CatalogueRepository

_BOXES_KM = (5.0, 20.0, 60.0, 150.0, 300.0)
_PER_BOX = 200


@dataclass(frozen=True)
class Nearby:
    id: int
    title: str
    commune: str
    km: float


class NearbyFinder:
    def __init__(self, sessions: Sessions, communes: CommuneDirectory) -> None:
        self._sessions, self._communes = sessions, communes

    async def nearest(self, latitude: float, longitude: float, limit: int = 5) -> list[Nearby]:
        """The ``limit`` nearest approved innovations, nearest first."""
        async with self._sessions() as session:
            repo = CatalogueRepository(session)
            found: dict[int, Nearby] = {}
            for km in _BOXES_KM:
                dlat = km / 111.0
                dlon = km / (111.0 * max(math.cos(math.radians(latitude)), 0.01))
                rows = await repo.located(
                    latitude - dlat, latitude + dlat, longitude - dlon, longitude + dlon, _PER_BOX
                )
                for r in rows:
                    d = distance_km(latitude, longitude, r.latitude, r.longitude)
                    found[r.id] = Nearby(r.id, r.title, r.commune, d)
                if sum(1 for n in found.values() if n.km <= km) >= limit:
                    break
            close = []
            for name in await repo.communes_without_coordinates():
                commune = self._communes.find(name)
                if commune is not None:
                    d = distance_km(latitude, longitude, commune.latitude, commune.longitude)
                    close.append((d, name))
            close.sort()
            by_commune = {name: d for d, name in close[: limit * 2]}
            for r in await repo.in_communes(list(by_commune), limit * 10):
                found[r.id] = Nearby(r.id, r.title, r.commune, by_commune[r.commune])
        return sorted(found.values(), key=lambda n: (n.km, n.title))[:limit]
