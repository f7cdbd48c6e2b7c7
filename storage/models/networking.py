"""Networking: opt-in member profiles, double opt-in introductions, blocks and reports.

A profile is private until ``visible`` is on; ``hidden`` names the fields its owner keeps out of
every view (space-separated field names, see bot/services/networking/fields.py). Relayed messages
are never stored: ``networking_relays`` keeps who wrote to whom and when, for moderators.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UtcDateTime, utcnow


class Profile(Base):
    """One member's profile, as they wrote it (all fields; hidden ones included)."""

    __tablename__ = "networking_profiles"

    member_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(100), default="")
    structure: Mapped[str] = mapped_column(String(150), default="")
    # The structure folded for comparison (« SCOP Les Champs » = « scop les champs »).
    structure_key: Mapped[str] = mapped_column(String(150), default="", index=True)
    commune: Mapped[str] = mapped_column(String(100), default="")
    departement: Mapped[str] = mapped_column(String(3), default="", index=True)
    offer: Mapped[str] = mapped_column(String(200), default="")
    seek: Mapped[str] = mapped_column(String(200), default="")
    languages: Mapped[str] = mapped_column(String(16), default="")  # "fr br en", any order
    contact: Mapped[str] = mapped_column(String(16), default="relay")  # username|relay|closed
    visible: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    hidden: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class ProfileLab(Base):
    """A lab of the catalogue the member works on."""

    __tablename__ = "networking_profile_labs"

    member_id: Mapped[int] = mapped_column(
        BigInteger,
        ForeignKey("networking_profiles.member_id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    )
    lab_id: Mapped[int] = mapped_column(
        ForeignKey("labs.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class ProfileTheme(Base):
    """A theme of the catalogue (innovations' themes) the member works on."""

    __tablename__ = "networking_profile_themes"

    member_id: Mapped[int] = mapped_column(
        BigInteger,
        ForeignKey("networking_profiles.member_id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    )
    theme: Mapped[str] = mapped_column(String(100), primary_key=True)


class Introduction(Base):
    """A request « mets-nous en relation » from requester to target, and what became of it.

    state: pending → accepted | declined | expired | cancelled (a block cancels). ``shared`` is
    set once one of them shared a contact through the bot: the relay then closes.
    """

    __tablename__ = "networking_introductions"
    __table_args__ = (
        Index("ix_networking_introductions_requester_state", "requester_id", "state"),
        Index("ix_networking_introductions_target_state", "target_id", "state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    requester_id: Mapped[int] = mapped_column(BigInteger)
    target_id: Mapped[int] = mapped_column(BigInteger)
    note: Mapped[str] = mapped_column(String(200), default="")
    state: Mapped[str] = mapped_column(String(16), default="pending")
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class Block(Base):
    """``blocker_id`` never hears of ``blocked_id`` again, nor the reverse (both ways)."""

    __tablename__ = "networking_blocks"

    blocker_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    blocked_id: Mapped[int] = mapped_column(
        BigInteger, primary_key=True, autoincrement=False, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Report(Base):
    """A member reported another one to the moderators."""

    __tablename__ = "networking_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reporter_id: Mapped[int] = mapped_column(BigInteger, index=True)
    reported_id: Mapped[int] = mapped_column(BigInteger, index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Relay(Base):
    """One message relayed by the bot: who wrote to whom, when; never what."""

    __tablename__ = "networking_relays"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    introduction_id: Mapped[int] = mapped_column(
        ForeignKey("networking_introductions.id", ondelete="CASCADE"), index=True
    )
    sender_id: Mapped[int] = mapped_column(BigInteger)
    recipient_id: Mapped[int] = mapped_column(BigInteger)
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
