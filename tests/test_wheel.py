"""The built wheel holds what production runs: the console's Bot API double, but none of the
test machinery (loopback HTTP server, flood limits, fault injection, FakeClock) nor tests."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Top-level entries of the checkout that are no input of the build (or are its leftovers).
_NOT_SOURCES = {".git", ".venv", "build", "dist", "data", "out"}
_CACHES = ("__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", "*.egg-info")
# Definitions and imports that belong to tests only: if one is in the wheel, it moved back.
_TEST_ONLY = re.compile(
    r"^class (BotApiHttpServer|RateLimits|RateLimiter|FakeClock|ConnectionDropped)\b"
    r"|^\s+def (fail_next|drop_connections|accept_then_timeout|max_sends_in_window)\b"
    r"|^\s*(from (tests|bench)[\s.]|import (tests|bench)\b)",
    re.MULTILINE,
)


def _ignore(folder: str, names: list[str]) -> set[str]:
    ignored = set(shutil.ignore_patterns(*_CACHES)(folder, names))
    if Path(folder) == ROOT:
        ignored |= _NOT_SOURCES & set(names)
    return ignored


def _version(package: str) -> tuple[int, int] | None:
    try:
        found = re.match(r"(\d+)\.(\d+)", metadata.version(package))
    except metadata.PackageNotFoundError:
        return None
    return (int(found[1]), int(found[2])) if found else None


def _isolation() -> list[str]:
    """Build offline with this environment's setuptools when it can make wheels (70.1+, or 68+
    with the wheel package); otherwise pip fetches build-system.requires, as ``pip install``."""
    setuptools = _version("setuptools") or (0, 0)
    if setuptools >= (70, 1) or (setuptools >= (68, 0) and _version("wheel") is not None):
        return ["--no-build-isolation"]
    return []


def test_wheel_holds_production_code_only(tmp_path: Path) -> None:
    # Built from a copy: an in-tree build would leave build/ and *.egg-info in the checkout.
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=_ignore)
    out = tmp_path / "wheel"
    command = [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-q", "-w"]
    built = subprocess.run(
        [*command, str(out), *_isolation()], capture_output=True, text=True, check=False
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = out.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        sources = {name: archive.read(name).decode() for name in names if name.endswith(".py")}

    assert {name.split("/")[0] for name in sources} == {"bot", "handlers", "storage"}
    # What the console and the bot need is there, data files included.
    for needed in (
        "bot/console/chat.py",
        "bot/console/bot_api/state.py",
        "bot/console/bot_api/validation.py",
        "bot/services/delivery/pacing.py",
        "bot/locales/fr/core.toml",
        "storage/data/communes.csv",
        "storage/migrations/script.py.mako",
    ):
        assert needed in names, needed
    assert not [name for name in names if re.search(r"http_server|flood_limits|limits\.py", name)]
    misplaced = {
        name: sorted({match.group().strip() for match in _TEST_ONLY.finditer(text)})
        for name, text in sources.items()
        if _TEST_ONLY.search(text)
    }
    assert misplaced == {}
