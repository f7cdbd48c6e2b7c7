"""Intake: the journal of updates received from Telegram, written before Telegram is told.

A row holds an update until it is handled; once done, only its ``update_id`` (to recognise a
second delivery) and its times remain, until it is pruned.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UtcDateTime, utcnow


class InboundUpdate(Base):
    """One update from Telegram, keyed by Telegram's ``update_id``."""

    __tablename__ = "inbound_updates"
    __table_args__ = (Index("ix_inbound_updates_pending", "done_at", "received_at"),)

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    # Who and where, while the update waits (erasure, ordering); cleared once done.
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    member_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    # The update as Telegram sent it (JSON); cleared once done.
    payload: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # ha mode: set (committed) before the first Bot API request its handling makes. Found set
    # on an update not done, at a leader's start: it may have been answered, so it is in doubt.
    answering_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Starts that found it not done: an update that kills the process every time is given up.
    attempts: Mapped[int] = mapped_column(Integer, default=0)
