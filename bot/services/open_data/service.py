"""Open data for maps and tools: the exports, and the import that reports before it writes.

Decision: imported items go straight into the catalogue as published (``approved``), not
into the proposals' moderation queue. The queue is a dialogue with a member (their contact,
questions back, a card in the moderators' chat); an import has no member to answer and is run
from a terminal by an organiser, who reads the ``--dry-run`` report first: that report is the
moderation. Seeded items come in the same way.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from bot.config import OpenDataConfig
from bot.services.open_data import package
from bot.services.open_data.checks import Candidate, Rejected, check
from bot.services.open_data.formats import Format, read, write
from bot.services.open_data.matching import Action, Line, plan
from bot.services.open_data.records import OpenInnovation
from storage.db import Sessions
from storage.models import Innovation
from storage.repositories.open_data import OpenDataRepository


class BadSince(ValueError):
    """``updated_since`` is neither a date nor an ISO 8601 date-time."""


def parse_since(text: str) -> datetime:
    """``2026-11-01`` (midnight UTC) or ``2026-11-01T08:00:00Z`` / ``…+01:00`` (no offset: UTC)."""
    text = text.strip()
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time(), UTC)
        moment = datetime.fromisoformat(text)
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except (ValueError, OverflowError):  # « 0001-01-01T00:00+14:00 » is before year 1 in UTC
        raise BadSince(text) from None


@dataclass(frozen=True)
class ImportReport:
    lines: tuple[Line, ...]
    applied: bool

    def count(self, action: Action) -> int:
        return sum(1 for line in self.lines if line.action is action)

    @property
    def changes_nothing(self) -> bool:
        return all(line.action is Action.UNCHANGED for line in self.lines)


class OpenDataService:
    def __init__(self, sessions: Sessions, licence: OpenDataConfig, public_url: str = "") -> None:
        self._sessions, self._licence, self._public_url = sessions, licence, public_url
        # The full files by format, with the fingerprint of the catalogue they were made from:
        # maps ask every few minutes and the catalogue rarely changes (10,000 items: ~1 s of
        # CPU to write, a few ms to check).
        self._full: dict[Format, tuple[tuple[Any, ...], bytes]] = {}

    async def export(self, fmt: Format, *, updated_since: datetime | None = None) -> bytes:
        """The published innovations (changed since ``updated_since``) as a file in ``fmt``."""
        async with self._sessions() as session:
            repo = OpenDataRepository(session)
            # Read before the rows: a change in between makes a newer file under an older
            # fingerprint, which the next request simply writes again.
            fingerprint = await repo.fingerprint() if updated_since is None else None
            cached = self._full.get(fmt)
            if cached is not None and cached[0] == fingerprint:
                return cached[1]
            rows = await repo.published(updated_since)
            items = [OpenInnovation.of(row) for row in rows]
        body = write(fmt, items, self._licence)
        if fingerprint is not None:
            self._full[fmt] = (fingerprint, body)
        return body

    @property
    def licence_url(self) -> str:
        return self._licence.licence_url

    def schema(self) -> bytes:
        """The CSV's Table Schema."""
        return package.schema_bytes()

    def datapackage(self) -> bytes:
        """The Data Package descriptor: licence, attribution, the CSV and its schema."""
        body = package.datapackage(self._licence, self._public_url)
        return json.dumps(body, ensure_ascii=False, indent=2).encode()

    async def import_file(self, fmt: Format, data: bytes, *, dry_run: bool) -> ImportReport:
        """What the file adds, updates, leaves or refuses, and why; written unless ``dry_run``.

        Raises UnreadableFile when the file is not a ``fmt`` file at all (nothing written).
        """
        checked: list[Candidate | Line] = []
        for item in read(fmt, data):
            try:
                checked.append(check(item))
            except Rejected as exc:
                title = str(item.values.get("title") or "")[:80]
                checked.append(Line(Action.REJECTED, item.where, title, detail=str(exc)))
        async with self._sessions.begin() as session:
            repo = OpenDataRepository(session)
            rows = await repo.editable()
            lines = plan(checked, rows)
            if not dry_run:
                by_id = {row.id: row for row in rows}
                for line in lines:
                    if line.action is Action.ADD:
                        await repo.add(Innovation(**line.changes, status="approved"))
                    elif line.action is Action.UPDATE and line.innovation_id is not None:
                        for name, value in line.changes.items():
                            setattr(by_id[line.innovation_id], name, value)
        return ImportReport(tuple(lines), applied=not dry_run)
