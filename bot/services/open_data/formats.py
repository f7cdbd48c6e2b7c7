"""The three files, written and read back: GeoJSON (RFC 7946), CSV, GoGoCarto elements.

Each JSON file names its licence and attribution at the top (GeoJSON: foreign members, which
RFC 7946 § 6.1 allows; GoGoCarto: beside ``data``, as GoGoCarto's own API puts its licence).
The CSV carries them through ``datapackage.json`` (see :mod:`bot.services.open_data.package`)
and, over HTTP, ``Link`` headers.

CSV decision: cells are written as they are, a leading ``=`` or ``-`` included. The surveys
export prefixes such cells with ``'`` because it is opened by double-click in a spreadsheet;
this file is read by programs, against a schema: a prefix would change the data (every Breton
longitude starts with ``-``) and break the round trip. docs/open_data.md tells spreadsheet users
to import it as text.

Readers return raw values keyed by our field names; :mod:`bot.services.open_data.checks`
decides what is acceptable. They raise :class:`UnreadableFile` only when the file as a whole
cannot be read.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.config import OpenDataConfig
from bot.services.open_data.records import FIELDS, OpenInnovation


class Format(StrEnum):
    CSV = "csv"
    JSON = "json"  # GoGoCarto elements
    GEOJSON = "geojson"


MEDIA_TYPES = {
    Format.CSV: "text/csv; charset=utf-8; header=present",
    Format.JSON: "application/json; charset=utf-8",
    Format.GEOJSON: "application/geo+json",
}


class UnreadableFile(ValueError):
    """The file is not one of our formats at all (its reason is shown as is)."""


@dataclass(frozen=True)
class Incoming:
    where: str  # « line 3 », « feature 2 », « element 5 »: how the report names it
    values: dict[str, Any]  # raw values by field name; an absent key means « not in the file »


def write(fmt: Format, items: Iterable[OpenInnovation], licence: OpenDataConfig) -> bytes:
    """The file of ``items`` in ``fmt``, UTF-8."""
    if fmt is Format.CSV:
        return _csv(items)
    head = {"licence": licence.licence, "licence_url": licence.licence_url}
    head["attribution"] = licence.attribution
    if fmt is Format.GEOJSON:
        body: dict[str, Any] = {"type": "FeatureCollection", **head}
        body["features"] = [_feature(item) for item in items]
    else:
        body = {**head, "ontology": "gogofull", "data": [_element(item) for item in items]}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def read(fmt: Format, data: bytes) -> list[Incoming]:
    """The items of a file in ``fmt``; UnreadableFile when it is not such a file."""
    try:
        text = data.decode("utf-8-sig")  # a spreadsheet may add a byte order mark
    except UnicodeDecodeError as exc:
        raise UnreadableFile(f"not UTF-8 ({exc.reason} at byte {exc.start})") from None
    if fmt is Format.CSV:
        return _read_csv(text)
    try:
        body = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UnreadableFile(f"not JSON ({exc.msg}, line {exc.lineno})") from None
    except RecursionError:
        raise UnreadableFile("not JSON we can read (nested too deep)") from None
    return _read_geojson(body) if fmt is Format.GEOJSON else _read_gogocarto(body)


def _csv(items: Iterable[OpenInnovation]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)  # RFC 4180: comma, CRLF, quotes only where needed
    writer.writerow(FIELDS)
    for item in items:
        row = [getattr(item, name) for name in FIELDS[:-1]]
        writer.writerow(["" if value is None else value for value in row] + [item.updated])
    return out.getvalue().encode()


def _properties(item: OpenInnovation) -> dict[str, Any]:
    names = ("title", "summary", "theme", "commune", "departement", "organisation", "website")
    return {"id": item.id} | {name: getattr(item, name) for name in names}


def _feature(item: OpenInnovation) -> dict[str, Any]:
    geometry = None  # RFC 7946 § 3.2: an unlocated feature has a null geometry
    if item.latitude is not None and item.longitude is not None:
        geometry = {"type": "Point", "coordinates": [item.longitude, item.latitude]}
    properties = _properties(item) | {"updated_at": item.updated}
    return {"type": "Feature", "id": item.id, "geometry": geometry, "properties": properties}


def _element(item: OpenInnovation) -> dict[str, Any]:
    """A GoGoCarto element: name, geo, address, categories, website, and our other fields."""
    element: dict[str, Any] = {"id": str(item.id), "name": item.title}
    element["description"] = item.summary
    if item.latitude is not None and item.longitude is not None:
        element["geo"] = {"latitude": item.latitude, "longitude": item.longitude}
    element["address"] = {"addressLocality": item.commune, "addressCountry": "FR"}
    element["categories"] = [item.theme] if item.theme else []
    element |= {"website": item.website, "organisation": item.organisation}
    element |= {"departement": item.departement, "updatedAt": item.updated}
    return element


def _read_csv(text: str) -> list[Incoming]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = reader.fieldnames
    except csv.Error as exc:
        raise UnreadableFile(f"not CSV we can read at line 1 ({exc})") from None
    if header is None or "title" not in header:
        raise UnreadableFile("no 'title' column in the header line")
    known = [name for name in header if name in FIELDS]
    found = []
    try:
        for row in reader:
            values = {name: row[name] for name in known if row.get(name) is not None}
            found.append(Incoming(f"line {reader.line_num}", values))
    except csv.Error as exc:  # a cell over the csv module's 128 KiB, a NUL byte…
        raise UnreadableFile(f"not CSV we can read after line {reader.line_num} ({exc})") from None
    return found


def _read_geojson(body: Any) -> list[Incoming]:
    if not isinstance(body, dict) or body.get("type") != "FeatureCollection":
        raise UnreadableFile("not a GeoJSON FeatureCollection")
    features = body.get("features")
    if not isinstance(features, list):
        raise UnreadableFile("'features' is not a list")
    found = []
    for number, feature in enumerate(features, 1):
        where = f"feature {number}"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            found.append(Incoming(where, {"problem": "not a GeoJSON Feature"}))
            continue
        props = feature.get("properties") or {}
        values = {k: v for k, v in props.items() if k in FIELDS} if isinstance(props, dict) else {}
        _take(values, props, "title", "name")
        _take(values, props, "summary", "description")
        if "id" not in values and "id" in feature:
            values["id"] = feature["id"]
        geometry = feature.get("geometry")
        values |= {"latitude": None, "longitude": None}
        if isinstance(geometry, dict) and geometry.get("type") == "Point":
            point = geometry.get("coordinates")
            if isinstance(point, list) and len(point) >= 2:
                values["longitude"], values["latitude"] = point[0], point[1]
            else:
                values["problem"] = "its Point has no [longitude, latitude]"
        elif geometry is not None:
            kind = geometry.get("type") if isinstance(geometry, dict) else type(geometry).__name__
            values["problem"] = f"its geometry is a {kind}, not a Point"
        found.append(Incoming(where, values))
    return found


def _read_gogocarto(body: Any) -> list[Incoming]:
    elements = body.get("data") if isinstance(body, dict) else body
    if not isinstance(elements, list):
        raise UnreadableFile('no list of elements (GoGoCarto: {"data": [...]})')
    found = []
    for number, element in enumerate(elements, 1):
        where = f"element {number}"
        if not isinstance(element, dict):
            found.append(Incoming(where, {"problem": "not a JSON object"}))
            continue
        names = ("id", "website", "organisation", "departement")
        values = {k: element[k] for k in names if k in element}
        _take(values, element, "title", "name", "title")
        _take(values, element, "summary", "description")
        geo = element.get("geo")
        if isinstance(geo, dict):
            values |= {"latitude": geo.get("latitude"), "longitude": geo.get("longitude")}
        else:
            values["latitude"] = element.get("latitude", element.get("lat"))
            values["longitude"] = element.get("longitude", element.get("lng"))
        address = element.get("address")
        if isinstance(address, dict) and "addressLocality" in address:
            values["commune"] = address["addressLocality"]
        categories = element.get("categories")
        if isinstance(categories, list):
            values["theme"] = next((c for c in categories if isinstance(c, str)), "")
        found.append(Incoming(where, values))
    return found


def _take(values: dict[str, Any], source: Any, field: str, *names: str) -> None:
    """``values[field]``, when not set, from the first of ``names`` in ``source`` (the names
    other tools use: GoGoCarto's ``name``, a GeoJSON's ``description``)."""
    if field in values or not isinstance(source, dict):
        return
    for name in names:
        if name in source:
            values[field] = source[name]
            return
