"""The hand-over run shared by tests/test_ha_handover.py and bench/scale.py.

Members write to the bot through the double; after ``kill_after`` answers the leader is killed
(SIGKILL) and started again, as its supervisor would: it comes back as a standby, so someone is
left to lead after the next step; after ``term_after`` answers the leader then is stopped
(SIGTERM). Each hand-over is timed from the signal to the first answer another process gives.
"""

from __future__ import annotations

import asyncio
import re
import signal
import time
from dataclasses import dataclass, field

from tests.support.ha_cluster import (
    Cluster,
    Instance,
    outbox_states,
    wait_reply_after,
)
from tests.support.ha_members import Phone

RUNNING = "is running"  # runner.py's line once updates are being received


def leading_line(cluster: Cluster, name: str) -> str:
    """The log line of an instance that has started leading (ha) or serving (single)."""
    return f"leader: {name} epoch" if cluster.mode == "ha" else RUNNING


STANDBY = "standby: "
IN_DOUBT = re.compile(r"in doubt, not handled again \(.*?\): ([0-9, ]+)")


@dataclass
class HandOver:
    """One hand-over: the signal, who had led, who answered next and how soon."""

    signal: str
    before: str
    after: str
    seconds: float
    # (member, update id, replies given before the signal) of the updates the next leader
    # reported in doubt: being answered when the previous one went, so not handled again.
    in_doubt: list[tuple[int, int, int]] = field(default_factory=list)


@dataclass
class Run:
    handovers: list[HandOver] = field(default_factory=list)
    traffic_seconds: float = 0.0
    updates: int = 0


async def start_leader(cluster: Cluster, name: str = "a") -> Instance:
    """Start the first instance and wait until it serves."""
    first = await cluster.start(name)
    await first.wait_log(leading_line(cluster, name))
    return first


async def start_standby(cluster: Cluster, name: str) -> Instance | None:
    """In ha mode, start ``name`` and wait until it says it is standing by."""
    if cluster.mode != "ha":
        return None
    standby = await cluster.start(name)
    await standby.wait_log(STANDBY)
    return standby


async def traffic(phones: list[Phone]) -> float:
    """Every phone's script, all at once; seconds until the last answer."""
    started = time.monotonic()
    await asyncio.gather(*(phone.run(seed) for seed, phone in enumerate(phones)))
    return time.monotonic() - started


def reported_in_doubt(instance: Instance) -> set[int]:
    """The updates a new leader said it would not handle again (the previous one was
    answering them when it went): bot/services/intake/journal.py's warning."""
    return {int(n) for found in IN_DOUBT.findall(instance.log()) for n in found.split(",")}


def doubt_of(phones: list[Phone], update_ids: set[int]) -> list[tuple[int, int, int]]:
    """(member, update id, replies given) of these updates."""
    return [
        (phone.member, sent.update_id, phone.answered_of(sent))
        for phone in phones
        for sent in phone.sent
        if sent.update_id in update_ids
    ]


async def handovers(
    cluster: Cluster,
    phones: list[Phone],
    *,
    kill_after: int,
    term_after: int,
    reminders: int = 0,
) -> Run:
    """The members' traffic; once ``kill_after`` answers are given, the leader is killed
    (SIGKILL) the instant the double performs its next reminder send (``reminders``: how many
    are expected; once all are sent, or with none, its next reply; 100 replies later without
    one), so the leader waits for Telegram's answer, as a crash usually finds it, and started
    again; the next leader gets SIGTERM as the double performs its ``term_after``-th reply."""
    fake = cluster.fake
    leader = await start_leader(cluster, "a")
    await start_standby(cluster, "b")
    run = Run(updates=sum(len(phone.steps) for phone in phones))
    moments: dict[str, float] = {}
    signalled = {"SIGKILL": asyncio.Event(), "SIGTERM": asyncio.Event()}
    state = {"leader": leader, "term": False}

    def send(how: str) -> None:
        lead = state["leader"]
        assert isinstance(lead, Instance)
        moments[how] = time.monotonic()
        lead.process.send_signal(getattr(signal, how))
        signalled[how].set()

    def on_reply(count: int) -> None:
        # Reminders not coming (all sent, or none planned, or stalled): the next reply.
        if not moments and count >= kill_after + (
            100 if reminders > len(fake.reminder_log) else 0
        ):
            send("SIGKILL")
        elif state["term"] and "SIGTERM" not in moments and count >= term_after:
            send("SIGTERM")

    def on_reminder(_count: int) -> None:
        if not moments and fake.answered >= kill_after:
            send("SIGKILL")

    fake.on_reminder = on_reminder
    fake.on_reply = on_reply
    sending = asyncio.create_task(traffic(phones))
    try:
        await _either(signalled["SIGKILL"], sending)
        await leader.process.wait()
        back = await cluster.start(leader.name)  # a standby again
        leader = await _next(
            cluster, phones, run, how="SIGKILL", before=leader, moment=moments["SIGKILL"]
        )
        if back is not leader:
            await back.wait_log(STANDBY)
        state["leader"], state["term"] = leader, True
        await _either(signalled["SIGTERM"], sending)
        stopped = leader
        await _next(cluster, phones, run, how="SIGTERM", before=leader, moment=moments["SIGTERM"])
        assert await stopped.exited() == 0, stopped.tail()
        run.traffic_seconds = await sending
    finally:
        fake.on_reply = fake.on_reminder = None
        if not sending.done():
            sending.cancel()
    return run


async def _next(
    cluster: Cluster, phones: list[Phone], run: Run, *, how: str, before: Instance, moment: float
) -> Instance:
    """Wait for another process to answer; note the hand-over and the updates it reports in
    doubt (their members, left without an answer, type them again). Returns the new leader."""
    seconds, label = await wait_reply_after(cluster.fake, moment, before.label, timeout=60)
    leader = next(i for i in cluster.instances if i.label == label)
    doubt = doubt_of(phones, reported_in_doubt(leader))
    for phone in phones:
        phone.in_doubt |= {update for _member, update, _given in doubt}
    cluster.fake.nudge()
    run.handovers.append(HandOver(how, before.label, label, seconds, doubt))
    return leader


async def _either(event: asyncio.Event, task: asyncio.Task[float]) -> None:
    """Wait for ``event``; the traffic ending first (or failing) is an error."""
    waiting = asyncio.ensure_future(event.wait())
    await asyncio.wait([waiting, task], return_when=asyncio.FIRST_COMPLETED)
    if not event.is_set():
        waiting.cancel()
        task.result()  # its exception, if any
        raise AssertionError("the traffic ended before the signal")


async def outbox_drained(
    cluster: Cluster,
    timeout: float = 60.0,  # noqa: ASYNC109
    *,
    planned: int = 0,
) -> dict[str, int]:
    """Wait until the outbox holds at least ``planned`` rows (the reminders due last may not be
    planned yet when the traffic ends early) and none is pending or being sent; the rows per
    state."""
    deadline = time.monotonic() + timeout
    while True:
        states = await outbox_states(cluster.db_url)
        idle = not (states.get("pending") or states.get("sending"))
        if idle and sum(states.values()) >= planned:
            return states
        if time.monotonic() > deadline:
            raise AssertionError(f"the outbox is not drained after {timeout} s: {states}")
        await asyncio.sleep(0.5)


async def stop_all(cluster: Cluster) -> None:
    """SIGTERM every running instance; each must exit 0."""
    running = cluster.running()
    for instance in running:
        await instance.term()
    for instance in running:
        assert await instance.exited() == 0, instance.tail()
