"""All models, imported here so ``Base.metadata`` knows every table (Alembic reads it)."""

from storage.models.base import Base, UtcDateTime, utcnow
from storage.models.catalogue import FaqEntry, Innovation, Lab, SeedRecord
from storage.models.conversations import ConversationState, OrganiserDraft
from storage.models.delivery import Announcement, OutboxMessage
from storage.models.events import (
    Event,
    EventCalendarFeed,
    EventFigure,
    EventFollowUp,
    EventReminder,
    EventSubscription,
    Rsvp,
)
from storage.models.intake import InboundUpdate
from storage.models.leadership import LeaderLease
from storage.models.members import Member
from storage.models.networking import (
    Block,
    Introduction,
    Profile,
    ProfileLab,
    ProfileTheme,
    Relay,
    Report,
)
from storage.models.networking_rounds import Pause, Round, RoundMember
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
    "Block",
    "ConversationState",
    "Event",
    "EventCalendarFeed",
    "EventFigure",
    "EventFollowUp",
    "EventReminder",
    "EventSubscription",
    "FaqEntry",
    "InboundUpdate",
    "Innovation",
    "Introduction",
    "Lab",
    "LeaderLease",
    "Member",
    "MemberMessage",
    "OrganiserDraft",
    "OutboxMessage",
    "Pause",
    "Profile",
    "ProfileLab",
    "ProfileTheme",
    "Proposal",
    "ProposalEvent",
    "QuickPoll",
    "QuickPollVote",
    "Relay",
    "Report",
    "Round",
    "RoundMember",
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
