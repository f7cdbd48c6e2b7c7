"""Offline directory of the communes of the five départements, with their coordinates."""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from rapidfuzz import fuzz, process

from storage.folding import fold

DEPARTEMENTS: dict[str, str] = {
    "22": "Côtes-d'Armor",
    "29": "Finistère",
    "35": "Ille-et-Vilaine",
    "44": "Loire-Atlantique",
    "56": "Morbihan",
}

_EARTH_RADIUS_KM = 6371.0088
_SEPARATORS = re.compile(r"[\s\-'’_.]+")
_SAINT = re.compile(r"\b(st|ste)\b")


@dataclass(frozen=True)
class Commune:
    name: str
    departement: str
    latitude: float
    longitude: float


def fold_place(name: str) -> str:
    """Accent-, case-, hyphen- and apostrophe-insensitive form of a place name (« St-Brieuc »)."""
    text = _SEPARATORS.sub(" ", fold(name)).strip()
    # Members write « St Malo » as often as « Saint-Malo ».
    return _SAINT.sub(lambda m: "saint" if m.group(1) == "st" else "sainte", text)


def is_position(latitude: float, longitude: float) -> bool:
    """Whether a shared location is a point on Earth (a modified client can send NaN, ±inf or
    a latitude of 1e308: refused politely, never stored nor measured)."""
    return (
        math.isfinite(latitude)
        and math.isfinite(longitude)
        and -90 <= latitude <= 90
        and -180 <= longitude <= 180
    )


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * math.asin(math.sqrt(a))


class CommuneDirectory:
    """Looks communes up by name, forgivingly, from the GeoNames table shipped in storage/data."""

    def __init__(self, communes: list[Commune]) -> None:
        self._communes = communes
        self._by_key: dict[str, list[Commune]] = {}
        for commune in communes:
            self._by_key.setdefault(fold_place(commune.name), []).append(commune)
        self._keys = list(self._by_key)

    @classmethod
    def load(cls) -> CommuneDirectory:
        """The directory of the shipped data file (read once per process)."""
        return _shipped()

    def __len__(self) -> int:
        return len(self._communes)

    def find(self, name: str, departement: str | None = None) -> Commune | None:
        """The commune with exactly this name (ignoring accents, case, hyphens), if known.

        Two communes may share a name in different départements: pass ``departement`` to choose,
        otherwise the first one in département order is returned.
        """
        matches = self._by_key.get(fold_place(name), [])
        if departement is not None:
            matches = [c for c in matches if c.departement == departement]
        return matches[0] if matches else None

    def suggest(self, name: str, limit: int = 3) -> list[Commune]:
        """The closest commune names to a misspelt one (« Landernau » → Landerneau)."""
        key = fold_place(name)
        if not key:
            return []
        found = process.extract(key, self._keys, scorer=fuzz.WRatio, limit=limit, score_cutoff=75)
        return [self._by_key[match][0] for match, _score, _index in found]

    def number(self, commune: Commune) -> int:
        """The commune's place in the table: a short id for a button (see :meth:`at`)."""
        return self._communes.index(commune)

    def at(self, number: int) -> Commune | None:
        """The commune numbered ``number`` by :meth:`number`, if any."""
        return self._communes[number] if 0 <= number < len(self._communes) else None

    def nearest(self, latitude: float, longitude: float) -> Commune | None:
        """The commune closest to a point (for members who share a location)."""
        return min(
            self._communes,
            key=lambda c: distance_km(latitude, longitude, c.latitude, c.longitude),
            default=None,
        )


@cache
def _shipped() -> CommuneDirectory:
    raw = resources.files("storage.data").joinpath("communes.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(io.StringIO(raw))
    return CommuneDirectory(
        [
            Commune(r["name"], r["departement"], float(r["latitude"]), float(r["longitude"]))
            for r in rows
        ]
    )
