"""Where each member stands in each guided dialogue, so a restart never loses their place."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
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
