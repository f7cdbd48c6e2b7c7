"""The CSV's companions: its Table Schema (a file shipped in this package) and the Data Package
descriptor that names the licence, the attribution and where the data comes from."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from bot.config import OpenDataConfig
from bot.services.open_data.records import FIELDS

SCHEMA_FILE = "innovations.schema.json"
CSV_FILE = "innovations.csv"
PACKAGE_FILE = "datapackage.json"


@cache
def schema_bytes() -> bytes:
    """The Table Schema of the CSV, as published."""
    data = resources.files(__package__).joinpath(SCHEMA_FILE).read_bytes()
    names = tuple(field["name"] for field in json.loads(data)["fields"])
    if names != FIELDS:  # the file and the code must describe the same columns
        raise RuntimeError(f"{SCHEMA_FILE} lists {names}, the CSV writes {FIELDS}")
    return data


def datapackage(licence: OpenDataConfig, public_url: str) -> dict[str, Any]:
    """The descriptor (Data Package v1): paths relative to it, as served under ``/open/``."""
    source: dict[str, str] = {"title": licence.attribution}
    if public_url:
        source["path"] = f"{public_url}/open/"
    return {
        "name": "innovdeizh-innovations",
        "title": "Innovations sociales — Innov'Deizh",
        "licenses": [{"name": licence.licence, "path": licence.licence_url}],
        "sources": [source],
        "resources": [
            {
                "name": "innovations",
                "path": CSV_FILE,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": SCHEMA_FILE,
                "licenses": [{"name": licence.licence, "path": licence.licence_url}],
            }
        ],
    }
