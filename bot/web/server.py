"""The bot's one web server: the route table, where it listens, its start and stop.

It runs in webhook mode (it is the webhook's server, on ``telegram.webhook.listen:port``) and,
in polling mode, when ``[http] enabled = true`` (on ``http.listen:port``). It needs only the
``Deps`` (the database) to start, so in ha mode it listens from the first second, a standby
too; what this instance does (handle updates or not) it reads from the shared :class:`Role`.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.web import Application, RequestHandler

from bot.config import Config, ConfigError
from bot.context import Deps
from bot.services.health.snapshot import HealthService
from bot.web import calendar, health, metrics, open_data, webhook
from bot.web.role import Role

log = logging.getLogger(__name__)
MAX_BODY_BYTES = 1 << 20  # an update is a few KiB; nothing else is posted
Route = tuple[str, type[RequestHandler], dict[str, Any]]


def routes(deps: Deps, role: Role) -> list[Route]:
    """Every route the server answers. Read this first."""
    config = deps.config
    stuck_after = timedelta(seconds=config.intake.stuck_after_seconds)
    watch: dict[str, Any] = {
        "role": role,
        "health": HealthService(deps.sessions, stuck_after=stuck_after),
    }
    telegram: list[Route] = []
    if config.telegram.mode == "webhook":
        secret = {"role": role, "secret": config.telegram.webhook.secret_token}
        telegram = [(webhook.path_of(config), webhook.TelegramPost, secret)]
    return [
        *telegram,  # Telegram's POSTs (webhook mode only)
        ("/healthz", health.Alive, {}),  # liveness
        ("/readyz", health.Ready, watch),  # readiness, JSON
        ("/metrics", metrics.Scrape, watch),  # Prometheus text format
        # Open data, /open/innovations.{geojson,csv,json} (bot/web/open_data.py):
        *open_data.routes(deps),
        # Calendar feeds, /calendar/events.ics and /calendar/m/<token>.ics (bot/web/calendar.py):
        *calendar.routes(deps),
    ]


def address(config: Config) -> tuple[str, int, str] | None:
    """(host, port, the key naming the port) this server listens on; None: no server."""
    if config.telegram.mode == "webhook":
        hook = config.telegram.webhook
        return hook.listen, hook.port, "telegram.webhook.port"
    if config.http.enabled:
        return config.http.listen, config.http.port, "http.port"
    return None


class WebServer:
    """The routes on one address, started and stopped by the runner."""

    def __init__(self, deps: Deps, role: Role) -> None:
        where = address(deps.config)
        if where is None:
            raise ValueError("no web server in this configuration (see address())")
        self.host, self.port, self._port_key = where
        self._app = Application(routes(deps, role), log_function=_quiet)
        self._server: HTTPServer | None = None

    async def start(self) -> None:
        """Listen (ConfigError naming the port's key when the address cannot be bound)."""
        try:
            sockets = bind_sockets(self.port, self.host)
        except OSError as exc:
            where = f"{self.host}:{self.port}"
            raise ConfigError(self._port_key, f"cannot listen on {where} ({exc})") from None
        self.port = sockets[0].getsockname()[1]  # port 0: the one the system chose
        self._server = HTTPServer(self._app, max_body_size=MAX_BODY_BYTES)
        self._server.add_sockets(sockets)
        log.info("web server listening on %s:%s", self.host, self.port)

    async def stop(self) -> None:
        """Stop accepting requests and close the open connections."""
        if self._server is None:
            return
        self._server.stop()
        await self._server.close_all_connections()
        self._server = None


async def start_web(deps: Deps, role: Role) -> WebServer | None:
    """The web server, listening, if this configuration has one (webhook mode, or
    ``[http] enabled``); None otherwise."""
    if address(deps.config) is None:
        return None
    server = WebServer(deps, role)
    await server.start()
    return server


def _quiet(_handler: RequestHandler) -> None:
    """No line per request (members' ids in webhook traffic, volume); refusals and failures are
    logged where they happen."""
