"""Leadership (ha mode): the lease row that names the one instance serving Telegram.

The leader renews ``expires_at`` every few seconds with a conditional UPDATE (``WHERE holder =
me AND epoch = mine``); a standby takes the row over only once it has expired, and each take-over
adds one to ``epoch``. Work claimed under an older epoch (outbox sends) is "in doubt" for the new
leader. A plain row and conditional updates, not only an advisory lock: an advisory lock lives
in a server session, which a transaction-pooling proxy (PgBouncer) does not keep.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UtcDateTime, utcnow


class LeaderLease(Base):
    """One row per lease name (the bot uses one, "bot")."""

    __tablename__ = "leader_lease"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    holder: Mapped[str] = mapped_column(String(64), default="")
    epoch: Mapped[int] = mapped_column(Integer, default=0)
    acquired_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    renewed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
