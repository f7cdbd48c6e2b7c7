"""Importing an open-data file: what it adds, updates, leaves or refuses and why, written only
without ``--dry-run``; the export of a catalogue imported back changes nothing (Done 4)."""

from __future__ import annotations

import csv
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.config import OpenDataConfig
from bot.services.catalogue.communes import CommuneDirectory
from bot.services.open_data.checks import Rejected, check
from bot.services.open_data.formats import Format, UnreadableFile, read
from bot.services.open_data.matching import Action
from bot.services.open_data.service import OpenDataService
from storage.db import Sessions
from storage.models import Innovation
from tests.support.open_data import add_catalogue

PUBLISHED = 8


@pytest.fixture
async def service(sessions: Sessions) -> OpenDataService:
    await add_catalogue(sessions, CommuneDirectory.load())
    return OpenDataService(sessions, OpenDataConfig())


async def _rows(sessions: Sessions) -> dict[int, tuple[Any, ...]]:
    async with sessions() as session:
        rows = await session.scalars(select(Innovation))
        return {
            r.id: (r.title, r.summary, r.commune, r.latitude, r.website, r.status, r.updated_at)
            for r in rows
        }


@pytest.mark.parametrize("fmt", list(Format))
async def test_export_then_import_changes_nothing(
    service: OpenDataService, sessions: Sessions, fmt: Format
) -> None:
    exported = await service.export(fmt)
    before = await _rows(sessions)
    report = await service.import_file(fmt, exported, dry_run=True)
    assert [line.action for line in report.lines] == [Action.UNCHANGED] * PUBLISHED
    assert report.changes_nothing
    applied = await service.import_file(fmt, exported, dry_run=False)
    assert applied.changes_nothing
    assert await _rows(sessions) == before  # not even updated_at moved
    assert await service.export(fmt) == exported


async def _by_title(sessions: Sessions) -> dict[str, Innovation]:
    async with sessions() as session:
        return {r.title: r for r in await session.scalars(select(Innovation))}


async def test_report_says_what_and_why_then_applies(
    service: OpenDataService, sessions: Sessions
) -> None:
    ids = {title: row.id for title, row in (await _by_title(sessions)).items()}
    header = "id,title,summary,commune,latitude,longitude,website\n"
    lines = [
        ",Jardin partagé,Cultiver ensemble,Redon,47.65,-2.08,",  # 2: add
        ",,Sans nom,Rennes,,,",  # 3: missing title
        ",Trop au nord,,Rennes,95,-1.6,",  # 4: out of range
        ",Inversée,,Rennes,-1.67,48.11,",  # 5: swapped
        ",À moitié,,Rennes,48.1,,",  # 6: half a position
        f"{ids['Repair café n° 2']},Repair café n° 2,Nouveau texte,Brest,,,",  # 7: update by id
        ",REPAIR CAFÉ N°3,Réparer ensemble à Quimper.,Quimper,,,https://new.example",  # 8
        ",Repair café n° 7,,Vannes,,,",  # 9: close to n° 4 in Vannes: too close to guess
        f"{ids['Repair café n° 5']},Ciné-club,,Nantes,,,",  # 10: a foreign id
        ",repair café n° 3,,Quimper,,,",  # 11: n° 3 again
        ",jardin partage,,Redon,,,",  # 12: the new garden again
        ",{},,Rennes,,,".format("x" * 201),  # 13: too long
    ]
    data = (header + "\n".join(lines) + "\n").encode()
    report = await service.import_file(Format.CSV, data, dry_run=True)
    got = [(line.where, line.action.value, line.detail) for line in report.lines]
    assert got == [
        ("line 2", "add", ""),
        ("line 3", "rejected", "missing title"),
        ("line 4", "rejected", "coordinates out of range (latitude 95, longitude -1.6)"),
        (
            "line 5",
            "rejected",
            "coordinates outside Brittany (latitude -1.67, longitude 48.11): "
            "latitude and longitude swapped?",
        ),
        ("line 6", "rejected", "only the latitude is given"),
        ("line 7", "update", "summary, website, latitude, longitude"),
        ("line 8", "update", "title, website, latitude, longitude"),
        (
            "line 9",
            "rejected",
            f"looks like #{ids['Repair café n° 4']} « Repair café n° 4 » in the same commune"
            " (names 93 % alike): give its id to update it, or change the name",
        ),
        (
            "line 10",
            "rejected",
            f"id {ids['Repair café n° 5']} is « Repair café n° 5 » in Saint-Brieuc: not this item"
            " (remove the id to add it)",
        ),
        ("line 11", "rejected", f"same item (#{ids['Repair café n° 3']}) as line 8"),
        ("line 12", "rejected", "same item as line 2"),
        ("line 13", "rejected", "title is longer than 200 characters (201)"),
    ]
    assert (report.count(Action.ADD), report.count(Action.UPDATE)) == (1, 2)
    before = await _by_title(sessions)
    assert "Jardin partagé" not in before  # a dry run writes nothing
    await service.import_file(Format.CSV, data, dry_run=False)
    after = await _by_title(sessions)
    garden = after["Jardin partagé"]
    assert (garden.status, garden.submitted_by, garden.commune) == ("approved", None, "Redon")
    assert (garden.latitude, garden.longitude, garden.theme) == (47.65, -2.08, "")
    assert after["Repair café n° 2"].summary == "Nouveau texte"
    assert after["Repair café n° 2"].latitude is None  # the file said « no position »...
    assert after["Repair café n° 2"].website == ""  # ...and « no website »
    third = after["REPAIR CAFÉ N°3"]  # recognised by its name: the file's spelling wins
    assert (third.id, third.website) == (ids["Repair café n° 3"], "https://new.example")
    assert third.theme == "Réemploi"  # no theme column: kept
    assert third.updated_at > before["Repair café n° 3"].updated_at
    assert len(after) == len(before) + 1
    again = await service.import_file(Format.CSV, data, dry_run=True)
    assert (again.count(Action.ADD), again.count(Action.UPDATE)) == (0, 0)


async def test_foreign_geojson_and_gogocarto_files(service: OpenDataService) -> None:
    geojson = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [-3.37, 47.75]},
                "properties": {"name": "Ressourcerie", "description": "…", "commune": "Lorient"},
            },
            {"type": "Feature", "geometry": {"type": "Polygon"}, "properties": {"name": "Zone"}},
            {"type": "Feature", "geometry": None, "properties": None},
            "a string",
        ],
    }
    report = await service.import_file(Format.GEOJSON, json.dumps(geojson).encode(), dry_run=True)
    assert [(line.action.value, line.detail) for line in report.lines] == [
        ("add", ""),
        ("rejected", "its geometry is a Polygon, not a Point"),
        ("rejected", "missing title"),
        ("rejected", "not a GeoJSON Feature"),
    ]
    elements = [
        {
            "name": "Tiers-lieu",
            "lat": 48.39,
            "lng": -4.49,
            "address": {"addressLocality": "Brest"},
        },
        {"name": "Sans lieu", "categories": [{"id": 3}, "Culture"]},
    ]
    report = await service.import_file(Format.JSON, json.dumps(elements).encode(), dry_run=True)
    assert [line.changes for line in report.lines] == [
        {"title": "Tiers-lieu", "commune": "Brest", "latitude": 48.39, "longitude": -4.49},
        {"title": "Sans lieu", "latitude": None, "longitude": None, "theme": "Culture"},
    ]


@pytest.mark.parametrize(
    ("fmt", "data", "why"),
    [
        (Format.CSV, b"name,commune\nx,y\n", "no 'title' column in the header line"),
        (Format.CSV, "title\nCafé\n".encode("latin-1"), "not UTF-8 (invalid continuation byte"),
        (Format.GEOJSON, b"{", "not JSON (Expecting property name"),
        (Format.GEOJSON, b'{"type": "Feature"}', "not a GeoJSON FeatureCollection"),
        (Format.GEOJSON, b'{"type": "FeatureCollection"}', "'features' is not a list"),
        (Format.JSON, b'{"data": 3}', "no list of elements"),
        (Format.JSON, b"[" * 100_000, "not JSON we can read (nested too deep)"),
    ],
)
def test_unreadable_files_say_why(fmt: Format, data: bytes, why: str) -> None:
    with pytest.raises(UnreadableFile) as caught:
        read(fmt, data)
    assert str(caught.value).startswith(why)


def test_an_oversized_csv_cell_is_unreadable_not_a_crash() -> None:
    # The csv module's limit is process-wide, and importing frictionless raises it: set the
    # default a production process has, for this test only.
    limit = csv.field_size_limit(131_072)
    try:
        with pytest.raises(UnreadableFile) as caught:
            read(Format.CSV, b"title\n" + b"x" * 200_000)
    finally:
        csv.field_size_limit(limit)
    assert str(caught.value) == (
        "not CSV we can read after line 1 (field larger than field limit (131072))"
    )


JSON = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
KEYS = st.sampled_from(["id", "title", "name", "latitude", "lat", "geo", "address", "categories"])


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from([Format.JSON, Format.GEOJSON]),
    st.lists(st.dictionaries(KEYS | st.text(max_size=4), JSON, max_size=6), max_size=4),
)
def test_any_json_is_read_or_refused_never_a_crash(fmt: Format, items: list[Any]) -> None:
    """Hostile or broken files: each item is accepted or refused with a reason."""
    wrapped: Any = items
    if fmt is Format.GEOJSON:
        wrapped = {
            "type": "FeatureCollection",
            "features": [{"type": "Feature", **i} for i in items],
        }
    reasons = []
    for item in read(fmt, json.dumps(wrapped).encode()):
        try:
            check(item)
        except Rejected as exc:
            reasons.append(str(exc))
    assert all(reasons)  # every refusal says why


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(',"\n\r;=-.0123456789aé\x00 ')), max_size=80))
def test_any_csv_is_read_or_refused_never_a_crash(body: str) -> None:
    try:
        items = read(Format.CSV, ("title,latitude,longitude,id\n" + body).encode())
    except UnreadableFile as exc:
        items, reasons = [], [str(exc)]
    else:
        reasons = []
    for item in items:
        try:
            check(item)
        except Rejected as exc:
            reasons.append(str(exc))
    assert all(reasons)
