"""Scale and hand-over (issue 12): real ``python -m bot run`` processes on the loopback double.

    python -m bench.scale [--members 50] [--updates 1000] [--rounds 3] [--broadcast 600]

Each round measures, on fresh databases:
- updates per second of members who each wait for the answer before the next step (the
  hand-over test's workload: commands and guided proposals), for single mode on SQLite (one
  process) and ha mode on PostgreSQL (a leader and a standby);
- the same members on a bare python-telegram-bot echo bot run as a process with
  ``run_polling`` on the same double (one answer per update): the baseline of the ratios;
- the hand-over times: SIGKILL of the leader → first answer of the next one, then SIGTERM of
  that one → first answer of the next (tests/support/ha_scenario.py, as the test);
- the broadcast rate: ``--broadcast`` reminders due at once to as many members, the leader
  stopped (SIGTERM, then in a second run SIGKILL) after a quarter of the sends: sends per
  second from the first send to the last, the gap included, and the gap.
Medians over the rounds; the load average is printed: the machine is small and shared.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.common import machine, median
from tests.support.ha_cluster import Cluster, fresh_postgres, prepare
from tests.support.ha_members import CountingTelegram, add_reminders, audience, phones
from tests.support.ha_scenario import (
    handovers,
    outbox_drained,
    start_leader,
    start_standby,
    stop_all,
    traffic,
)
from tests.support.http_server import BotApiHttpServer

Figures = dict[str, float]


def bare_bot() -> None:
    """The baseline process: a bare PTB echo bot long-polling ``BENCH_BASE_URL``."""
    from telegram.ext import Application, MessageHandler, filters

    from bench.common import echo

    app = Application.builder().token(os.environ["BENCH_TOKEN"])
    app = app.base_url(os.environ["BENCH_BASE_URL"]).build()  # type: ignore[assignment]
    app.add_handler(MessageHandler(filters.ALL, echo))  # type: ignore[attr-defined]
    app.run_polling(stop_signals=(signal.SIGTERM,))  # type: ignore[attr-defined]


async def baseline(members: int, updates: int) -> float:
    """Updates per second of the bare echo bot process, the same members waiting."""
    fake = CountingTelegram()
    people = phones(fake, members, updates, dialogues=False)
    server = BotApiHttpServer(fake, label="bare")
    await server.start()
    env = os.environ | {"BENCH_TOKEN": fake.token, "BENCH_BASE_URL": server.base_url}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.scale", "--bare", env=env, stderr=subprocess.DEVNULL
    )
    try:
        await fake.wait_for(lambda: any(c.method == "getUpdates" for c in fake.calls), 30)
        seconds = await traffic(people)
    finally:
        process.terminate()
        await process.wait()
        await server.stop()
    return updates / seconds


async def throughput(url: str, folder: Path, mode: str, members: int, updates: int) -> Figures:
    """Updates per second of the bot (single: one process; ha: a leader and a standby), and
    the leader's CPU time per update (ms)."""
    await prepare(url)
    fake = CountingTelegram()
    people = phones(fake, members, updates)
    cluster = Cluster(fake, url, folder, mode=mode)
    try:
        leader = await start_leader(cluster, "a")
        await start_standby(cluster, "b")
        cpu = cpu_seconds(leader.process.pid)
        seconds = await traffic(people)
        cpu = cpu_seconds(leader.process.pid) - cpu
        await stop_all(cluster)
    finally:
        await cluster.close()
    return {"rate": updates / seconds, "cpu_ms": cpu * 1000 / updates}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def handover_times(url: str, folder: Path, members: int, updates: int) -> Figures:
    """Seconds from SIGKILL, then SIGTERM, of the leader to the next one's first answer."""
    await prepare(url)
    fake = CountingTelegram()
    people = phones(fake, members, updates)
    cluster = Cluster(fake, url, folder)
    try:
        run = await handovers(
            cluster, people, kill_after=updates // 3, term_after=updates * 2 // 3
        )
        await stop_all(cluster)
    finally:
        await cluster.close()
    return {h.signal: h.seconds for h in run.handovers}


async def broadcast(url: str, folder: Path, count: int, how: str) -> Figures:
    """Reminders due at once to ``count`` members; the leader gets ``how`` after a quarter."""
    await prepare(url)
    fake = CountingTelegram()
    ids = audience(fake, count)
    await add_reminders(url, ids, count, datetime.now(UTC) + timedelta(seconds=2), 0.0)
    cluster = Cluster(fake, url, folder)
    try:
        leader = await start_leader(cluster, "a")
        await start_standby(cluster, "b")
        moment: list[float] = []

        def on_reminder(sent: int) -> None:
            if sent == count // 4 and not moment:
                moment.append(time.monotonic())
                leader.process.send_signal(getattr(signal, how))

        fake.on_reminder = on_reminder
        await fake.wait_for(lambda: bool(moment), timeout=120)
        await leader.process.wait()
        await cluster.start("a")  # a standby again
        await outbox_drained(cluster, timeout=180, planned=count)
        await stop_all(cluster)
    finally:
        await cluster.close()
    return _rates(fake.reminder_log, moment[0], "a#1")


def _rates(log: list[tuple[float, str]], moment: float, first: str) -> Figures:
    """Sends per second overall (first send to last, the hand-over included), before the
    signal and under the next leader, and the gap: signal → the next leader's first send."""

    def rate(times: list[float]) -> float:
        return (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0

    times = [at for at, _label in log]
    before = [at for at, label in log if label == first]
    after = [at for at, label in log if label != first]
    return {
        "rate": rate(times),
        "before": rate(before),
        "after": rate(after),
        "gap": after[0] - moment if after else float("inf"),
        "sent": float(len(times)),
    }


async def one_round(members: int, updates: int, count: int) -> Figures:
    """Every figure once, each on a fresh database."""
    figures: Figures = {"bare": await baseline(members, updates)}
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.sqlite3'}"
        single = await throughput(url, Path(folder), "single", members, updates)
    figures |= {f"single_{key}": value for key, value in single.items()}
    print(f"  single: {single}", flush=True)
    runs: list[tuple[str, Callable[[str, Path], Awaitable[float | Figures]]]] = [
        ("ha", lambda u, f: throughput(u, f, "ha", members, updates)),
        ("handover", lambda u, f: handover_times(u, f, members, updates)),
        ("SIGTERM_broadcast", lambda u, f: broadcast(u, f, count, "SIGTERM")),
        ("SIGKILL_broadcast", lambda u, f: broadcast(u, f, count, "SIGKILL")),
    ]
    for name, measure in runs:
        with tempfile.TemporaryDirectory() as folder:
            async with fresh_postgres("innovdeizh_bench") as url:
                result = await measure(url, Path(folder))
        if isinstance(result, dict):
            figures |= {
                f"{name}_{key}" if name != "handover" else key: v for key, v in result.items()
            }
        else:
            figures[name] = result
        print(f"  {name}: {result}", flush=True)
    return figures


def report(rounds: list[Figures], members: int, updates: int, count: int) -> None:
    """The medians, as a table."""

    def m(key: str) -> float:
        return median([r[key] for r in rounds])

    bare = m("bare")
    rows = [
        ("bare PTB echo process (run_polling), baseline", f"{bare:,.1f} updates/s", ""),
        ("single / SQLite, one process", f"{m('single_rate'):,.1f} updates/s",
         f"{m('single_rate') / bare:.2f} × bare; {m('single_cpu_ms'):.1f} ms CPU/update"),
        ("ha / PostgreSQL, leader + standby", f"{m('ha_rate'):,.1f} updates/s",
         f"{m('ha_rate') / bare:.2f} × bare; {m('ha_cpu_ms'):.1f} ms CPU/update"),
        ("hand-over after SIGKILL (→ next answer)", f"{m('SIGKILL'):.2f} s", "≤ 15 s"),
        ("hand-over after SIGTERM (→ next answer)", f"{m('SIGTERM'):.2f} s", "≤ 3 s"),
        *(
            (f"broadcast of {count}, {how} at 1/4", f"{m(f'{how}_broadcast_rate'):.1f} sends/s",
             f"gap {m(f'{how}_broadcast_gap'):.2f} s; {m(f'{how}_broadcast_before'):.1f}/s "
             f"before, {m(f'{how}_broadcast_after'):.1f}/s after")
            for how in ("SIGTERM", "SIGKILL")
        ),
    ]  # fmt: skip
    print(f"\nmachine: {machine()}; load average {os.getloadavg()[0]:.1f} at the end")
    print(f"{members} members, {updates} updates, medians of {len(rounds)} round(s)")
    width = max(len(r[0]) for r in rows)
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>16}  {note}")


async def main(members: int, updates: int, rounds: int, count: int) -> None:
    """Measure ``rounds`` times, then print the medians."""
    print(f"bench.scale on {machine()}; load average {os.getloadavg()[0]:.1f} at the start")
    results = []
    for number in range(rounds):
        print(f"round {number + 1}/{rounds}", flush=True)
        results.append(await one_round(members, updates, count))
    report(results, members, updates, count)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--bare"]:
        bare_bot()
        sys.exit(0)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=50)
    parser.add_argument("--updates", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--broadcast", type=int, default=600)
    args = parser.parse_args()
    asyncio.run(main(args.members, args.updates, args.rounds, args.broadcast))
