"""The catalogue: labs, innovations, FAQ entries, and the record of seeded items."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UtcDateTime, utcnow


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


class FaqEntry(Base):
    """A question members ask (« c'est quoi une SCOP ? ») and its answer.

    ``phrasings`` holds other ways to ask it, one per line (they are searched, never shown).
    ``shows`` lets an entry answer with live data: ``next-event`` (instead of a text), or
    ``event-figures:<event slug>`` / ``event-follow-ups:<event slug>`` (that card, or under the
    answer when there is one).
    """

    __tablename__ = "faq_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    question: Mapped[str] = mapped_column(String(300))
    phrasings: Mapped[str] = mapped_column(Text, default="")
    answer: Mapped[str] = mapped_column(Text, default="")
    shows: Mapped[str] = mapped_column(String(100), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class SeedRecord(Base):
    """One row per seeded item ever imported, so a restart never re-creates or overwrites it."""

    __tablename__ = "seed_records"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
