"""Single mode: one process per SQLite file. With a real ``innovdeizh run`` serving members on
the loopback HTTP double, a second ``run``, the console and ``db upgrade`` are refused with one
line and exit 2; after the first is killed with SIGKILL (its lock file left behind), a new
``run`` starts and serves."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage.locks import DatabaseInUse, single_process
from tests.support.bot_api import FakeTelegram
from tests.support.http_server import BotApiHttpServer

ROOT = Path(__file__).resolve().parents[1]
MEMBER = 777


@pytest.fixture
async def telegram() -> AsyncIterator[tuple[FakeTelegram, BotApiHttpServer]]:
    fake = FakeTelegram()
    fake.add_user(MEMBER, "Maëlle", language_code="fr")
    server = BotApiHttpServer(fake)
    await server.start()
    yield fake, server
    await server.stop()


def bot_env(db_url: str, base_url: str, token: str) -> dict[str, str]:
    """The child's environment: this checkout's code, the test's database and double."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("INNOVDEIZH_")}
    return env | {
        "PYTHONPATH": str(ROOT),
        "INNOVDEIZH_CONFIG": "/dev/null",
        "INNOVDEIZH_DATABASE_URL": db_url,
        "INNOVDEIZH_TOKEN": token,
        "INNOVDEIZH_BASE_URL": base_url,
    }


async def start_bot(cwd: Path, env: dict[str, str], *args: str) -> asyncio.subprocess.Process:
    """``python -m bot <args>`` (``run`` by default) as a child process."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *(args or ("run",)),
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


async def finished(process: asyncio.subprocess.Process) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of a process expected to end by itself."""
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def answered(fake: FakeTelegram, text: str) -> None:
    """The member writes; wait until the bot answers (it is serving)."""
    before = len(fake.bot_messages(MEMBER))
    fake.send_text(MEMBER, text)
    await fake.wait_for(lambda: len(fake.bot_messages(MEMBER)) > before, timeout=60)


async def test_a_second_process_on_the_same_sqlite_file_is_refused_until_the_first_dies(
    seeded_sqlite_url: str,
    tmp_path: Path,
    telegram: tuple[FakeTelegram, BotApiHttpServer],
) -> None:
    fake, server = telegram
    env = bot_env(seeded_sqlite_url, server.base_url, fake.token)
    database = seeded_sqlite_url.removeprefix("sqlite+aiosqlite:///")
    first = await start_bot(tmp_path, env)
    try:
        await answered(fake, "fablab")
        refusal = f"another bot process is already using {database} (pid {first.pid})\n"
        commands = (("run",), ("console",), ("db", "upgrade"))
        others = [await start_bot(tmp_path, env, *command) for command in commands]
        for command, (code, out, err) in zip(
            commands, await asyncio.gather(*map(finished, others)), strict=True
        ):
            assert (code, err, out) == (2, refusal, ""), command
        assert len(fake.bot_messages(MEMBER)) == 1  # the refused ones sent nothing
        first.kill()  # SIGKILL: no clean-up runs, the lock file stays
        await first.wait()
    finally:
        if first.returncode is None:
            first.kill()
            await first.wait()
    lock_file = await asyncio.to_thread(Path(f"{database}.lock").read_text)
    assert lock_file.strip() == str(first.pid)  # stale, and harmless

    second = await start_bot(tmp_path, env)
    try:
        await answered(fake, "mobilité")
        second.send_signal(signal.SIGTERM)
        code, _, err = await finished(second)
        assert code == 0, err
    finally:
        if second.returncode is None:
            second.kill()
            await second.wait()


def test_one_lock_per_file_whatever_path_names_it(tmp_path: Path) -> None:
    real = tmp_path / "data" / "bot.sqlite3"
    real.parent.mkdir()
    real.touch()
    link = tmp_path / "link.sqlite3"
    link.symlink_to(real)
    held = f"another bot process is already using {link} (pid {os.getpid()})"
    with single_process(f"sqlite+aiosqlite:///{real}"):
        with (
            pytest.raises(DatabaseInUse, match=re.escape(held)),
            single_process(f"sqlite+aiosqlite:///{link}"),
        ):
            pass
        with single_process("postgresql+asyncpg://bot@db/innovdeizh"):
            pass  # PostgreSQL: nothing to hold here (ha mode has its lease)
    with single_process(f"sqlite+aiosqlite:///{link}"):
        pass  # released at the end of the block
