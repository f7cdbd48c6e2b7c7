"""``innovdeizh backup`` while a real ``innovdeizh run`` answers a stream of members on the
loopback HTTP double: the snapshot is intact and caught the load mid-way; ``restore`` is
refused while the bot runs, and once it is stopped puts back a database that passes
``PRAGMA integrity_check`` with exactly the backup's rows, the previous file kept aside."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sqlite3
from collections.abc import AsyncIterator
from itertools import count
from pathlib import Path

import pytest

from bot.cli import main
from storage.backup import Snapshot, inspect_file
from tests.conftest import SUMMARY
from tests.support.bot_api import FakeTelegram
from tests.support.http_server import BotApiHttpServer, served
from tests.test_migrations import HEAD
from tests.test_operations_single import bot_env, finished, start_bot

MEMBERS = range(1, 201)
TEXTS = ("fablab", "/evenements", "mobilité solidaire", "/start", "c'est quoi une SCOP ?")


@pytest.fixture
async def telegram() -> AsyncIterator[tuple[FakeTelegram, BotApiHttpServer]]:
    async with served(FakeTelegram(), MEMBERS) as pair:
        yield pair


def _answers(fake: FakeTelegram) -> int:
    return sum(len(fake.bot_messages(member)) for member in MEMBERS)


async def _feed(fake: FakeTelegram, sent: list[int]) -> None:
    """Members write one after another, about 50 messages a second, until cancelled."""
    for n in count():
        fake.send_text(MEMBERS[n % len(MEMBERS)], TEXTS[n % len(TEXTS)])
        sent.append(n)
        await asyncio.sleep(0.02)


def _snapshot(path: Path) -> Snapshot:
    return inspect_file(path)


async def test_backup_under_load_restores_intact_with_the_backups_counts(
    seeded_sqlite_url: str,
    tmp_path: Path,
    telegram: tuple[FakeTelegram, BotApiHttpServer],
    request: pytest.FixtureRequest,
) -> None:
    fake, server = telegram
    env = bot_env(seeded_sqlite_url, server.base_url, fake.token)
    database = Path(seeded_sqlite_url.removeprefix("sqlite+aiosqlite:///"))
    backup_file = tmp_path / "backups" / "during-load.sqlite3"
    sent: list[int] = []
    bot = await start_bot(tmp_path, env)
    feeding = asyncio.create_task(_feed(fake, sent))
    try:
        await fake.wait_for(lambda: _answers(fake) >= 100, timeout=60)
        answers_before = _answers(fake)
        saving = await start_bot(tmp_path, env, "backup", str(backup_file))
        restoring = await start_bot(tmp_path, env, "restore", str(tmp_path / "any.sqlite3"))
        (code, out, err), (refused_code, _, refused) = await asyncio.gather(
            finished(saving), finished(restoring)
        )
        answers_after = _answers(fake)
        feeding.cancel()
        assert code == 0, err
        assert refused_code == 2
        assert refused.startswith("restore: another bot process is already using")
        # Every update fetched, so journaled (getUpdates confirms only what is committed).
        await fake.wait_for(lambda: not fake.pending_updates(), timeout=120)
        bot.send_signal(signal.SIGTERM)
        code, _, log = await finished(bot)
        assert code == 0, log
    finally:
        feeding.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await feeding
        if bot.returncode is None:
            bot.kill()
            await bot.wait()
    assert answers_after > answers_before  # the bot kept answering during the backup

    backup = await asyncio.to_thread(_snapshot, backup_file)
    final = await asyncio.to_thread(_snapshot, database)
    # Mid-load: some updates were journaled, and more came after the snapshot.
    assert 100 <= backup.rows["inbound_updates"] < final.rows["inbound_updates"] == len(sent)
    headline = out.splitlines()[0]
    assert headline.startswith(f"{backup_file}: ")
    assert f", integrity ok, revision {HEAD}, " in headline
    request.config.stash.setdefault(SUMMARY, []).append(
        f"backup under load ({len(sent)} updates): {headline}"
    )

    code, out, err = await finished(await start_bot(tmp_path, env, "restore", str(backup_file)))
    assert code == 0, err
    restored = await asyncio.to_thread(_snapshot, database)
    assert restored.rows == backup.rows
    assert await asyncio.to_thread(_integrity, database) == "ok"
    kept = Path(out.splitlines()[1].removeprefix("the previous database is kept as "))
    assert (await asyncio.to_thread(_snapshot, kept)).rows == final.rows


def _integrity(path: Path) -> str:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


def test_restore_refuses_what_is_not_a_backup_and_changes_nothing(
    seeded_sqlite_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("INNOVDEIZH_DATABASE_URL", seeded_sqlite_url)
    monkeypatch.setenv("INNOVDEIZH_CONFIG", "/dev/null")
    database = Path(seeded_sqlite_url.removeprefix("sqlite+aiosqlite:///"))
    before = database.read_bytes()
    torn = tmp_path / "torn.sqlite3"
    torn.write_bytes(before[: len(before) // 2])
    not_ours = tmp_path / "other.sqlite3"
    with contextlib.closing(sqlite3.connect(not_ours)) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
        conn.commit()
    text_file = tmp_path / "notes.sqlite3"
    text_file.write_text("pas une base\n")
    for file, reason in (
        (tmp_path / "missing.sqlite3", "missing.sqlite3 is not a file"),
        (text_file, "notes.sqlite3 is not an SQLite database"),
        (torn, "torn.sqlite3 "),
        (not_ours, "other.sqlite3 has no alembic_version"),
    ):
        assert main(["restore", str(file)]) == 2
        err = capsys.readouterr().err
        assert reason in err
        assert err.startswith("restore: refused, ")
        assert err.endswith("; nothing changed\n")
    assert database.read_bytes() == before
    assert sorted(p.name for p in database.parent.iterdir() if "restor" in p.name) == []


def test_backup_and_restore_on_postgresql_give_the_pg_commands_without_the_password(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("INNOVDEIZH_DATABASE_URL", "postgresql+asyncpg://bot:s3cr3t@db:6432/idz")
    monkeypatch.setenv("INNOVDEIZH_CONFIG", "/dev/null")
    assert main(["backup"]) == 2
    assert main(["restore", "idz.dump"]) == 2
    err = capsys.readouterr().err
    assert "s3cr3t" not in err
    assert "  pg_dump -Fc -h db -p 6432 -U bot -d idz -f innovdeizh-$(date" in err
    assert (
        "  pg_restore --clean --if-exists --no-owner -h db -p 6432 -U bot -d idz idz.dump\n" in err
    )
