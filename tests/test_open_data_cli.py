"""``innovdeizh export innovations`` then ``import innovations --dry-run`` of the same file
reports nothing to change, in each format (Done 4); an import that refuses items says why."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.services.catalogue.communes import CommuneDirectory
from storage.db import create_engine, create_sessions
from tests.support.open_data import add_catalogue

PUBLISHED = 8


async def _add_catalogue(url: str) -> None:
    engine = create_engine(url)
    try:
        await add_catalogue(create_sessions(engine), CommuneDirectory.load())
    finally:
        await engine.dispose()


@pytest.fixture
def database(seeded_sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("INNOVDEIZH_DATABASE_URL", seeded_sqlite_url)
    monkeypatch.setenv("INNOVDEIZH_CONFIG", str(tmp_path / "none.toml"))
    (tmp_path / "none.toml").write_text("", encoding="utf-8")
    asyncio.run(_add_catalogue(seeded_sqlite_url))
    return seeded_sqlite_url


@pytest.mark.usefixtures("database")
@pytest.mark.parametrize("fmt", ["csv", "json", "geojson"])
def test_export_then_dry_run_import_reports_nothing_to_change(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / f"innovations.{fmt}"
    assert main(["export", "innovations", "--format", fmt, str(file)]) == 0
    # Lines, not the whole of stderr: a test before may have left logging configured.
    told = f"{file}: {file.stat().st_size:,} bytes ({fmt})"
    assert told in capsys.readouterr().err.splitlines()
    assert main(["import", "innovations", str(file), "--dry-run"]) == 0
    assert capsys.readouterr().out == (
        f"0 to add, 0 to update, {PUBLISHED} unchanged, 0 rejected — nothing to change\n"
    )


@pytest.mark.usefixtures("database")
def test_export_to_stdout(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["export", "innovations", "--format", "geojson"]) == 0
    body = json.loads(capsysbinary.readouterr().out)
    assert len(body["features"]) == PUBLISHED


@pytest.mark.usefixtures("database")
def test_import_reports_then_applies(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "nouveautes.csv"
    file.write_text(
        "title,commune,latitude,longitude\n"
        "Jardin partagé,Redon,47.65,-2.08\n"
        ",Rennes,,\n"
        "Inversée,Rennes,-1.67,48.11\n",
        encoding="utf-8",
    )
    assert main(["import", "innovations", str(file), "--dry-run"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "add       line 2: « Jardin partagé »",
        "rejected  line 3: (no title): missing title",
        "rejected  line 4: « Inversée »: coordinates outside Brittany (latitude -1.67, "
        "longitude 48.11): latitude and longitude swapped?",
        "1 to add, 0 to update, 0 unchanged, 2 rejected — dry run, nothing written",
    ]
    assert main(["import", "innovations", str(file)]) == 1
    assert (
        capsys.readouterr().out.splitlines()[-1] == "1 added, 0 updated, 0 unchanged, 2 rejected"
    )
    assert main(["import", "innovations", str(file), "--dry-run"]) == 1
    summary = capsys.readouterr().out.splitlines()[-1]
    assert summary == "0 to add, 0 to update, 1 unchanged, 2 rejected — dry run, nothing written"


@pytest.mark.usefixtures("database")
def test_unusable_files_and_formats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "export.txt"
    file.write_text("title\n", encoding="utf-8")
    assert main(["import", "innovations", str(file)]) == 2
    assert (
        capsys.readouterr().err
        == "import: pass --format csv|json|geojson (or a FILE ending in one)\n"
    )
    assert main(["import", "innovations", str(file), "--format", "geojson"]) == 2
    assert (
        f"import: {file} is not a geojson file we can read: not JSON (Expecting value, line 1)"
        in capsys.readouterr().err.splitlines()
    )
    assert main(["import", "innovations", str(tmp_path / "absent.csv")]) == 2
    assert "cannot read" in capsys.readouterr().err
    assert main(["export", "innovations"]) == 2
