"""The catalogue: events, their published figures and follow-ups, labs and innovations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Float, ForeignKey, Integer, String, Text
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
    # Meetings (migration 0004_meetings): RSVP capacity, yearly repeat, reminders, cancellation.
    theme: Mapped[str] = mapped_column(String(100), default="", server_default="")
    capacity: Mapped[int | None] = mapped_column(Integer, nullable=True)
    repeats_yearly: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # Minutes before the start, comma-separated ("10080,1440,120"); empty = the global default.
    reminder_offsets: Mapped[str] = mapped_column(String(64), default="", server_default="")
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    schedule_rev: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
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


class EventFollowUp(Base):
    """A proposal or next step that came out of an event."""

    __tablename__ = "event_follow_ups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32), default="proposal")
    text: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Lab(Base):
    """A « laboratoire d'innovation sociale » held during an event."""

    __tablename__ = "labs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    outcome: Mapped[str] = mapped_column(Text, default="")
    theme: Mapped[str] = mapped_column(String(100), default="", index=True)
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="SET NULL"), nullable=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class Innovation(Base):
    """A Breton social innovation; only ``approved`` ones are public."""

    __tablename__ = "innovations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    theme: Mapped[str] = mapped_column(String(100), default="", index=True)
    commune: Mapped[str] = mapped_column(String(100), default="")
    departement: Mapped[str] = mapped_column(String(3), default="", index=True)
    latitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    longitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    organisation: Mapped[str] = mapped_column(String(200), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(16), default="approved", index=True)
    lab_id: Mapped[int | None] = mapped_column(
        ForeignKey("labs.id", ondelete="SET NULL"), nullable=True, index=True
    )
    submitted_by: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("members.telegram_id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class SeedRecord(Base):
    """One row per seeded item ever imported, so a restart never re-creates or overwrites it."""

    __tablename__ = "seed_records"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
