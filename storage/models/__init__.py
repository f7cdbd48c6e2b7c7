"""All models, imported here so ``Base.metadata`` knows every table (Alembic reads it)."""

from storage.models.base import Base, UtcDateTime, utcnow
from storage.models.catalogue import Event, EventFigure, EventFollowUp, Innovation, Lab, SeedRecord
from storage.models.conversations import ConversationState
from storage.models.events import (
    Announcement,
    EventReminder,
    EventSubscription,
    MeetingDraft,
    OutboxMessage,
    Rsvp,
)
from storage.models.members import Member
from storage.models.proposals import Proposal, ProposalEvent
from storage.models.search import FaqEntry, SavedSearch
from storage.models.surveys import (
    QuickPoll,
    QuickPollVote,
    Survey,
    SurveyAnswer,
    SurveyPoll,
    SurveyQuestion,
    SurveyResponse,
)

__all__ = [
    "Announcement",
    "Base",
    "ConversationState",
    "Event",
    "EventFigure",
    "EventFollowUp",
    "EventReminder",
    "EventSubscription",
    "FaqEntry",
    "Innovation",
    "Lab",
    "MeetingDraft",
    "Member",
    "OutboxMessage",
    "QuickPoll",
    "QuickPollVote",
    "Rsvp",
    "SavedSearch",
    "SeedRecord",
    "Proposal",
    "ProposalEvent",
    "Survey",
    "SurveyAnswer",
    "SurveyPoll",
    "SurveyQuestion",
    "SurveyResponse",
    "UtcDateTime",
    "utcnow",
]
