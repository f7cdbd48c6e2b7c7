"""Telegram's webhook: a POST is checked, journaled, then answered 200; and its registration.

PTB's own webhook server answers 200 as soon as the update is in its in-memory queue; this one
answers 200 only once the update is committed to the intake journal (``bot/intake.py``), so a
crash after the answer loses nothing and a crash before it makes Telegram send it again (the
journal recognises it). A request without Telegram's ``X-Telegram-Bot-Api-Secret-Token``, or
with another one, gets 403, is logged with its source address and changes nothing. While this
instance does not handle updates (starting, stopping, an ha standby) a POST gets 503: Telegram
sends it again later.
"""

from __future__ import annotations

import hmac
import json
import logging

from telegram import Bot, Update
from tornado.web import RequestHandler

from bot.config import Config
from bot.intake import arrival
from bot.web.role import Role

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def path_of(config: Config) -> str:
    """Where Telegram posts, on this server (``telegram.webhook.path``)."""
    return "/" + config.telegram.webhook.path.strip("/")


class TelegramPost(RequestHandler):
    def initialize(self, role: Role, secret: str) -> None:
        self.role = role
        self.secret = secret

    async def post(self) -> None:
        given = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            forwarded = self.request.headers.get("X-Forwarded-For", "")
            log.warning(
                "webhook: refused a POST with %s secret from %s%s",
                "a wrong" if given else "no",
                self.request.remote_ip,
                f" (X-Forwarded-For: {forwarded[:100]})" if forwarded else "",
            )
            self._answer(403, "forbidden")
            return
        intake, bot = self.role.intake, self.role.bot
        if intake is None or bot is None:
            self._answer(503, "not handling updates now")
            return
        try:
            body = self.request.body.decode()
            update = Update.de_json(json.loads(body), bot)
        except (ValueError, TypeError, KeyError, AttributeError):
            self._answer(400, "not an update")
            return
        try:
            await intake.receive([(update, arrival(update, body))])
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


class Registration:
    """Tells Telegram where to post (the runner's receiver in webhook mode); the web server
    itself listens on its own (``bot/web/server.py``)."""

    def __init__(self, bot: Bot, config: Config, allowed_updates: list[str]) -> None:
        self._bot = bot
        self._webhook = config.telegram.webhook
        self._allowed = allowed_updates

    async def start(self) -> None:
        """Register the webhook's URL, with the secret Telegram must send back."""
        await self._bot.set_webhook(
            url=self._webhook.url,
            secret_token=self._webhook.secret_token,
            allowed_updates=self._allowed,
            drop_pending_updates=False,
        )

    async def stop(self) -> None:
        """Nothing to undo: the webhook stays set for the next start (or the next leader)."""
