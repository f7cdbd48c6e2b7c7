"""Surveys after a gathering: questions, responses and answers, sent polls, quick polls."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UtcDateTime, utcnow


class Survey(Base):
    """A questionnaire attached to an event.

    status: draft -> scheduled (sent at ``scheduled_for`` to those who came) -> open -> closed.
    ``open_to_all`` means anyone with the deep link may answer (not only the invited).
    """

    __tablename__ = "surveys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="SET NULL"), nullable=True, index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    intro: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    open_to_all: Mapped[bool] = mapped_column(Boolean, default=False)
    # The survey told members their name goes with their answers (named exports allowed).
    identified: Mapped[bool] = mapped_column(Boolean, default=False)
    public_results: Mapped[bool] = mapped_column(Boolean, default=False)
    scheduled_for: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    dispatched_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    invited_count: Mapped[int] = mapped_column(Integer, default=0)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    created_by: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class SurveyQuestion(Base):
    """One question; ``key`` is stable across editions so results can be compared."""

    __tablename__ = "survey_questions"
    __table_args__ = (UniqueConstraint("survey_id", "position", name="uq_survey_questions_pos"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(64))
    # satisfaction | single | multiple | score | text
    kind: Mapped[str] = mapped_column(String(16))
    prompt: Mapped[str] = mapped_column(String(300))
    # A short name for charts and exports (« Plénière d'ouverture »).
    label: Mapped[str] = mapped_column(String(100), default="")
    # Option labels separated by newlines (labels are at most 100 characters, no newline).
    options: Mapped[str] = mapped_column(Text, default="")

    @property
    def option_labels(self) -> tuple[str, ...]:
        """The question's choices in order (none for a text question)."""
        return tuple(self.options.split("\n")) if self.options else ()


class SurveyResponse(Base):
    """One member's response to a survey; ``next_position`` is the question to ask next."""

    __tablename__ = "survey_responses"
    __table_args__ = (
        UniqueConstraint("survey_id", "member_id", name="uq_survey_responses_member"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(BigInteger)
    invited: Mapped[bool] = mapped_column(Boolean, default=False)
    next_position: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class SurveyAnswer(Base):
    """An answer: chosen option indexes ("0,2"), a score, a text, or a skip (« passer »)."""

    __tablename__ = "survey_answers"
    __table_args__ = (
        UniqueConstraint("response_id", "question_id", name="uq_survey_answers_question"),
        # Covers the tallies: GROUP BY question_id, skipped, choices reads the index only.
        Index("ix_survey_answers_question_choice", "question_id", "skipped", "choices"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("survey_responses.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("survey_questions.id", ondelete="CASCADE"))
    choices: Mapped[str] = mapped_column(String(64), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    skipped: Mapped[bool] = mapped_column(Boolean, default=False)
    answered_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class SurveyPoll(Base):
    """A native poll sent for one question to one member: poll_answer updates find it here."""

    __tablename__ = "survey_polls"

    poll_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("survey_responses.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(ForeignKey("survey_questions.id", ondelete="CASCADE"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(BigInteger)
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class QuickPoll(Base):
    """A single native poll posted by an organiser in a group, with a closing time."""

    __tablename__ = "quick_polls"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    poll_id: Mapped[str] = mapped_column(String(64), unique=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(BigInteger)
    question: Mapped[str] = mapped_column(String(300))
    options: Mapped[str] = mapped_column(Text)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=True)
    closes_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    # Final counts from stopPoll, newline-separated, in option order (anonymous polls send
    # no poll_answer, so this is where their results come from).
    final_counts: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class QuickPollVote(Base):
    """A vote on a non-anonymous quick poll, as poll_answer reported it."""

    __tablename__ = "quick_poll_votes"

    quick_poll_id: Mapped[int] = mapped_column(
        ForeignKey("quick_polls.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    choices: Mapped[str] = mapped_column(String(64))
