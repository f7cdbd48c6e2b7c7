"""What an imported item must be: a title, texts the columns hold, a place in our region.

Decisions: the coordinates must be a WGS 84 point *and* fall in a generous box around the five
départements (46–49.5° N, 6–0.5° W): the catalogue is Breton, and a point outside it is nearly
always latitude and longitude swapped (a common slip between GeoJSON's and a spreadsheet's
order), which the answer says. Half a position (one of the two) is refused, never half-kept.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from bot.services.open_data.formats import Incoming
from bot.services.open_data.records import DECIMALS, TEXTS

SOUTH, NORTH, WEST, EAST = 46.0, 49.5, -6.0, -0.5


@dataclass(frozen=True)
class Candidate:
    where: str
    id: int | None
    values: dict[str, Any]  # clean values of the fields the file has (both coordinates or none)

    @property
    def title(self) -> str:
        return str(self.values["title"])


class Rejected(ValueError):
    """Why an item cannot come in, in a few words for the report."""


def check(item: Incoming) -> Candidate:
    """The item's clean values, or Rejected saying what is wrong with it."""
    raw = item.values
    if "problem" in raw:
        raise Rejected(raw["problem"])
    values: dict[str, Any] = {}
    for name, longest in TEXTS.items():
        if name in raw:
            values[name] = _text(name, raw[name], longest)
    if not values.get("title"):
        raise Rejected("missing title")
    if "latitude" in raw or "longitude" in raw:
        values["latitude"], values["longitude"] = _point(raw.get("latitude"), raw.get("longitude"))
    return Candidate(item.where, _id(raw.get("id")), values)


def _text(name: str, value: Any, longest: int) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise Rejected(f"{name} is not a text ({type(value).__name__})")
    text = str(value).strip()
    if len(text) > longest:
        raise Rejected(f"{name} is longer than {longest} characters ({len(text)})")
    return text


def _id(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value < 2**31:
        raise Rejected(f"id {value!r} is not a catalogue id (a whole number)")
    return value


def _number(name: str, value: Any) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        try:
            return float(value.strip().replace(",", "."))  # « 48,11 » from a French spreadsheet
        except ValueError:
            raise Rejected(f"{name} {value.strip()[:30]!r} is not a number") from None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Rejected(f"{name} is not a number ({type(value).__name__})")
    return float(value)


def _point(lat_value: Any, lon_value: Any) -> tuple[float | None, float | None]:
    lat, lon = _number("latitude", lat_value), _number("longitude", lon_value)
    if lat is None and lon is None:
        return None, None
    if lat is None or lon is None:
        raise Rejected(f"only the {'longitude' if lat is None else 'latitude'} is given")
    shown = f"latitude {lat:g}, longitude {lon:g}"
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise Rejected(f"coordinates out of range ({shown})")
    if not (SOUTH <= lat <= NORTH and WEST <= lon <= EAST):
        swapped = SOUTH <= lon <= NORTH and WEST <= lat <= EAST
        hint = ": latitude and longitude swapped?" if swapped else ""
        raise Rejected(f"coordinates outside Brittany ({shown}){hint}")
    return round(lat, DECIMALS), round(lon, DECIMALS)
