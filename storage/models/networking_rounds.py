"""Café réseautage rounds: a pool, a date, who joined, the groups made, what came of them.

A round belongs to a pool (everyone, a lab, a territory — a département — or the attendees of an
event). Members join with a button; ``state`` says whether they are in, skip this round or left.
At the round's time the groups are made once (``status`` open → paired by a conditional update)
and ``group_no`` is written for each participant; who met whom in earlier rounds is read back
from these rows. ``met`` and ``useful`` are the follow-up answers.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UtcDateTime, utcnow


class Round(Base):
    __tablename__ = "networking_rounds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pool: Mapped[str] = mapped_column(String(16), default="all")  # all|lab|territory|event
    pool_ref: Mapped[str] = mapped_column(String(16), default="")  # lab id, département, event id
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime)
    group_size: Mapped[int] = mapped_column(Integer, default=2)
    in_person: Mapped[bool] = mapped_column(Boolean, default=False)
    # open → paired (groups made and sent) → done (follow-ups asked); or cancelled.
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    seed: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    invited_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    reminded_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    paired_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    halfway_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class RoundMember(Base):
    __tablename__ = "networking_round_members"

    round_id: Mapped[int] = mapped_column(
        ForeignKey("networking_rounds.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        BigInteger, primary_key=True, autoincrement=False, index=True
    )
    state: Mapped[str] = mapped_column(String(16), default="joined")  # joined|skipped|left
    joined_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    group_no: Mapped[int | None] = mapped_column(Integer, nullable=True)
    left_out: Mapped[str] = mapped_column(String(16), default="")  # why, when not grouped
    met: Mapped[str] = mapped_column(String(8), default="")  # ""|yes|not_yet|no
    useful: Mapped[bool | None] = mapped_column(Boolean, nullable=True)


class Pause(Base):
    """A member who takes a break from rounds until a date (asked, or after three silences)."""

    __tablename__ = "networking_pauses"

    member_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    until: Mapped[datetime] = mapped_column(UtcDateTime)
    reason: Mapped[str] = mapped_column(String(8), default="asked")  # asked|silent
