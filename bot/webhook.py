"""The webhook server: Telegram's POSTs (secret checked, journaled, then 200), /healthz, /readyz.

PTB's own webhook server answers 200 as soon as the update is in its in-memory queue; this one
answers 200 only once the update is committed to the intake journal (``bot/intake.py``), so a
crash after the answer loses nothing and a crash before it makes Telegram send it again (the
journal recognises it). A request without Telegram's ``X-Telegram-Bot-Api-Secret-Token``, or
with another one, gets 403, is logged with its source address and changes nothing.

- ``GET /healthz``: 200 while the process serves (liveness).
- ``GET /readyz``: 200 when the database answers and no update has waited longer than
  ``intake.stuck_after_seconds``; 503 with the reason otherwise (readiness).
"""

from __future__ import annotations

import hmac
import json
import logging
from datetime import timedelta
from typing import Any

from telegram import Bot, Update
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.web import Application, RequestHandler

from bot.config import Config
from bot.intake import Intake, arrival

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY_BYTES = 1 << 20  # an update is a few KiB


class _Telegram(RequestHandler):
    def initialize(self, server: WebhookServer) -> None:
        self.server = server

    async def post(self) -> None:
        server = self.server
        given = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), server.secret.encode()):
            forwarded = self.request.headers.get("X-Forwarded-For", "")
            log.warning(
                "webhook: refused a POST with %s secret from %s%s",
                "a wrong" if given else "no",
                self.request.remote_ip,
                f" (X-Forwarded-For: {forwarded[:100]})" if forwarded else "",
            )
            self._answer(403, "forbidden")
            return
        try:
            body = self.request.body.decode()
            update = Update.de_json(json.loads(body), server.bot)
        except (ValueError, TypeError, KeyError, AttributeError):
            self._answer(400, "not an update")
            return
        try:
            await server.intake.receive([(update, arrival(update, body))])
        except Exception:
            # Not journaled: Telegram sends it again later.
            log.exception("webhook: could not journal update %s", update.update_id)
            self._answer(500, "try again")
            return
        self._answer(200, "ok")

    def _answer(self, status: int, text: str) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(text + "\n")


class _Health(RequestHandler):
    def get(self) -> None:
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish("ok\n")


class _Ready(RequestHandler):
    def initialize(self, server: WebhookServer) -> None:
        self.server = server

    async def get(self) -> None:
        server = self.server
        if not server.intake.alive:
            ok, why = False, "intake not running"
        else:
            ok, why = await server.intake.journal.ready(server.stuck_after)
        self.set_status(200 if ok else 503)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(why + "\n")


class WebhookServer:
    """Listens on ``telegram.webhook.listen:port`` and registers the webhook with Telegram."""

    def __init__(self, intake: Intake, bot: Bot, config: Config, allowed_updates: list[str]):
        webhook = config.telegram.webhook
        self.intake = intake
        self.bot = bot
        self.secret = webhook.secret_token
        self.stuck_after = timedelta(seconds=config.intake.stuck_after_seconds)
        self._webhook = webhook
        self._allowed = allowed_updates
        self._server: HTTPServer | None = None
        self.port = webhook.port

    def routes(self) -> Application:
        path = "/" + self._webhook.path.strip("/")
        me: dict[str, Any] = {"server": self}
        return Application(
            [(path, _Telegram, me), ("/healthz", _Health), ("/readyz", _Ready, me)],
            log_function=_quiet,  # no line per update (members' ids, volume)
        )

    async def listen(self) -> None:
        """Serve the routes (OSError when the address is taken)."""
        sockets = bind_sockets(self._webhook.port, self._webhook.listen)
        self.port = sockets[0].getsockname()[1]
        self._server = HTTPServer(self.routes(), max_body_size=MAX_BODY_BYTES)
        self._server.add_sockets(sockets)

    async def register(self) -> None:
        """Tell Telegram where to post, with the secret it must send back."""
        await self.bot.set_webhook(
            url=self._webhook.url,
            secret_token=self.secret,
            allowed_updates=self._allowed,
            drop_pending_updates=False,
        )

    async def start(self) -> None:
        await self.listen()
        await self.register()

    async def stop(self) -> None:
        """Stop accepting requests and close the open connections."""
        if self._server is None:
            return
        self._server.stop()
        await self._server.close_all_connections()
        self._server = None


def _quiet(_handler: RequestHandler) -> None:
    """Refusals and failures are logged where they happen."""
