"""Real ``python -m bot run`` processes on one database and one Bot API double: start them,
SIGKILL or SIGTERM them, and read what the database says afterwards (tests and bench.scale).

Each process talks to the shared double through its own loopback server, labelled with the
process's name, so the double knows which process performed each request: a hand-over is timed
from the signal to the first answer the next leader gives (``first_reply_after``).
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import create_async_engine

from storage.db import create_engine, create_sessions
from storage.migrate import upgrade
from storage.models import InboundUpdate, LeaderLease, OutboxMessage
from storage.seeding import import_catalogue
from tests.support.databases import POSTGRES_SERVER
from tests.support.ha_members import CountingTelegram, Phone
from tests.support.http_server import BotApiHttpServer

ROOT = Path(__file__).resolve().parents[2]  # the checkout whose code the processes run


@asynccontextmanager
async def fresh_postgres(prefix: str = "innovdeizh_ha") -> AsyncIterator[str]:
    """A new empty PostgreSQL database for one run, dropped afterwards; yields its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_async_engine(f"{POSTGRES_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f"CREATE DATABASE {name}"))
        yield f"{POSTGRES_SERVER}/{name}"
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        await admin.dispose()


async def prepare(url: str) -> None:
    """Migrate and seed, as the first start would (so the processes start at once)."""
    engine = create_engine(url)
    try:
        await upgrade(engine)
        await import_catalogue(create_sessions(engine))
    finally:
        await engine.dispose()


@dataclass
class Instance:
    """One bot process: its name (in the lease and logs), its server's label, its log file."""

    name: str
    label: str
    process: asyncio.subprocess.Process
    log_path: Path
    server: BotApiHttpServer
    started: float

    def log(self) -> str:
        return self.log_path.read_text("utf-8", errors="replace")

    @property
    def alive(self) -> bool:
        return self.process.returncode is None

    async def wait_log(self, fragment: str, timeout: float = 30.0) -> float:  # noqa: ASYNC109
        """Wait until the log has ``fragment``; seconds since the process started."""
        deadline = time.monotonic() + timeout
        while fragment not in self.log():
            if not self.alive:
                raise AssertionError(f"{self.label} exited before {fragment!r}:\n{self.tail()}")
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"{self.label}: no {fragment!r} in {timeout} s:\n{self.tail()}"
                )
            await asyncio.sleep(0.05)
        return time.monotonic() - self.started

    def tail(self, lines: int = 30) -> str:
        return "\n".join(self.log().splitlines()[-lines:])

    async def kill(self) -> float:
        """SIGKILL: nothing gets a chance to run. Returns the moment (monotonic)."""
        at = time.monotonic()
        self.process.kill()
        await self.process.wait()
        return at

    async def term(self) -> float:
        """SIGTERM, without waiting for the exit (see ``exited``). Returns the moment."""
        at = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        return at

    async def exited(self, timeout: float = 30.0) -> int:  # noqa: ASYNC109
        return await asyncio.wait_for(self.process.wait(), timeout)


class Cluster:
    """Bot processes started on demand on one database, each through its own loopback server."""

    def __init__(
        self,
        fake: CountingTelegram,
        db_url: str,
        folder: Path,
        *,
        mode: str = "ha",
        lease_seconds: int = 6,
        renew_seconds: int = 1,
    ) -> None:
        self.fake = fake
        self.db_url = db_url
        self.folder = folder
        self.mode = mode
        self.lease = (lease_seconds, renew_seconds)
        self.instances: list[Instance] = []

    async def start(self, name: str) -> Instance:
        """Start ``python -m bot run`` as instance ``name`` (the same name may start again)."""
        label = f"{name}#{sum(i.name == name for i in self.instances) + 1}"
        server = BotApiHttpServer(self.fake, label=label)
        await server.start()
        config = self.folder / f"{name}.toml"
        lease, renew = self.lease
        config.write_text(
            f'[deployment]\nmode = "{self.mode}"\ninstance = "{name}"\n'
            f"lease_seconds = {lease}\nrenew_seconds = {renew}\n",
            "utf-8",
        )
        env = {k: v for k, v in os.environ.items() if not k.startswith("INNOVDEIZH_")}
        env |= {
            "INNOVDEIZH_DATABASE_URL": self.db_url,
            "INNOVDEIZH_TOKEN": self.fake.token,
            "INNOVDEIZH_BASE_URL": server.base_url,
            "INNOVDEIZH_CONFIG": str(config),
            "PYTHONPATH": str(ROOT),  # this checkout's code, not the venv's editable install
        }
        log_path = self.folder / f"{label.replace('#', '-')}.log"
        with log_path.open("wb") as log:
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", cwd=ROOT, env=env,
                stdout=subprocess.DEVNULL, stderr=log,
            )  # fmt: skip
        instance = Instance(name, label, process, log_path, server, time.monotonic())
        self.instances.append(instance)
        return instance

    def running(self) -> list[Instance]:
        return [i for i in self.instances if i.alive]

    async def close(self) -> None:
        """SIGKILL whatever still runs, stop the servers."""
        for instance in self.instances:
            if instance.alive:
                await instance.kill()
            await instance.server.stop()


def first_reply_after(fake: CountingTelegram, moment: float, but: str) -> tuple[float, str]:
    """(seconds after ``moment``, label) of the first reply to a member sent after ``moment``
    by another process than ``but``; (inf, "") if none yet."""
    for at, label, _chat in fake.reply_log:
        if at > moment and label != but:
            return at - moment, label
    return float("inf"), ""


async def wait_reply_after(
    fake: CountingTelegram,
    moment: float,
    but: str,
    timeout: float = 30.0,  # noqa: ASYNC109
) -> tuple[float, str]:
    """:func:`first_reply_after`, once there is one."""
    await fake.wait_for(lambda: first_reply_after(fake, moment, but)[1] != "", timeout=timeout)
    return first_reply_after(fake, moment, but)


def leader_runs(fake: CountingTelegram) -> list[tuple[str, int]]:
    """The processes that answered members, in turn: (label, replies) per uninterrupted run.
    One leader at a time gives one run per leader."""
    runs: list[tuple[str, int]] = []
    for _at, label, _chat in fake.reply_log:
        if runs and runs[-1][0] == label:
            runs[-1] = (label, runs[-1][1] + 1)
        else:
            runs.append((label, 1))
    return runs


async def _rows(url: str, query: Any) -> list[Any]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            return list((await conn.execute(query)).all())
    finally:
        await engine.dispose()


async def unfinished_updates(url: str) -> set[int]:
    """The journal's updates not marked done."""
    rows = await _rows(url, select(InboundUpdate.update_id).where(InboundUpdate.done_at.is_(None)))
    return {int(row[0]) for row in rows}


def answered_not_done(phones: list[Phone], unfinished: set[int]) -> list[tuple[int, int, int]]:
    """(member, update id, replies already given) of the updates answered, in part or in full,
    and not marked done in the journal: a next leader handles them again (docs/architecture.md,
    « Intake journal »), so their answers may come twice: in doubt."""
    doubtful = []
    for phone in phones:
        for sent in phone.sent:
            answered = phone.answered_of(sent)
            if sent.update_id in unfinished and answered:
                doubtful.append((phone.member, sent.update_id, answered))
    return doubtful


async def outbox_in_doubt(url: str) -> list[tuple[str, int, str, int, bool]]:
    """(purpose, chat, state, claim epoch, sent) of every outbox row marked in doubt."""
    query = select(
        OutboxMessage.purpose,
        OutboxMessage.chat_id,
        OutboxMessage.state,
        OutboxMessage.claim_epoch,
        OutboxMessage.sent_at.is_not(None),
    ).where(OutboxMessage.in_doubt.is_(True))
    return [(str(p), int(c), str(s), int(e), bool(d)) for p, c, s, e, d in await _rows(url, query)]


async def outbox_states(url: str) -> dict[str, int]:
    """Outbox rows per state."""
    query = select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)
    return {str(state): int(count) for state, count in await _rows(url, query)}


async def lease_of(url: str) -> tuple[str, int] | None:
    """(holder, epoch) of the lease row, if any."""
    rows = await _rows(url, select(LeaderLease.holder, LeaderLease.epoch))
    return (str(rows[0][0]), int(rows[0][1])) if rows else None
