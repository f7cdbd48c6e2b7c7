"""The open-data files: published items only, nothing personal, licence and attribution in each;
GeoJSON longitude first (RFC 7946), the CSV valid against its Table Schema (frictionless), the
GoGoCarto elements map readers expect, and ``updated_since``."""

from __future__ import annotations

import csv
import io
import json
import math
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from frictionless import Package, Resource, Schema
from sqlalchemy import delete, update

from bot.config import OpenDataConfig
from bot.services.catalogue.communes import CommuneDirectory
from bot.services.open_data.formats import Format
from bot.services.open_data.package import CSV_FILE, PACKAGE_FILE, SCHEMA_FILE, schema_bytes
from bot.services.open_data.records import FIELDS
from bot.services.open_data.service import BadSince, OpenDataService, parse_since
from storage.db import Sessions
from storage.models import Innovation
from tests.support.open_data import ANNE, AWKWARD_SUMMARY, LOCATED, add_catalogue

LICENCE = OpenDataConfig(
    licence="CC-BY-4.0",
    licence_url="https://creativecommons.org/licenses/by/4.0/",
    attribution="Réseau test — données ouvertes",
)
PUBLISHED = 8  # the seeded innovation and the 7 test ones (the refused one is not)


@pytest.fixture
async def service(sessions: Sessions) -> OpenDataService:
    await add_catalogue(sessions, CommuneDirectory.load())
    return OpenDataService(sessions, LICENCE, "https://bot.example.org")


def _nothing_personal(body: bytes) -> None:
    text = body.decode()
    for secret in (str(ANNE), "anne_secret", "submitted_by", "Refusée", "refused", "status"):
        assert secret not in text


def assert_rfc7946(collection: Any) -> None:
    """The rules of RFC 7946 a FeatureCollection of points must follow."""
    assert collection["type"] == "FeatureCollection"
    # § 7.1: foreign members must not use the names of GeoJSON's own members.
    assert not {"coordinates", "geometries", "geometry", "properties"} & set(collection)
    for feature in collection["features"]:
        assert feature["type"] == "Feature"
        assert isinstance(feature["id"], int | str)  # § 3.2: a string or a number
        assert isinstance(feature["properties"], dict)
        geometry = feature["geometry"]  # § 3.2: the member is required, null when unlocated
        if geometry is None:
            continue
        assert geometry["type"] == "Point"
        longitude, latitude = geometry["coordinates"]
        assert all(isinstance(x, float) and math.isfinite(x) for x in (longitude, latitude))
        assert -180 <= longitude <= 180
        assert -90 <= latitude <= 90
        for value in (longitude, latitude):  # § 11.2: no false precision (≤ 6 decimals)
            assert round(value, 6) == value


async def test_geojson_is_rfc7946_longitude_first_published_only(
    service: OpenDataService,
) -> None:
    body = await service.export(Format.GEOJSON)
    collection = json.loads(body)
    assert_rfc7946(collection)
    assert (collection["licence"], collection["attribution"]) == (
        LICENCE.licence,
        LICENCE.attribution,
    )
    assert collection["licence_url"] == LICENCE.licence_url
    features = {f["properties"]["title"]: f for f in collection["features"]}
    assert len(features) == PUBLISHED
    communes = CommuneDirectory.load()
    for number, name in enumerate(LOCATED, 1):
        commune = communes.find(name)
        assert commune is not None
        longitude, latitude = features[f"Repair café n° {number}"]["geometry"]["coordinates"]
        assert -5.2 < longitude < -1  # Brittany is west of Greenwich...
        assert 47 < latitude < 49  # ...and north of the 47th parallel
        assert longitude == pytest.approx(commune.longitude, abs=1e-5)
        assert latitude == pytest.approx(commune.latitude, abs=1e-5)
    unlocated = features["Épicerie solidaire, « La Cambuse »"]
    assert unlocated["geometry"] is None
    assert unlocated["properties"]["commune"] == "Lorient"
    assert set(unlocated["properties"]) == set(FIELDS) - {"latitude", "longitude"}
    _nothing_personal(body)


async def test_csv_validates_against_its_published_schema(
    service: OpenDataService, tmp_path: Path
) -> None:
    body = await service.export(Format.CSV)
    rows = list(csv.reader(io.StringIO(body.decode(), newline="")))
    assert rows[0] == list(FIELDS)
    assert len(rows) == 1 + PUBLISHED
    awkward = next(row for row in rows if row[1].startswith("Épicerie"))
    # Written as it is: no « ' » prefix, the line break and quotes kept (see formats.py).
    assert (awkward[2], awkward[6], awkward[7], awkward[8]) == (
        AWKWARD_SUMMARY,
        "",
        "",
        "-Collectif-",
    )
    assert all(row[7].startswith("-") for row in rows[1:] if row[7])  # longitudes, unprefixed
    _nothing_personal(body)
    path = tmp_path / CSV_FILE
    path.write_bytes(body)
    schema = Schema.from_descriptor(json.loads(service.schema()))
    report = Resource(path=CSV_FILE, basepath=str(tmp_path), schema=schema).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_the_schema_refuses_what_it_must(tmp_path: Path) -> None:
    """The schema is not a formality: a bad file fails, each problem named."""
    path = tmp_path / "bad.csv"
    good = "1,Titre,,,Rennes,35,48.1,-1.6,,,2026-11-01T08:00:00Z"
    path.write_text(
        ",".join(FIELDS)
        + f"\n{good}\n{good}\n"  # the same id twice
        + "2,,,,Rennes,35,48.1,-1.6,,,2026-11-01T08:00:00Z\n"  # no title
        + "3,Loin,,,Rennes,35,95,-1.6,,,2026-11-01T08:00:00Z\n"  # latitude 95
        + "4,Hier,,,Rennes,35,48.1,-1.6,,,hier\n",  # not a date-time
        encoding="utf-8",
    )
    schema = Schema.from_descriptor(json.loads(schema_bytes()))
    report = Resource(path=path.name, basepath=str(tmp_path), schema=schema).validate()
    found = sorted(
        (row, str(field), kind)
        for row, field, kind in report.flatten(["rowNumber", "fieldName", "type"])
    )
    assert found == [
        (3, "None", "primary-key"),  # a row-level error: no field named
        (3, "id", "unique-error"),
        (4, "title", "constraint-error"),
        (5, "latitude", "constraint-error"),
        (6, "updated_at", "type-error"),
    ]


async def test_datapackage_names_licence_attribution_and_validates(
    service: OpenDataService, tmp_path: Path
) -> None:
    descriptor = json.loads(service.datapackage())
    assert descriptor["licenses"] == [{"name": LICENCE.licence, "path": LICENCE.licence_url}]
    assert descriptor["sources"] == [
        {"title": LICENCE.attribution, "path": "https://bot.example.org/open/"}
    ]
    (tmp_path / PACKAGE_FILE).write_bytes(service.datapackage())
    (tmp_path / SCHEMA_FILE).write_bytes(service.schema())
    (tmp_path / CSV_FILE).write_bytes(await service.export(Format.CSV))
    report = Package(str(tmp_path / PACKAGE_FILE)).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


async def test_gogocarto_elements(service: OpenDataService) -> None:
    body = json.loads(await service.export(Format.JSON))
    assert (body["licence"], body["attribution"]) == (LICENCE.licence, LICENCE.attribution)
    elements = {e["name"]: e for e in body["data"]}
    assert len(elements) == PUBLISHED
    brest = elements["Repair café n° 2"]
    assert set(brest) >= {"id", "name", "description", "geo", "address", "categories"}
    assert set(brest) >= {"website", "updatedAt"}
    assert brest["address"] == {"addressLocality": "Brest", "addressCountry": "FR"}
    assert brest["categories"] == ["Réemploi"]
    assert brest["website"] == "https://repair2.example.org"
    assert -5 < brest["geo"]["longitude"] < -4 < 48 < brest["geo"]["latitude"] < 49
    assert brest["id"].isdigit()
    assert datetime.fromisoformat(brest["updatedAt"]).tzinfo == UTC
    assert "geo" not in elements["Épicerie solidaire, « La Cambuse »"]  # no invented position


async def test_updated_since_keeps_only_recent_changes(
    service: OpenDataService, sessions: Sessions
) -> None:
    old, recent = datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 11, 5, 9, tzinfo=UTC)
    async with sessions.begin() as session:
        await session.execute(update(Innovation).values(updated_at=old))
        await session.execute(
            update(Innovation)
            .where(Innovation.title.in_(["Repair café n° 1", "Repair café n° 4"]))
            .values(updated_at=recent)
        )
    since = parse_since("2026-11-01")
    body = json.loads(await service.export(Format.GEOJSON, updated_since=since))
    titles = sorted(f["properties"]["title"] for f in body["features"])
    assert titles == ["Repair café n° 1", "Repair café n° 4"]
    assert body["features"][0]["properties"]["updated_at"] == "2026-11-05T09:00:00Z"
    later = await service.export(
        Format.CSV, updated_since=parse_since("2026-11-05T10:00:00+01:00")
    )
    assert len(later.decode().splitlines()) == 1 + 2  # 09:00 UTC is 10:00 in Paris: included
    none = await service.export(Format.CSV, updated_since=parse_since("2026-11-05T09:00:01Z"))
    assert none.decode().splitlines() == [",".join(FIELDS)]


def test_updated_since_forms() -> None:
    assert parse_since("2026-11-01") == datetime(2026, 11, 1, tzinfo=UTC)
    assert parse_since("2026-11-01T08:30") == datetime(2026, 11, 1, 8, 30, tzinfo=UTC)
    assert parse_since("2026-11-01T09:30:00+01:00") == datetime(2026, 11, 1, 8, 30, tzinfo=UTC)
    assert parse_since("2026-11-01T08:30:00Z") == datetime(2026, 11, 1, 8, 30, tzinfo=UTC)
    before_year_one = "0001-01-01T00:00+14:00"
    for bad in ("hier", "2026-13-01", "", "1/11/2026", "2026-11-01T25:00", before_year_one):
        with pytest.raises(BadSince):
            parse_since(bad)


async def test_the_kept_copy_follows_every_change(
    service: OpenDataService, sessions: Sessions
) -> None:
    """The full file is kept while the catalogue is unchanged; any change shows at once."""

    async def fresh() -> bytes:
        return await OpenDataService(sessions, LICENCE).export(Format.CSV)

    first = await service.export(Format.CSV)
    assert await service.export(Format.CSV) is first  # the kept copy
    innovation = Innovation.title == "Repair café n° 1"
    changes = [
        update(Innovation).where(innovation).values(summary="Autre texte"),
        update(Innovation).where(innovation).values(status="refused"),
        delete(Innovation).where(Innovation.title == "Repair café n° 2"),
    ]
    seen = [first]
    for change in changes:
        async with sessions.begin() as session:
            await session.execute(change)
        body = await service.export(Format.CSV)
        assert body == await fresh()
        assert body not in seen
        seen.append(body)
    async with sessions.begin() as session:  # one out, one in: as many items as before
        await session.execute(delete(Innovation).where(Innovation.title == "Repair café n° 3"))
        session.add(Innovation(title="Nouvelle", updated_at=datetime(2020, 1, 1, tzinfo=UTC)))
    assert await service.export(Format.CSV) == await fresh()


async def test_a_stored_nan_is_no_position(service: OpenDataService, sessions: Sessions) -> None:
    """PostgreSQL keeps a NaN a TOML seed may hold (SQLite makes it NULL); JSON has none."""
    async with sessions.begin() as session:
        session.add(Innovation(title="Sans lieu sûr", latitude=math.nan, longitude=-1.6))
    body = await service.export(Format.GEOJSON)
    features = json.loads(body, parse_constant=lambda name: pytest.fail(f"{name} in the file"))
    nan = next(f for f in features["features"] if f["properties"]["title"] == "Sans lieu sûr")
    assert nan["geometry"] is None
