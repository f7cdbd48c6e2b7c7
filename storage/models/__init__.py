"""All models, imported here so ``Base.metadata`` knows every table (Alembic reads it)."""

from storage.models.base import Base, UtcDateTime, utcnow
from storage.models.catalogue import Event, EventFigure, EventFollowUp, Innovation, Lab, SeedRecord
from storage.models.conversations import ConversationState
from storage.models.meetings import EventReminder, EventSubscription, OutboxMessage, Rsvp
from storage.models.members import Member

__all__ = [
    "Base",
    "ConversationState",
    "Event",
    "EventFigure",
    "EventFollowUp",
    "EventReminder",
    "EventSubscription",
    "Innovation",
    "Lab",
    "Member",
    "OutboxMessage",
    "Rsvp",
    "SeedRecord",
    "UtcDateTime",
    "utcnow",
]
