"""Events: gatherings, RSVPs, reminders and calendar files; ``build_events`` wires them."""

from __future__ import annotations

from bot.config import Config
from bot.services.delivery.outbox import DeliveryService
from bot.services.delivery.types import DeliverySettings
from bot.services.events.messages import EventMessages
from bot.services.events.reminder_rules import ReminderSettings
from bot.services.events.service import EventService
from bot.texts import Texts
from storage.db import Sessions


def build_events(
    sessions: Sessions,
    config: Config,
    *,
    delivery: DeliverySettings | None = None,
    reminders: ReminderSettings | None = None,
    texts: Texts | None = None,
) -> EventService:
    """Events with their outbox (``.delivery``), reminders (``.reminders``) and calendar
    feeds (``.feeds``)."""
    outbox = DeliveryService(sessions, delivery)
    texts = texts or Texts.load(config.bot.default_language)
    messages = EventMessages(texts, config.bot.tz)
    return EventService(
        sessions,
        outbox,
        messages,
        reminders or ReminderSettings(),
        public_url=config.http.public_url,
    )
