"""Events: gatherings with their figures and follow-ups, RSVPs, reminders and subscriptions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UtcDateTime, utcnow


class Event(Base):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    place: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    commune: Mapped[str] = mapped_column(String(100), default="")
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    ends_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    participants: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Migration 0004_events: RSVP capacity, yearly repeat, reminders, cancellation.
    theme: Mapped[str] = mapped_column(String(100), default="", server_default="")
    capacity: Mapped[int | None] = mapped_column(Integer, nullable=True)
    repeats_yearly: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # Minutes before the start, comma-separated ("10080,1440,120"); empty = the global default.
    reminder_offsets: Mapped[str] = mapped_column(String(64), default="", server_default="")
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    schedule_rev: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Migration 0013_rsvp: the last waiting-list ticket given (strict order of arrival).
    queue_seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class EventFigure(Base):
    """A published figure of an event (« 89 % de satisfaits »), as the organisers wrote it."""

    __tablename__ = "event_figures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(200))
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(16), default="%")
    detail: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Migration 0010_answer_figures: « plus de 300 participants » is shown as the source says it.
    more_than: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")


class EventFollowUp(Base):
    """A proposal or next step that came out of an event."""

    __tablename__ = "event_follow_ups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32), default="proposal")
    text: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Rsvp(Base):
    """A member's answer to an event and their reminder toggle.

    ``answer``: "yes" (I come), "maybe", "no", "wait" (on the waiting list, ``ticket`` gives
    the order of arrival), "offer" (a freed place is held for them since ``offered_at``), or ""
    (no answer, only the reminder asked). ``remind`` is the « Me rappeler » toggle.
    """

    __tablename__ = "rsvps"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    answer: Mapped[str] = mapped_column(String(8))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # Migration 0013_rsvp.
    remind: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    ticket: Mapped[int | None] = mapped_column(Integer, nullable=True)
    offered_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class EventReminder(Base):
    """One reminder of an event, ``offset_minutes`` before it; the database schedules it."""

    __tablename__ = "event_reminders"
    __table_args__ = (
        UniqueConstraint("event_id", "offset_minutes", name="uq_event_reminders_event_offset"),
        Index("ix_event_reminders_state_due", "state", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    offset_minutes: Mapped[int] = mapped_column(Integer)
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # pending -> fired (its sends are in the outbox) | missed (found after the grace) | cancelled
    state: Mapped[str] = mapped_column(String(16), default="pending")
    rev: Mapped[int] = mapped_column(Integer, default=0)
    fired_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class EventSubscription(Base):
    """A member follows every new event (theme "") or those of one theme."""

    __tablename__ = "event_subscriptions"

    member_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    theme: Mapped[str] = mapped_column(String(100), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class EventCalendarFeed(Base):
    """A member's private calendar link: ``/calendar/m/<token>.ics`` lists what they come to.

    One per member, made the first time they ask for it; a reset writes a new token, so the
    old link stops at once. Stored as it is (not hashed): the link is shown again each time the
    member asks for it (the same subscription on every phone), and it only opens what the
    rsvps table beside it already holds. Migration 0016_calendar_feeds.
    """

    __tablename__ = "event_calendar_feeds"

    member_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
