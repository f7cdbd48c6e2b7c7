"""Run the bot against Telegram (or any Bot API server) by long polling or webhook.

PTB's ``run_polling`` / ``run_webhook`` own the event loop, the stop signals (SIGINT, SIGTERM:
updates in hand are finished, the delivery engine records its sends in flight, then the
process exits 0) and the order of start and stop, with our ``post_init`` (command menus) and
``post_shutdown`` (database connections closed). Two checks come first, on the same loop:

- the database is migrated and seeded: ``Application.initialize()`` already reads the stored
  conversation states, and PTB runs it before ``post_init``;
- ``initialize()`` itself, so a token Telegram refuses or an unreachable Bot API is one line
  and exit code 2 (PTB's bootstrap would log a traceback first). PTB's own call is then a no-op.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TypedDict

from telegram.error import InvalidToken, NetworkError

from bot.app import ALLOWED_UPDATES, build_application, build_deps
from bot.commands import publish_commands
from bot.config import Config, ConfigError
from bot.context import AnyApp, BotApp, Deps, deps_of
from bot.startup import prepare_database

log = logging.getLogger(__name__)


class WebhookSettings(TypedDict):
    """What ``run_webhook`` (and ``Updater.start_webhook``) is given."""

    listen: str
    port: int
    url_path: str
    webhook_url: str
    secret_token: str | None
    allowed_updates: list[str]
    drop_pending_updates: bool
    bootstrap_retries: int


def serve(config: Config) -> None:
    """Serve updates until SIGINT or SIGTERM, then stop cleanly (raises ConfigError)."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)  # run_polling and run_webhook take it, and close it at the end
    deps = build_deps(config)
    app = build_application(deps, post_init=_started, post_shutdown=_stopped)
    try:
        loop.run_until_complete(_preflight(app, deps))
    except BaseException:
        loop.run_until_complete(deps.engine.dispose())
        loop.close()
        raise
    if config.telegram.mode == "webhook":
        app.run_webhook(**webhook_settings(config))
    else:
        # Updates sent while the bot was down are answered, not dropped.
        app.run_polling(
            allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False, bootstrap_retries=0
        )


def webhook_settings(config: Config) -> WebhookSettings:
    """The webhook Telegram calls, with the secret it must send back (TELEGRAM.md)."""
    webhook = config.telegram.webhook
    return WebhookSettings(
        listen=webhook.listen,
        port=webhook.port,
        url_path=webhook.path,
        webhook_url=webhook.url,
        secret_token=webhook.secret_token or None,
        allowed_updates=ALLOWED_UPDATES,
        drop_pending_updates=False,
        bootstrap_retries=0,
    )


async def _preflight(app: BotApp, deps: Deps) -> None:
    await prepare_database(deps)
    try:
        await app.initialize()
    except InvalidToken:
        raise ConfigError("telegram.token", "Telegram rejected this token") from None
    except NetworkError as exc:
        raise ConfigError("telegram.base_url", f"cannot reach the Bot API ({exc})") from None


async def _started(app: AnyApp) -> None:
    await publish_commands(app)
    log.info("bot @%s is running; Ctrl-C or SIGTERM stops it", app.bot.username)


async def _stopped(app: AnyApp) -> None:
    await deps_of(app).engine.dispose()
