"""All models, imported here so ``Base.metadata`` knows every table (Alembic reads it)."""

from storage.models.base import Base, UtcDateTime, utcnow
from storage.models.catalogue import FaqEntry, Innovation, Lab, SeedRecord
from storage.models.conversations import ConversationState, OrganiserDraft
from storage.models.delivery import Announcement, OutboxMessage
from storage.models.events import (
    Event,
    EventFigure,
    EventFollowUp,
    EventReminder,
    EventSubscription,
    Rsvp,
)
from storage.models.intake import InboundUpdate
from storage.models.members import Member
from storage.models.privacy import MemberMessage
from storage.models.proposals import Proposal, ProposalEvent
from storage.models.search import SavedSearch
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
    "InboundUpdate",
    "Innovation",
    "Lab",
    "Member",
    "MemberMessage",
    "OrganiserDraft",
    "OutboxMessage",
    "Proposal",
    "ProposalEvent",
    "QuickPoll",
    "QuickPollVote",
    "Rsvp",
    "SavedSearch",
    "SeedRecord",
    "Survey",
    "SurveyAnswer",
    "SurveyPoll",
    "SurveyQuestion",
    "SurveyResponse",
    "UtcDateTime",
    "utcnow",
]
