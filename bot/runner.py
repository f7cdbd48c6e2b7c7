"""Run the bot against Telegram (or any Bot API server) by long polling or webhook.

Updates come in through the intake journal (``bot/intake.py``): each is committed to the
database before Telegram is told it arrived, then handled in order and marked done. PTB's
``run_polling`` / ``run_webhook`` (and its ``Updater``) confirm updates before that, so this
module runs the Application's life itself, in PTB's order:

1. the database is migrated and seeded (``Application.initialize()`` reads the stored
   conversation states), then ``initialize()`` itself, so a token Telegram refuses or an
   unreachable Bot API is one line and exit code 2;
2. the command menus are published; the updates a previous run journaled and did not finish
   are queued first; the Application starts (jobs, the delivery engine, persistence);
3. the web server (``bot/web/``: the webhook's POSTs, health, metrics) listens, in webhook mode
   or with ``[http] enabled``; updates are received: long polling, or the webhook's POSTs once
   Telegram has been told its URL and secret;
4. SIGINT or SIGTERM: receiving stops (the web server closes), the update in hand is finished
   (the others stay in the journal for the next start), the Application stops (the delivery
   engine records its sends in flight), the database connections are closed, and the process
   exits 0.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from datetime import timedelta
from typing import Protocol

from telegram.error import InvalidToken, NetworkError, TelegramError

from bot.app import ALLOWED_UPDATES, build_application, build_deps
from bot.commands import publish_commands
from bot.config import Config, ConfigError
from bot.context import BotApp, Deps
from bot.intake import Intake, Polling
from bot.services.intake.journal import IntakeJournal
from bot.startup import prepare_database
from bot.web.role import Role
from bot.web.server import start_web
from storage.locks import single_process

log = logging.getLogger(__name__)
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Receiver(Protocol):
    """Where updates come from: long polling or the webhook server."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


def serve(config: Config) -> None:
    """Serve updates until SIGINT or SIGTERM, then stop cleanly (raises ConfigError, and
    DatabaseInUse when another process serves the same SQLite file)."""
    with single_process(config.database.url):  # held until the process ends, even by SIGKILL
        _serve_locked(config)


def _serve_locked(config: Config) -> None:
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    deps = build_deps(config)
    app = build_application(deps)
    try:
        loop.run_until_complete(_preflight(app, deps))
        loop.run_until_complete(_serve(app, deps))
    finally:
        loop.run_until_complete(deps.engine.dispose())
        loop.close()


def journal_of(deps: Deps) -> IntakeJournal:
    """The intake journal of this process, as the configuration says."""
    keep = timedelta(days=deps.config.intake.keep_done_days)
    return IntakeJournal(deps.engine, keep_done=keep)


def receiver(intake: Intake, app: BotApp, config: Config) -> Receiver:
    """Long polling, or the webhook's registration (the web server receives the POSTs)."""
    if config.telegram.mode == "webhook":
        from bot.web.webhook import Registration  # noqa: PLC0415

        return Registration(app.bot, config, ALLOWED_UPDATES)
    return Polling(intake, app.bot, ALLOWED_UPDATES)


async def _preflight(app: BotApp, deps: Deps) -> None:
    await prepare_database(deps)
    try:
        await app.initialize()
    except InvalidToken:
        raise ConfigError("telegram.token", "Telegram rejected this token") from None
    except NetworkError as exc:
        raise ConfigError("telegram.base_url", f"cannot reach the Bot API ({exc})") from None


async def _serve(app: BotApp, deps: Deps) -> None:
    loop = asyncio.get_running_loop()
    stopping = asyncio.Event()
    for sig in STOP_SIGNALS:
        loop.add_signal_handler(sig, stopping.set)
    intake = Intake(app, journal_of(deps))
    source = receiver(intake, app, deps.config)
    role = Role(deps.config.deployment.mode, deps.config.deployment.instance)
    web = None
    try:
        await publish_commands(app)
        await intake.recover()
        await app.start()
        intake.start()
        role.lead(intake, app.bot)
        web = await start_web(deps, role)  # webhook mode, or [http] enabled
        await _start_receiving(source, deps.config)
        log.info("bot @%s is running; Ctrl-C or SIGTERM stops it", app.bot.username)
        await stopping.wait()
        log.info("stopping: finishing the update in hand")
    finally:
        for sig in STOP_SIGNALS:
            loop.remove_signal_handler(sig)
        await source.stop()
        role.stand_by()
        if web is not None:
            await web.stop()
        await intake.stop()
        if app.running:
            await app.stop()
        await app.shutdown()


async def _start_receiving(source: Receiver, config: Config) -> None:
    try:
        await source.start()
    except TelegramError as exc:
        key = "telegram.webhook.url" if config.telegram.mode == "webhook" else "telegram.base_url"
        raise ConfigError(key, f"Telegram refused it ({exc})") from None
