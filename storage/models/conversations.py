"""Where each member stands in each guided dialogue, so a restart never loses their place, and
what an organiser has typed so far (event and announcement drafts)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UtcDateTime, utcnow


class ConversationState(Base):
    __tablename__ = "conversation_states"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    # JSON list of the conversation key parts (chat id, user id, ...).
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    # JSON of the state; states are strings (StrEnum values) or null when the dialogue ended.
    state: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class OrganiserDraft(Base):
    """An event or announcement an organiser is composing, saved at each answer."""

    __tablename__ = "meeting_drafts"

    member_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)  # "event" | "announce"
    data: Mapped[str] = mapped_column(Text, default="{}")
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
