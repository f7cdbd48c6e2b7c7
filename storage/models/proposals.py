"""Proposals sent from the guided dialogue, from draft to decision, and their audit trail.

A proposal lives in ``submissions`` from its first answer (status ``draft``) through moderation
(``pending``) to the decision (``published`` or ``refused``). Only a published proposal becomes a
row of ``innovations`` (status ``approved``), so nothing unchecked can ever reach search or
the catalogue; the contact and photo stay here, with the member who may erase them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UtcDateTime, utcnow


class Proposal(Base):
    __tablename__ = "submissions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("members.telegram_id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    # The dialogue step the member is at; the database, not memory, decides what comes next.
    step: Mapped[str] = mapped_column(String(32), default="name")
    # True while a field is being changed from the summary: answering goes back to the summary.
    editing: Mapped[bool] = mapped_column(Boolean, default=False)
    language: Mapped[str] = mapped_column(String(8), default="fr")
    name: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    theme: Mapped[str] = mapped_column(String(100), default="")
    place_query: Mapped[str] = mapped_column(String(200), default="")
    commune: Mapped[str] = mapped_column(String(100), default="")
    departement: Mapped[str] = mapped_column(String(3), default="")
    latitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    longitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    organisation: Mapped[str] = mapped_column(String(200), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    contact: Mapped[str] = mapped_column(String(200), default="")
    contact_public: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    photo_file_id: Mapped[str] = mapped_column(String(256), default="")
    innovation_id: Mapped[int | None] = mapped_column(
        ForeignKey("innovations.id", ondelete="SET NULL"), nullable=True
    )
    # The moderators' card, edited when the proposal is decided or answered.
    card_chat_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    card_message_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # A moderator typing a refusal reason or a question ("reason" / "question").
    prompt_by: Mapped[int | None] = mapped_column(BigInteger, nullable=True, index=True)
    prompt_kind: Mapped[str] = mapped_column(String(16), default="")
    # The moderators' open question, and whether the member is typing their answer.
    question: Mapped[str] = mapped_column(Text, default="")
    answering: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class ProposalEvent(Base):
    """One line of the audit trail: who did what to a proposal, when and why."""

    __tablename__ = "submission_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    # submitted, published, refused, asked, answered
    action: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
