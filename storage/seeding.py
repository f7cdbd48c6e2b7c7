"""Import the seed catalogue (``storage/seed/catalogue.toml``) at start-up, once per item.

An item whose key is in ``seed_records`` is never touched again: restarts make no copies,
organisers' edits and deletions stay; items added to the file later come in on the next start.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import Sessions  # = async_sessionmaker[AsyncSession]
from storage.models import (
    Event,
    EventFigure,
    EventFollowUp,
    FaqEntry,
    Innovation,
    Lab,
    SeedRecord,
)

DEFAULT_CATALOGUE = Path(__file__).with_name("seed") / "catalogue.toml"
PARIS = ZoneInfo("Europe/Paris")
_KEY = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_MISSING: Any = object()
_SLUGGED: dict[type[Any], type[Event] | type[Lab] | type[FaqEntry]] = {
    Event: Event,
    FaqEntry: FaqEntry,
}  # models whose seed key is their slug, besides Lab
_TEXTS = {  # the text fields of each kind, "!" marking the required ones
    "events": "title! description place address commune",
    "figures": "label! unit! detail",
    "follow_ups": "kind! text!",
    "labs": "title! outcome theme event!",
    "innovations": "title! summary theme commune departement organisation website lab",
    "faq": "question! answer shows",
}


class SeedError(ValueError):
    """The catalogue file is unreadable, or one of its items has a bad field."""


@dataclass(frozen=True)
class SeedReport:  # how many items of each kind one import created
    events: int = 0
    figures: int = 0
    follow_ups: int = 0
    labs: int = 0
    innovations: int = 0
    faq_entries: int = 0


@dataclass(frozen=True)
class _Item:
    record: str  # its key in seed_records
    model: type[Event | EventFigure | EventFollowUp | Lab | Innovation | FaqEntry]
    values: dict[str, Any]
    refs: dict[str, str] = field(default_factory=dict)  # "event"/"lab" -> key in the file


def load_catalogue_file(path: Path) -> dict[str, Any]:
    """The parsed file, checked item by item; raises SeedError naming the item and field."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SeedError(f"{path}: {exc}") from exc
    _items(data)
    return data


async def import_catalogue(sessions: Sessions, path: Path = DEFAULT_CATALOGUE) -> SeedReport:
    """Create the items of the file not yet recorded in ``seed_records``, in one transaction."""
    items = _items(load_catalogue_file(path))
    created = dict.fromkeys((f.name for f in fields(SeedReport)), 0)
    async with sessions.begin() as session:
        done = set(await session.scalars(select(SeedRecord.key)))
        for item in items:
            if item.record not in done and await _create(session, item):
                created[item.model.__tablename__.removeprefix("event_")] += 1  # -> report field
    return SeedReport(**created)


async def _create(session: AsyncSession, item: _Item) -> bool:
    values = dict(item.values)
    for name, key in item.refs.items():
        values[f"{name}_id"] = await _id(session, Event if name == "event" else Lab, key)
        if values[f"{name}_id"] is None and item.model in (EventFigure, EventFollowUp):
            return False  # an organiser deleted the event: nothing to attach to
    session.add(SeedRecord(key=item.record))
    own = values.get("slug")
    if own and await _id(session, _SLUGGED.get(item.model, Lab), own) is not None:
        return False  # an organiser already made it by hand: adopt it, don't touch it
    session.add(item.model(**values))
    await session.flush()
    return True


async def _id(
    session: AsyncSession, model: type[Event] | type[Lab] | type[FaqEntry], slug: str
) -> int | None:
    return await session.scalar(select(model.id).where(model.slug == slug))


def _items(data: dict[str, Any]) -> list[_Item]:
    """Every item of the file, parents first, or SeedError on the first bad field."""
    events, labs = _table(data, "events"), _table(data, "labs")
    known = {"event": {e["key"] for e in events}, "lab": {lab["key"] for lab in labs}}
    follow_ups = {
        e["key"]: _table(e, "follow_ups", f"events[{i}] ({e['key']}).", keyed=False)
        for i, e in enumerate(events)
    }
    items = [item for i, event in enumerate(events) for item in _event_items(i, event, follow_ups)]
    for n, lab in enumerate(labs, 1):
        where = f"labs[{n - 1}] ({lab['key']})"
        values = _texts(lab, where, "labs") | {"slug": lab["key"], "position": n}
        items.append(_Item(f"lab:{lab['key']}", Lab, values, _refs(values, where, known)))
    for i, found in enumerate(_table(data, "innovations")):
        where = f"innovations[{i}] ({found['key']})"
        values = _texts(found, where, "innovations")
        values |= {n: _get(found, where, n, (int, float), None) for n in ("latitude", "longitude")}
        items.append(
            _Item(f"innovation:{found['key']}", Innovation, values, _refs(values, where, known))
        )
    items.extend(_faq_items(_table(data, "faq"), known["event"]))
    return items


def _faq_items(entries: list[dict[str, Any]], events: set[str]) -> list[_Item]:
    """FAQ entries: a question, other phrasings, and a text answer or a live ``shows``."""
    items = []
    for n, entry in enumerate(entries, 1):
        where = f"faq[{n - 1}] ({entry['key']})"
        values = _texts(entry, where, "faq") | {"slug": entry["key"], "position": n}
        phrasings = _get(entry, where, "phrasings", list, [])
        if not all(isinstance(p, str) for p in phrasings):
            raise SeedError(f"{where}: field 'phrasings' must be a list of texts")
        values["phrasings"] = "\n".join(p.strip() for p in phrasings if p.strip())
        kind, _, event = values["shows"].partition(":")
        if values["shows"] and not (
            values["shows"] == "next-event"
            or (kind in ("event-figures", "event-follow-ups") and event in events)
        ):
            raise SeedError(f"{where}: field 'shows' {values['shows']!r} is not known")
        if not values["answer"] and not values["shows"]:
            raise SeedError(f"{where}: field 'answer' is empty")
        items.append(_Item(f"faq:{entry['key']}", FaqEntry, values))
    return items


def _event_items(
    i: int, event: dict[str, Any], follow_ups: dict[str, list[dict[str, Any]]]
) -> list[_Item]:
    """The event, then its figures and follow-ups (skipped if an organiser deleted the event).

    ``follow_ups_from = "<event key>"`` gives an event the follow-ups of another (the debrief
    meeting debates the proposals of the day), after its own, without writing them twice.
    """
    where, key = f"events[{i}] ({event['key']})", event["key"]
    source = _get(event, where, "follow_ups_from", str, "")
    if source and (source not in follow_ups or source == key):
        raise SeedError(f"{where}: field 'follow_ups_from' refers to unknown event {source!r}")
    starts, ends = _when(event, where, "starts_at"), _when(event, where, "ends_at", None)
    if ends is not None and ends < starts:
        raise SeedError(f"{where}: field 'ends_at' is before 'starts_at'")
    values = _texts(event, where, "events") | {"slug": key, "starts_at": starts, "ends_at": ends}
    values["participants"] = _get(event, where, "participants", int, None)
    items, parent = [_Item(f"event:{key}", Event, values)], {"event": key}
    for n, figure in enumerate(_table(event, "figures", f"{where}."), 1):
        at = f"{where}.figures[{n - 1}] ({figure['key']})"
        values = _texts(figure, at, "figures") | {"key": figure["key"], "position": n}
        values["value"] = _get(figure, at, "value", (int, float))
        values["more_than"] = _get(figure, at, "more_than", bool, False)
        record = f"figure:{key}:{figure['key']}"
        items.append(_Item(record, EventFigure, values, parent))
    own = _table(event, "follow_ups", f"{where}.", keyed=False)
    for n, follow in enumerate([*own, *follow_ups.get(source, [])], 1):
        values = _texts(follow, f"{where}.follow_ups[{n - 1}]", "follow_ups") | {"position": n}
        items.append(_Item(f"follow_up:{key}:{n}", EventFollowUp, values, parent))
    return items


def _texts(item: dict[str, Any], where: str, kind: str) -> dict[str, Any]:
    """The text fields of one item, stripped; the required ones may not be empty."""
    values: dict[str, Any] = {}
    for spec in _TEXTS[kind].split():
        name = spec.rstrip("!")
        values[name] = _get(item, where, name, str, "" if spec == name else _MISSING).strip()
        if spec != name and not values[name]:
            raise SeedError(f"{where}: field '{name}' is empty")
    return values


def _refs(values: dict[str, Any], where: str, known: dict[str, set[str]]) -> dict[str, str]:
    """Moves the references ("event", "lab") out of ``values``, checked against the file."""
    refs = {name: values.pop(name) for name in known if name in values}
    for name, key in refs.items():
        if key and key not in known[name]:
            raise SeedError(f"{where}: field '{name}' refers to unknown {name} {key!r}")
    return {name: key for name, key in refs.items() if key}


def _get(item: dict[str, Any], where: str, name: str, kind: Any, default: Any = _MISSING) -> Any:
    value = item.get(name, default)
    if value is _MISSING:
        raise SeedError(f"{where}: field '{name}' is missing")
    if value is not default and (
        not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool)
    ):
        raise SeedError(f"{where}: field '{name}' has the wrong type ({type(value).__name__})")
    return value


def _when(item: dict[str, Any], where: str, name: str, default: Any = _MISSING) -> Any:
    value = _get(item, where, name, datetime, default)
    if value is not None and value.utcoffset() != value.astimezone(PARIS).utcoffset():
        what = "has not the Europe/Paris offset" if value.tzinfo else "is naive (no UTC offset)"
        raise SeedError(f"{where}: field '{name}' {what}")
    return value


def _table(data: dict[str, Any], name: str, where: str = "", keyed: bool = True) -> Any:
    """An array of tables; with ``keyed``, each has a unique slug ``key`` (a-z0-9-, ≤ 48)."""
    table = data.get(name, [])
    if not isinstance(table, list) or not all(isinstance(item, dict) for item in table):
        raise SeedError(f"{where}{name}: must be an array of tables ([[{name}]])")
    keys: set[str] = set()
    for i, item in enumerate(table if keyed else []):
        key = _get(item, f"{where}{name}[{i}]", "key", str)
        if not _KEY.fullmatch(key) or len(key) > 48 or key in keys:
            raise SeedError(f"{where}{name}[{i}]: field 'key' {key!r} is not a new slug")
        keys.add(key)
    return table
