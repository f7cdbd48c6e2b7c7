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
3. updates are received: long polling, or the webhook server (``bot/webhook.py``, imported only
   in webhook mode) once Telegram has been told its URL and secret;
4. SIGINT or SIGTERM: receiving stops, the update in hand is finished (the others stay in the
   journal for the next start), the Application stops (the delivery engine records its sends
   in flight), the database connections are closed, and the process exits 0.

In ha mode (``[deployment] mode = "ha"``) the process first waits as a standby until it wins
the lease (``bot/services/leadership/lease.py``), its Application built but silent; only then
does it migrate, initialise the Application (so the dialogue states are read as the previous
leader left them) and go through the steps above, every Bot API request fenced by the lease
(``bot/leadership.py``); the seed and the menus follow once updates are received. At a stop
it releases the lease last, once nothing more can leave; a lease lost while leading stops
everything the same way and the process exits 3 (:class:`LeaseLost`), to start again fresh as a
standby under its supervisor.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Protocol

from telegram.error import InvalidToken, NetworkError, TelegramError

from bot.app import ALLOWED_UPDATES, build_application, build_deps
from bot.commands import publish_commands
from bot.config import Config, ConfigError
from bot.context import BotApp, Deps
from bot.intake import Intake, Polling
from bot.leadership import leader_requests
from bot.services.intake.journal import IntakeJournal
from bot.services.leadership.lease import Leadership, Term
from bot.startup import check_database, import_seed, prepare_database, prepare_lease

log = logging.getLogger(__name__)
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class LeaseLost(Exception):
    """ha mode: this process lost the lease while leading (exit code 3)."""


class Receiver(Protocol):
    """Where updates come from: long polling or the webhook server."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


def serve(config: Config) -> None:
    """Serve updates until SIGINT or SIGTERM, then stop cleanly (raises ConfigError)."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    deps = build_deps(config)
    try:
        if config.deployment.mode == "ha":
            loop.run_until_complete(_serve_ha(deps))
        else:
            app = build_application(deps)
            loop.run_until_complete(_preflight(app, deps))
            loop.run_until_complete(_serve_until_stopped(app, deps))
    finally:
        loop.run_until_complete(deps.engine.dispose())
        loop.close()


def journal_of(deps: Deps) -> IntakeJournal:
    """The intake journal of this process, as the configuration says."""
    keep = timedelta(days=deps.config.intake.keep_done_days)
    return IntakeJournal(deps.engine, keep_done=keep)


def receiver(intake: Intake, app: BotApp, config: Config) -> Receiver:
    """Long polling, or the webhook server (tornado is imported only then)."""
    if config.telegram.mode == "webhook":
        from bot.webhook import WebhookServer  # noqa: PLC0415

        return WebhookServer(intake, app.bot, config, ALLOWED_UPDATES)
    return Polling(intake, app.bot, ALLOWED_UPDATES)


async def _preflight(app: BotApp, deps: Deps, *, seed: bool = True) -> None:
    await prepare_database(deps, seed=seed)
    try:
        await app.initialize()
    except InvalidToken:
        raise ConfigError("telegram.token", "Telegram rejected this token") from None
    except NetworkError as exc:
        raise ConfigError("telegram.base_url", f"cannot reach the Bot API ({exc})") from None


@contextlib.contextmanager
def _stop_signals() -> Iterator[asyncio.Event]:
    """An event set by SIGINT or SIGTERM while the block runs."""
    loop = asyncio.get_running_loop()
    stopping = asyncio.Event()
    for sig in STOP_SIGNALS:
        loop.add_signal_handler(sig, stopping.set)
    try:
        yield stopping
    finally:
        for sig in STOP_SIGNALS:
            loop.remove_signal_handler(sig)


async def _serve_until_stopped(app: BotApp, deps: Deps) -> None:
    with _stop_signals() as stopping:
        await _serve(app, deps, stopping)


async def _serve_ha(deps: Deps) -> None:
    """Standby until the lease is won, then lead until a stop signal (or the lease is lost)."""
    started = time.monotonic()
    leadership = Leadership(deps.sessions, deps.config.deployment)
    with _stop_signals() as stopping:
        await check_database(deps)
        await prepare_lease(deps)
        # Built now, initialised only once the lease is won (PTB's persistence reads the
        # dialogue states then): building costs a good part of a take-over's second, and
        # until then every request it could make is refused (leader_requests).
        journal = journal_of(deps)
        requests, updates = leader_requests(leadership, journal)
        app = build_application(deps, request=requests, updates_request=updates)
        # The web server (helper "web") starts here, in both roles: a standby answers /healthz
        # and says "standby" in /readyz (leadership.role).
        term = await leadership.wait(stopping)
        if term is None:
            return
        try:
            await _lead(app, deps, journal, term, stopping=stopping, started=started)
        finally:
            await leadership.release()
    if term.why != "released":
        raise LeaseLost(term.why)


async def _lead(
    app: BotApp,
    deps: Deps,
    journal: IntakeJournal,
    term: Term,
    *,
    stopping: asyncio.Event,
    started: float,
) -> None:
    # Migrations run here, by the leader only. The seed waits until updates are received,
    # except for the first leader of a database (epoch 1): a previous leader left it in place.
    first = term.epoch == 1
    await _preflight(app, deps, seed=first)
    deps.delivery.lead(term.epoch)

    def leading() -> None:
        now = time.monotonic()
        log.info(
            "leader: %s epoch %d after %.2f s (%.2f s from winning the lease)",
            term.holder,
            term.epoch,
            now - started,
            now - term.won_at,
        )

    # A lost lease stops everything as a stop signal does (every request is fenced already).
    watch = asyncio.ensure_future(term.lost.wait())
    watch.add_done_callback(lambda _: stopping.set())
    try:
        await _serve(
            app, deps, stopping, journal=journal, ha=True, seed_later=not first, on_ready=leading
        )
    finally:
        watch.cancel()


async def _serve(
    app: BotApp,
    deps: Deps,
    stopping: asyncio.Event,
    *,
    journal: IntakeJournal | None = None,
    ha: bool = False,
    seed_later: bool = False,
    on_ready: Callable[[], None] | None = None,
) -> None:
    """Receive and handle updates until ``stopping``; ``ha``: as the leader (answering marks,
    the menus, and with ``seed_later`` the seed, once updates are received)."""
    intake = Intake(app, journal or journal_of(deps), answering=ha)
    source = receiver(intake, app, deps.config)
    later: asyncio.Task[None] | None = None
    try:
        if not ha:
            await publish_commands(app)
        await intake.recover()
        await app.start()
        intake.start()
        await _start_receiving(source, deps.config)
        log.info("bot @%s is running; Ctrl-C or SIGTERM stops it", app.bot.username)
        if on_ready is not None:
            on_ready()
        if ha:
            later = asyncio.create_task(_after_take_over(app, deps, seed=seed_later))
        await stopping.wait()
        log.info("stopping: finishing the update in hand")
    finally:
        if later is not None:
            later.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await later
        await source.stop()
        await intake.stop()
        if app.running:
            await app.stop()
        await app.shutdown()


async def _after_take_over(app: BotApp, deps: Deps, *, seed: bool) -> None:
    """ha mode, once updates are received: the seed (new items of an upgrade) and the menus."""
    if seed:
        try:
            await import_seed(deps)
        except Exception:  # the catalogue the previous leader left stays usable
            log.exception("leader: importing the seed catalogue failed")
    await publish_commands(app)


async def _start_receiving(source: Receiver, config: Config) -> None:
    webhook = config.telegram.webhook
    try:
        await source.start()
    except OSError as exc:
        where = f"{webhook.listen}:{webhook.port}"
        raise ConfigError("telegram.webhook.port", f"cannot listen on {where} ({exc})") from None
    except TelegramError as exc:
        key = "telegram.webhook.url" if config.telegram.mode == "webhook" else "telegram.base_url"
        raise ConfigError(key, f"Telegram refused it ({exc})") from None
