"""Meetings inside the running bot: the delivery engine task and one reminder wake-up job.

The JobQueue never holds one job per reminder: a single job named "meetings:wake" runs at the
next due reminder (and at least every 15 minutes), asks the database what is due, then re-schedules
itself. At start-up it runs at once, so whatever came due while the bot was down is handled
(sent within the grace window, marked missed past it).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from telegram.ext import Application, CallbackContext

from bot.context import DEPS_KEY, BotApp, Ctx, Deps
from bot.delivery_worker import telegram_sender
from bot.services.delivery.engine import DeliveryEngine
from storage.models import utcnow

log = logging.getLogger(__name__)
WAKE_JOB = "meetings:wake"
ENGINE_KEY = "meetings:engine"
# Events added by the CLI (another process) are seen within this, well inside the grace window.
LONGEST_SLEEP = timedelta(minutes=15)


def schedule_events(app: BotApp) -> None:
    """On start: launch the delivery engine and the reminder wake-up."""
    if app.job_queue is not None:
        app.job_queue.run_once(_start, when=0, name="meetings:start")


def _deps(app: Application[Any, Any, Any, Any, Any, Any]) -> Deps:
    deps = app.bot_data[DEPS_KEY]
    assert isinstance(deps, Deps)
    return deps


async def _start(context: Ctx) -> None:
    app = context.application
    deps = context.deps
    engine = DeliveryEngine(
        deps.delivery, telegram_sender(context.bot), on_blocked=deps.members.mark_unreachable
    )
    app.bot_data[ENGINE_KEY] = engine
    # Application.stop() sets running to False, then awaits this task: in-flight sends are
    # recorded before the process exits, so a clean stop leaves nothing in doubt.
    app.create_task(engine.run(lambda: not app.running), name="meetings:delivery")
    await wake(context)


async def wake(context: CallbackContext[Any, Any, Any, Any]) -> None:
    """Fire due reminders, then sleep until the next one."""
    deps = _deps(context.application)
    report = await deps.events.reminders.tick(utcnow())
    if report.fired or report.missed:
        log.info("reminders: %s fired, %s missed", report.fired, report.missed)
    await reschedule(context.application)


async def reschedule(app: Application[Any, Any, Any, Any, Any, Any]) -> datetime | None:
    """Put the single wake-up job at the next due reminder (call after any event change)."""
    queue = app.job_queue
    if queue is None:
        return None
    next_due = await _deps(app).events.reminders.next_due_at()
    for job in queue.get_jobs_by_name(WAKE_JOB):
        job.schedule_removal()
    when = utcnow() + LONGEST_SLEEP
    if next_due is not None:
        when = min(when, next_due)
    queue.run_once(wake, when=max(when, utcnow()), name=WAKE_JOB)
    return next_due
