"""Messages the bot sent to others (moderators, organisers) that show a member's data.

Telegram keeps what the bot sent: after ``/oublier`` those messages are edited to « (données
effacées) ». The erasure turns the member's rows into rows "to scrub" (``member_id`` cleared,
``scrub`` set) in its transaction; the Telegram side edits them right after, and again at
start-up for any a crash left (``bot.jobs``), then deletes the rows.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UtcDateTime, utcnow


class MemberMessage(Base):
    __tablename__ = "member_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # No foreign key: the row outlives the member's erasure until the message is scrubbed.
    member_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True, index=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(Integer)
    # "card" (a moderation card), "photo" (its photo), "answer" (the member's answer to it).
    kind: Mapped[str] = mapped_column(String(16))
    submission_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    scrub: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
