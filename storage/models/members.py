"""Members: everyone who has talked to the bot."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UtcDateTime, utcnow


class Member(Base):
    __tablename__ = "members"

    telegram_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    first_name: Mapped[str] = mapped_column(String(256), default="")
    last_name: Mapped[str] = mapped_column(String(256), default="")
    username: Mapped[str] = mapped_column(String(64), default="")
    # Language chosen with /langue; empty means "follow Telegram's language_code".
    language: Mapped[str] = mapped_column(String(8), default="")
    telegram_language: Mapped[str] = mapped_column(String(16), default="")
    # Space-separated roles granted in the database ("moderator", "organiser"); config admins
    # are admins whatever this says.
    roles: Mapped[str] = mapped_column(String(128), default="")
    opt_in_announcements: Mapped[bool] = mapped_column(Boolean, default=True)
    # False once Telegram answered 403 (the member blocked the bot).
    is_reachable: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
