"""The meetings services wired together: one outbox, events, reminders, announcements."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Config
from bot.services.announcements import AnnouncementService
from bot.services.delivery import DeliveryService
from bot.services.delivery_types import DeliverySettings
from bot.services.event_messages import EventMessages
from bot.services.events import EventService
from bot.services.reminder_rules import ReminderSettings
from bot.services.reminders import ReminderService
from bot.texts import Texts
from storage.db import Sessions


@dataclass(frozen=True)
class Meetings:
    delivery: DeliveryService
    events: EventService
    reminders: ReminderService
    announcements: AnnouncementService


def build_meetings(
    sessions: Sessions,
    config: Config,
    *,
    delivery: DeliverySettings | None = None,
    reminders: ReminderSettings | None = None,
) -> Meetings:
    """The services of issue 5 with default settings (the config file has no section yet)."""
    outbox = DeliveryService(sessions, delivery)
    messages = EventMessages(Texts.load(config.bot.default_language), config.bot.tz)
    reminder_settings = reminders or ReminderSettings()
    return Meetings(
        delivery=outbox,
        events=EventService(sessions, outbox, messages, reminder_settings),
        reminders=ReminderService(sessions, outbox, messages, reminder_settings),
        announcements=AnnouncementService(sessions, outbox),
    )
