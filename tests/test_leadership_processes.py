"""Two real ``innovdeizh run`` processes in ha mode on one PostgreSQL database and the loopback
HTTP double: one leads, the other waits; stop the leader (SIGTERM) and the other leads within
3 s, kill it (SIGKILL) and the other leads within 15 s (its lease expires first); either way
the next member's message is answered, once, and the first leader's answer is not repeated.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, update

from storage.db import create_engine
from storage.models import LeaderLease
from tests.support.bot_api import FakeTelegram
from tests.support.http_server import BotApiHttpServer, served

pytestmark = pytest.mark.postgres
WORKTREE = Path(__file__).resolve().parents[1]
MEMBERS = range(1, 5)
Telegram = tuple[FakeTelegram, BotApiHttpServer]


class Instance:
    """One ``python -m bot run`` process and the lines it logs."""

    def __init__(self, name: str, process: asyncio.subprocess.Process) -> None:
        self.name = name
        self.process = process
        self.lines: list[str] = []
        self._changed = asyncio.Event()
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.process.stderr is not None
        while line := await self.process.stderr.readline():
            self.lines.append(line.decode(errors="replace").rstrip())
            self._changed.set()

    async def wait_line(self, pattern: str, timeout: float) -> str:  # noqa: ASYNC109
        """The first line matching ``pattern``, waiting for it up to ``timeout`` seconds."""
        regex = re.compile(pattern)
        async with asyncio.timeout(timeout):
            while True:
                for line in self.lines:
                    if regex.search(line):
                        return line
                if self._reader.done():
                    raise AssertionError(f"{self.name} exited:\n" + "\n".join(self.lines))
                self._changed.clear()
                await self._changed.wait()

    async def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return await self.wait()

    async def wait(self) -> int:
        code = await asyncio.wait_for(self.process.wait(), timeout=30)
        await self._reader
        return code

    async def kill(self) -> None:
        if self.process.returncode is None:
            self.process.kill()
            await self.process.wait()

    @property
    def log(self) -> str:
        return "\n".join(self.lines)


@pytest.fixture
async def telegram() -> AsyncIterator[tuple[FakeTelegram, BotApiHttpServer]]:
    async with served(FakeTelegram(), MEMBERS) as pair:
        yield pair


def ha_env(db_url: str, base_url: str, token: str, config: Path) -> dict[str, str]:
    """The environment of one ha instance: this worktree's code, the double, the database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("INNOVDEIZH_")}
    return env | {
        "PYTHONPATH": str(WORKTREE),
        "INNOVDEIZH_CONFIG": str(config),
        "INNOVDEIZH_DATABASE_URL": db_url,
        "INNOVDEIZH_TOKEN": token,
        "INNOVDEIZH_BASE_URL": base_url,
    }


def ha_config(tmp_path: Path, instance: str) -> Path:
    path = tmp_path / f"{instance}.toml"
    path.write_text(f'[deployment]\nmode = "ha"\ninstance = "{instance}"\n', "utf-8")
    return path


async def start(name: str, tmp_path: Path, db_url: str, telegram: Telegram) -> Instance:
    fake, server = telegram
    env = ha_env(db_url, server.base_url, fake.token, ha_config(tmp_path, name))
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=WORKTREE, env=env, stderr=subprocess.PIPE
    )
    return Instance(name, process)


@pytest.fixture
async def pair(
    postgres_url: str, tmp_path: Path, telegram: Telegram
) -> AsyncIterator[tuple[Instance, Instance]]:
    """Instance "a" leading (epoch 1), then instance "b" waiting as a standby."""
    a = await start("a", tmp_path, postgres_url, telegram)
    b: Instance | None = None
    try:
        await a.wait_line(r"leader: a epoch 1 after", timeout=30)
        b = await start("b", tmp_path, postgres_url, telegram)
        await b.wait_line(r"standby: a leads \(epoch 1\)", timeout=30)
        yield a, b
    finally:
        await a.kill()
        if b is not None:
            await b.kill()


def answers(fake: FakeTelegram) -> dict[int, int]:
    return {member: len(fake.bot_messages(member)) for member in MEMBERS}


async def test_sigterm_hands_over_within_3_s(
    pair: tuple[Instance, Instance], telegram: Telegram
) -> None:
    fake, _ = telegram
    a, b = pair
    fake.send_text(1, "fablab")
    await fake.wait_for(lambda: answers(fake)[1] == 1, timeout=10)

    stopped = time.monotonic()
    a.process.send_signal(signal.SIGTERM)
    # The bound (3 s) is asserted below, once the figure is printed.
    leading = await b.wait_line(r"leader: b epoch 2 after", timeout=10)
    handover = time.monotonic() - stopped
    assert await a.wait() == 0, a.log
    assert "lease released (epoch 1)" in a.log

    fake.send_text(2, "fablab")
    await fake.wait_for(lambda: answers(fake)[2] == 1, timeout=10)
    assert await b.stop() == 0, b.log
    print(f"\nhand-over after SIGTERM: {handover:.2f} s ({leading.split('leader: ')[1]})")
    assert handover < 3
    assert answers(fake) == {1: 1, 2: 1, 3: 0, 4: 0}


async def test_sigkill_hands_over_within_15_s(
    pair: tuple[Instance, Instance], telegram: Telegram
) -> None:
    fake, _ = telegram
    a, b = pair
    fake.send_text(1, "fablab")
    await fake.wait_for(lambda: answers(fake)[1] == 1, timeout=10)

    killed = time.monotonic()
    await a.kill()
    fake.send_text(3, "fablab")  # waits at Telegram's meanwhile
    # The bound (15 s) is asserted below, once the figure is printed.
    leading = await b.wait_line(r"leader: b epoch 2 after", timeout=30)
    handover = time.monotonic() - killed
    await fake.wait_for(lambda: answers(fake)[3] == 1, timeout=10)
    assert await b.stop() == 0, b.log
    print(f"\nhand-over after SIGKILL: {handover:.2f} s ({leading.split('leader: ')[1]})")
    assert handover < 15
    assert answers(fake) == {1: 1, 2: 0, 3: 1, 4: 0}


async def test_a_leader_whose_lease_is_taken_stops_answering_and_exits_3(
    postgres_url: str, tmp_path: Path, telegram: Telegram
) -> None:
    fake, _ = telegram
    a = await start("a", tmp_path, postgres_url, telegram)
    try:
        await a.wait_line(r"leader: a epoch 1 after", timeout=30)
        fake.send_text(1, "fablab")
        await fake.wait_for(lambda: answers(fake)[1] == 1, timeout=10)
        # Another instance took the lease over (a was frozen past it, say): a's next renewal
        # finds epoch 2, and a stops serving.
        engine = create_engine(postgres_url)
        try:
            async with engine.begin() as conn:
                await conn.execute(
                    update(LeaderLease).values(
                        holder="z", epoch=2, expires_at=func.now() + timedelta(minutes=5)
                    )
                )
        finally:
            await engine.dispose()
        assert await a.wait() == 3, a.log
    finally:
        await a.kill()
    assert "lost the lease (epoch 1): another instance holds it now; fenced" in a.log
    fake.send_text(2, "fablab")
    await asyncio.sleep(0.5)
    assert answers(fake) == {1: 1, 2: 0, 3: 0, 4: 0}
    assert len(fake.pending_updates()) == 1  # left at Telegram's for the new leader
