"""Every JobQueue callback of the running bot, and the one way features are woken up.

The database is the schedule; the JobQueue only wakes the process. Each feature with due times
has one :class:`Wake`: a single job named after it runs at the next due time (``next_due``),
handles what is due, then puts itself at the following one. It runs at once at start-up, so
whatever came due while the bot was down is handled first, and again at once whenever a
service says its schedule changed (listeners wired in ``bot.app``). Event reminders and quick
polls wake this way; survey invitations are outbox rows with a due time, which the delivery
engine (started here, a task of the Application) sends when due.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from telegram.error import BadRequest
from telegram.ext import Job

from bot.context import AnyApp, Ctx, Deps, deps_of
from bot.delivery_worker import telegram_sender
from bot.formatting import format_number
from bot.services.delivery.announcements import AnnouncementView
from bot.services.delivery.engine import DeliveryEngine
from bot.services.delivery.outbox import Progress
from handlers.privacy import scrub_shown
from handlers.surveys.quick_polls import stop_poll
from storage.models import utcnow

log = logging.getLogger(__name__)
PROGRESS_EVERY = 3.0  # seconds between two edits of an announcement's progress message
PROGRESS_JOB = "delivery:progress"
RETRY_AFTER = timedelta(minutes=1)  # a wake-up that failed (database away) tries again then
# Something due sooner than this after a run is handled by that same run, a few times at most,
# and the next run is put at least this far ahead (see _woken).
SOON = timedelta(seconds=1)
MAX_ROUNDS = 100
NAP_SECONDS = 0.1
# A wake-up found late (a slow start, a busy loop) still runs: APScheduler's default would drop
# a job more than one second late, and the database knows what is late anyway.
_LATE_IS_FINE: dict[str, Any] = {"misfire_grace_time": None}


@dataclass(frozen=True)
class Wake:
    """One feature's wake-up: what to do with what is due, and when the next thing is due."""

    name: str
    handle_due: Callable[[Ctx], Awaitable[None]]
    next_due: Callable[[Deps], Awaitable[datetime | None]]
    # Look at the database at least this often (another process may have added something).
    longest_sleep: timedelta | None = None


def start(app: AnyApp) -> None:
    """On start: the delivery engine, the progress of unfinished announcements, then every
    wake-up at once."""
    if app.job_queue is not None:
        app.job_queue.run_once(
            _start_delivery, when=0, name="delivery:start", job_kwargs=_LATE_IS_FINE
        )
        app.job_queue.run_once(
            _restore_progress, when=0, name="delivery:restore", job_kwargs=_LATE_IS_FINE
        )
    for wake in WAKES:
        wake_now(app, wake)


def wake_now(app: AnyApp, wake: Wake) -> None:
    """Run ``wake`` at once (its schedule changed); it then sleeps until its next due time."""
    _put(app, wake, utcnow())


async def wake_at_next_due(
    app: AnyApp, wake: Wake, not_before: datetime | None = None
) -> datetime | None:
    """Put ``wake``'s single job at its next due time, ``not_before`` at the earliest (none when
    nothing is due, unless it has a longest sleep); returns that due time."""
    next_due = await wake.next_due(deps_of(app))
    when = next_due
    if wake.longest_sleep is not None:
        latest = utcnow() + wake.longest_sleep
        when = latest if when is None else min(when, latest)
    if when is None:
        _remove(app, wake.name)
    else:
        _put(app, wake, max(when, not_before or utcnow()))
    return next_due


def follow_announcement(app: AnyApp, announcement_id: int) -> None:
    """Edit the organiser's progress message every few seconds until nothing is pending."""
    name = f"{PROGRESS_JOB}:{announcement_id}"
    if app.job_queue is not None and not app.job_queue.get_jobs_by_name(name):
        app.job_queue.run_repeating(
            _show_progress,
            interval=PROGRESS_EVERY,
            first=PROGRESS_EVERY,
            data=announcement_id,
            name=name,
        )


async def _woken(context: Ctx) -> None:
    wake = _running_job(context).data
    if not isinstance(wake, Wake):
        raise TypeError(f"a wake-up job carries {wake!r}, not a Wake")
    try:
        await wake.handle_due(context)
        # Rescheduling its own id to run now (or a few ms from now) while this run is still
        # going makes APScheduler skip that run ("maximum number of running instances
        # reached"), and a skipped one-off job never comes back: reminders due back to back
        # stalled for good on a loaded machine (tests/test_ha_handover.py). So what falls due
        # within SOON is waited for and handled here, and the next run is put SOON ahead.
        # A stop waits for this run (PTB's JobQueue.stop(wait=True)): the naps are short and
        # the loop ends as soon as the application stops running.
        app = context.application
        stopped = _stop_seen(app)
        for _ in range(MAX_ROUNDS):
            due = None if stopped() else await wake.next_due(deps_of(app))
            if due is None or due - utcnow() > SOON:
                break
            await _nap_until(due, stopped)
            if stopped():
                break
            await wake.handle_due(context)
        await wake_at_next_due(app, wake, not_before=utcnow() + SOON)
    except Exception:
        # The database may be away for a moment: ask it again soon rather than never.
        _put(context.application, wake, utcnow() + RETRY_AFTER)
        raise


def _stop_seen(app: AnyApp) -> Callable[[], bool]:
    """Whether ``app``, running now, has begun to stop (a job run by hand, outside a running
    application, never sees a stop)."""
    running = app.running
    return lambda: running and not app.running


async def _nap_until(due: datetime, stopped: Callable[[], bool]) -> None:
    """Sleep until ``due`` in short naps, waking early once ``stopped()``."""
    for _ in range(math.ceil((due - utcnow()).total_seconds() / NAP_SECONDS)):
        if stopped():
            return
        await asyncio.sleep(min(NAP_SECONDS, max(0.0, (due - utcnow()).total_seconds())))


def _running_job(context: Ctx) -> Job[Ctx]:
    """The job this callback runs as (PTB sets ``context.job`` for job callbacks only)."""
    if context.job is None:
        raise RuntimeError("a job callback was called outside the JobQueue")
    return context.job


def _put(app: AnyApp, wake: Wake, when: datetime) -> None:
    if app.job_queue is None:
        return
    _remove(app, wake.name)
    # One id per wake-up: APScheduler never runs two at once (a change during a run is seen by
    # that run, which reads the next due time after handling).
    job_kwargs = {**_LATE_IS_FINE, "id": wake.name, "replace_existing": True}
    app.job_queue.run_once(_woken, when=when, data=wake, name=wake.name, job_kwargs=job_kwargs)


def _remove(app: AnyApp, name: str) -> None:
    if app.job_queue is not None:
        for job in app.job_queue.get_jobs_by_name(name):
            job.schedule_removal()


async def _start_delivery(context: Ctx) -> None:
    app, deps = context.application, context.deps
    engine = DeliveryEngine(
        deps.delivery, telegram_sender(context.bot), on_blocked=deps.members.mark_unreachable
    )
    # Application.stop() sets running to False, then awaits this task: in-flight sends are
    # recorded before the process exits, so a clean stop leaves nothing in doubt.
    app.create_task(engine.run(lambda: not app.running), name="delivery:engine")


async def _fire_reminders(context: Ctx) -> None:
    report = await context.deps.events.reminders.tick(utcnow())
    if report.fired or report.missed:
        log.info("reminders: %s fired, %s missed", report.fired, report.missed)


async def _close_quick_polls(context: Ctx) -> None:
    service = context.deps.surveys.quick_polls
    for poll in await service.due():
        await stop_poll(context.bot, service, poll)


async def _expire_introductions(context: Ctx) -> None:
    expired = await context.deps.networking.introductions.expire_due(utcnow())
    if expired:
        log.info("introductions: %s expired unanswered", expired)


async def _run_rounds(context: Ctx) -> None:
    tick = await context.deps.networking.rounds.tick(utcnow())
    if tick.reminded or tick.paired or tick.asked or tick.paused:
        log.info("rounds: %s", tick)


async def _rounds_due(deps: Deps) -> datetime | None:
    return await deps.networking.rounds.next_due()


async def _introductions_due(deps: Deps) -> datetime | None:
    return await deps.networking.introductions.next_expiry()


async def _reminders_due(deps: Deps) -> datetime | None:
    return await deps.events.reminders.next_due_at()


async def _quick_polls_due(deps: Deps) -> datetime | None:
    return await deps.surveys.quick_polls.next_closing()


async def _scrub(context: Ctx) -> None:
    await scrub_shown(context.bot, context.deps)


async def _scrub_due(deps: Deps) -> datetime | None:
    """Messages an erasure left to scrub (a crash, Telegram busy): tried again in a minute."""
    return utcnow() + RETRY_AFTER if await deps.privacy.to_scrub(1) else None


# Events added by the CLI (another process) are seen within 15 minutes, well inside the grace
# window of a reminder.
REMINDERS = Wake("events:reminders", _fire_reminders, _reminders_due, timedelta(minutes=15))
QUICK_POLLS = Wake("surveys:quick_polls", _close_quick_polls, _quick_polls_due)
# At start-up: the messages with erased members' data that a crash left unedited.
SCRUB = Wake("privacy:scrub", _scrub, _scrub_due)
# Introductions unanswered for seven days; an hour late is fine, and a request made meanwhile
# (by this process or another) is seen within the hour.
INTRODUCTIONS = Wake(
    "networking:introductions", _expire_introductions, _introductions_due, timedelta(hours=1)
)
# Café réseautage rounds: reminders, pairings and follow-ups; a round opened by another process
# is seen within 15 minutes (its reminder is due a day before).
ROUNDS = Wake("networking:rounds", _run_rounds, _rounds_due, timedelta(minutes=15))
WAKES = (REMINDERS, QUICK_POLLS, SCRUB, INTRODUCTIONS, ROUNDS)


async def _restore_progress(context: Ctx) -> None:
    """After any stop: follow every unfinished announcement again, from the database; one
    planned just before a crash, before its progress message left, gets that message now."""
    announcements = context.deps.delivery.announcements
    for view in await announcements.unfinished():
        if view.progress_message_id == 0 and view.progress_chat_id:
            _, progress = await announcements.progress(view.id)
            text = _progress_text(context.deps, view, progress)
            message = await context.bot.send_message(view.progress_chat_id, text)
            await announcements.attach_progress(view.id, message.message_id)
        follow_announcement(context.application, view.id)


async def _show_progress(context: Ctx) -> None:
    """The organiser's progress message (« 340/1 200 envoyés »), the summary once done."""
    job = _running_job(context)
    if not isinstance(job.data, int):
        raise TypeError(f"a progress job carries {job.data!r}, not an announcement id")
    deps = context.deps
    view, progress = await deps.delivery.announcements.progress(job.data)
    if view.progress_message_id == 0:  # the progress message is on its way (on_send)
        if progress.done:
            job.schedule_removal()
        return
    text = _progress_text(deps, view, progress)
    with contextlib.suppress(BadRequest):  # "message is not modified" between two ticks
        await context.bot.edit_message_text(
            text, chat_id=view.progress_chat_id, message_id=view.progress_message_id
        )
    if progress.done:
        job.schedule_removal()


def _progress_text(deps: Deps, view: AnnouncementView, progress: Progress) -> str:
    """« 📣 Envoi en cours : 340/1 200 » or the final summary, in the organiser's language."""
    language = deps.language_of(None)
    member = deps.members.cached(view.progress_chat_id)
    if member is not None:
        language = deps.texts.pick_language(member.language, member.telegram_language)
    key = "delivery.announce.done" if progress.done else "delivery.announce.progress"
    counts = {
        "sent": progress.sent,
        "total": progress.total,
        "blocked": progress.blocked,
        "failed": progress.failed,
        "doubt": progress.in_doubt,
    }
    return deps.texts.get(
        language, key, **{name: format_number(n, language) for name, n in counts.items()}
    )
