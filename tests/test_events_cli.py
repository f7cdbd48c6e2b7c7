"""``innovdeizh events add|import``: gatherings published from a terminal, reminders armed."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.cli import main
from storage.db import create_engine, create_sessions
from storage.models import Event, EventReminder

TOML = """
[[event]]
title = "Débriefing de la journée"
when = "13/02/2030 14h"
place = "Maison des associations"
address = "6 cours des Alliés, Rennes"
capacity = 60

[[event]]
title = "Rencontre annuelle"
when = "jeudi 14 novembre 2030 à 9h30"
yearly = true
reminders = "20160,1440"
"""


async def _events(url: str) -> list[tuple[Event, list[int]]]:
    engine = create_engine(url)
    try:
        async with create_sessions(engine)() as session:
            events = list(await session.scalars(select(Event).where(Event.slug.like("renc%"))))
            result = []
            for event in events:
                query = select(EventReminder.offset_minutes).where(
                    EventReminder.event_id == event.id
                )
                result.append((event, sorted(await session.scalars(query))))
            return result
    finally:
        await engine.dispose()


def test_add_and_import(
    sqlite_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("INNOVDEIZH_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("INNOVDEIZH_CONFIG", str(tmp_path / "none.toml"))
    (tmp_path / "none.toml").write_text("", encoding="utf-8")
    file = tmp_path / "events.toml"
    file.write_text(TOML, encoding="utf-8")
    assert main(["events", "import", str(file)]) == 0
    assert main(["events", "add", "--title", "Atelier", "--when", "15/03/2030 18h"]) == 0
    assert main(["events", "add", "--title", "Flou", "--when", "un de ces jours"]) == 2
    assert "not understood" in capsys.readouterr().err
    events = {event.title: (event, offsets) for event, offsets in asyncio.run(_events(sqlite_url))}
    assert set(events) == {"Débriefing de la journée", "Rencontre annuelle", "Atelier"}
    debrief, offsets = events["Débriefing de la journée"]
    assert (debrief.capacity, debrief.starts_at.hour, offsets) == (60, 13, [120, 1440, 10080])
    yearly, offsets = events["Rencontre annuelle"]
    assert (yearly.repeats_yearly, offsets) == (True, [1440, 20160])
