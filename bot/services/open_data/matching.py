"""Which catalogue item an imported one is: by id, else by name within the same commune.

Decisions, where the issue only says « duplicates by name and commune similarity »:
- an id the catalogue has is that item only if the name or the commune still agree (a
  foreign file's ids can collide with ours: « 12 » there is not our n° 12); else refused;
- without an id (or an id we do not have), a name at least ``SAME_NAME`` alike in the same
  commune is the same item; a name only ``NAME_THRESHOLD`` alike (the proposals' « c'est la
  même ? » threshold) is too close to guess: refused, naming the look-alike, so the organiser
  gives its id or changes the name rather than the import overwriting the wrong item;
- two lines of one file that are one item: the second is refused;
- the matched item is ``update`` when a field the file has differs, ``unchanged`` otherwise;
  fields the file does not have (a GeoJSON from elsewhere without ``theme``) are left as they are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from rapidfuzz import fuzz, process

from bot.services.catalogue.communes import fold_place
from bot.services.open_data.checks import Candidate
from bot.services.proposals.similar import NAME_THRESHOLD, name_key, name_score
from storage.models import Innovation

SAME_NAME = 95.0


class Action(StrEnum):
    ADD = "add"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Line:
    """What the import does with one item of the file, and why."""

    action: Action
    where: str
    title: str
    innovation_id: int | None = None  # the catalogue item updated or left unchanged
    detail: str = ""  # the reason of a refusal, the fields an update changes
    changes: dict[str, Any] = field(default_factory=dict)


class _Catalogue:
    """The published items, by id and by commune, and the items the file already claimed."""

    def __init__(self, rows: Sequence[Innovation]) -> None:
        self.by_id = {row.id: row for row in rows}
        self.by_commune: dict[str, dict[int, str]] = defaultdict(dict)  # -> id -> name key
        for row in rows:
            self.by_commune[fold_place(row.commune)][row.id] = name_key(row.title)
        self.claimed: dict[int, str] = {}  # catalogue id -> where in the file
        self.added: dict[str, dict[str, str]] = defaultdict(dict)  # commune -> where -> key


def plan(candidates: Sequence[Candidate | Line], rows: Sequence[Innovation]) -> list[Line]:
    """One line per item of the file (refusals already decided are passed through)."""
    catalogue = _Catalogue(rows)
    return [c if isinstance(c, Line) else _decide(c, catalogue) for c in candidates]


def _decide(item: Candidate, catalogue: _Catalogue) -> Line:
    commune = fold_place(str(item.values.get("commune", "")))
    row = catalogue.by_id.get(item.id) if item.id is not None else None
    if row is not None and not (
        name_score(item.title, row.title) >= NAME_THRESHOLD or fold_place(row.commune) == commune
    ):
        why = f"id {row.id} is « {row.title} » in {row.commune or 'no commune'}: not this item"
        return _refuse(item, why + " (remove the id to add it)")
    if row is None:
        row, why = _by_name(item.title, commune, catalogue)
        if why:
            return _refuse(item, why)
    if row is None:
        return _add(item, commune, catalogue)
    if row.id in catalogue.claimed:
        return _refuse(item, f"same item (#{row.id}) as {catalogue.claimed[row.id]}")
    catalogue.claimed[row.id] = item.where
    changes = {k: v for k, v in item.values.items() if _differs(getattr(row, k), v)}
    if not changes:
        return Line(Action.UNCHANGED, item.where, item.title, row.id)
    return Line(Action.UPDATE, item.where, item.title, row.id, ", ".join(changes), changes)


def _by_name(title: str, commune: str, catalogue: _Catalogue) -> tuple[Innovation | None, str]:
    """The item of that name in that commune, or a refusal when one is merely close."""
    found = process.extractOne(
        name_key(title),
        catalogue.by_commune.get(commune, {}),
        scorer=fuzz.token_sort_ratio,
        score_cutoff=NAME_THRESHOLD,
    )
    if found is None:
        return None, ""
    _, score, other_id = found
    other = catalogue.by_id[other_id]
    if score >= SAME_NAME:
        return other, ""
    why = f"looks like #{other_id} « {other.title} » in the same commune"
    why += f" (names {score:.0f} % alike)"
    return None, why + ": give its id to update it, or change the name"


def _add(item: Candidate, commune: str, catalogue: _Catalogue) -> Line:
    key = name_key(item.title)
    earlier = process.extractOne(
        key, catalogue.added[commune], scorer=fuzz.token_sort_ratio, score_cutoff=SAME_NAME
    )
    if earlier is not None:
        return _refuse(item, f"same item as {earlier[2]}")
    catalogue.added[commune][item.where] = key
    return Line(Action.ADD, item.where, item.title, changes=dict(item.values))


def _refuse(item: Candidate, why: str) -> Line:
    return Line(Action.REJECTED, item.where, item.title, detail=why)


def _differs(current: Any, new: Any) -> bool:
    if isinstance(new, float) or new is None:  # a coordinate: compared as exported
        return (None if current is None else round(current, 6)) != new
    return bool(str(current or "").strip() != new)
