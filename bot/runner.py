"""Run the bot against Telegram (or any Bot API server) by long polling or webhook."""

from __future__ import annotations

import asyncio
import logging
import signal

from telegram.error import InvalidToken, NetworkError

from bot.app import ALLOWED_UPDATES, build_application, build_deps
from bot.commands import publish_commands
from bot.config import Config, ConfigError
from bot.context import BotApp
from bot.startup import prepare_database

log = logging.getLogger(__name__)


async def serve(config: Config) -> None:
    """Serve updates until SIGTERM or Ctrl-C, then stop cleanly."""
    deps = build_deps(config)
    try:
        await prepare_database(deps)
        app = build_application(deps)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        try:
            await app.initialize()
        except InvalidToken:
            raise ConfigError("telegram.token", "Telegram rejected this token") from None
        except NetworkError as exc:
            raise ConfigError("telegram.base_url", f"cannot reach the Bot API ({exc})") from None
        try:
            await publish_commands(app)
            await app.start()
            await start_updates(app, config)
            log.info("bot @%s is running; Ctrl-C or SIGTERM stops it", app.bot.username)
            await stop.wait()
            log.info("stopping")
            if app.updater is not None and app.updater.running:
                await app.updater.stop()
            await app.stop()
        finally:
            await app.shutdown()
    finally:
        await deps.engine.dispose()


async def start_updates(app: BotApp, config: Config) -> None:
    updater = app.updater
    assert updater is not None
    if config.telegram.mode == "webhook":
        webhook = config.telegram.webhook
        await updater.start_webhook(
            listen=webhook.listen,
            port=webhook.port,
            url_path=webhook.path,
            webhook_url=webhook.url,
            secret_token=webhook.secret_token or None,
            allowed_updates=ALLOWED_UPDATES,
        )
    else:
        await updater.start_polling(allowed_updates=ALLOWED_UPDATES)
