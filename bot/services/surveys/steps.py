"""What a member sees next in a survey: the outcome, the question, and the rules behind it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.services.surveys.templates import POLL_KINDS
from storage.models import Survey, SurveyQuestion, SurveyResponse
from storage.repositories.surveys import SurveyRepository

SKIP_WORDS = frozenset({"passer", "skip", "/passer", "/skip"})


class Outcome(StrEnum):
    ASK = "ask"  # send ``question``
    DONE = "done"  # the member just finished
    ALREADY_DONE = "already_done"
    NOT_OPEN = "not_open"  # draft, or scheduled for later
    CLOSED = "closed"
    NOT_INVITED = "not_invited"
    UNKNOWN = "unknown"
    USE_POLL = "use_poll"  # text typed while a poll question is waiting
    NOTHING = "nothing"  # no survey in progress


@dataclass(frozen=True)
class Question:
    id: int
    number: int  # 1-based, for « Question 3/8 »
    total: int
    kind: str
    prompt: str
    options: tuple[str, ...]

    @property
    def is_poll(self) -> bool:
        return self.kind in POLL_KINDS


@dataclass(frozen=True)
class Step:
    """What the member is shown next."""

    outcome: Outcome
    survey_id: int = 0
    title: str = ""
    question: Question | None = None
    first: bool = False  # show the introduction before the first question
    intro: str = ""
    identified: bool = False


def is_skip(text: str) -> bool:
    """« passer » (or « skip »), however it is typed."""
    return text.strip().casefold().rstrip(" .!") in SKIP_WORDS


def is_open(survey: Survey, now: datetime) -> bool:
    """Open: opened by hand, or scheduled and its time has come."""
    if survey.status == "open":
        return True
    scheduled = survey.status == "scheduled" and survey.scheduled_for is not None
    return scheduled and survey.scheduled_for <= now  # type: ignore[operator]


def refusal_of(survey: Survey, response: SurveyResponse | None, now: datetime) -> Outcome | None:
    """Why the member may not answer now, or None if they may."""
    if response is not None and response.completed_at is not None:
        return Outcome.ALREADY_DONE
    if survey.status == "closed":
        return Outcome.CLOSED
    if not is_open(survey, now):
        return Outcome.NOT_OPEN
    if response is None and not survey.open_to_all:
        return Outcome.NOT_INVITED
    return None


def current_question(
    questions: list[SurveyQuestion], response: SurveyResponse
) -> SurveyQuestion | None:
    """The question the member is at, or None once every question is answered."""
    if response.next_position < len(questions):
        return questions[response.next_position]
    return None


async def next_step(
    repo: SurveyRepository,
    survey: Survey,
    response: SurveyResponse,
    now: datetime,
    *,
    questions: list[SurveyQuestion] | None = None,
    first: bool = False,
    again: bool = False,
) -> Step:
    """What the member is shown next: the current question, or the end of the survey."""
    questions = questions if questions is not None else await repo.questions(survey.id)
    current = current_question(questions, response)
    if current is None:
        response.completed_at = response.completed_at or now
        return step_of(Outcome.DONE, survey)
    question = Question(
        id=current.id,
        number=response.next_position + 1,
        total=len(questions),
        kind=current.kind,
        prompt=current.prompt,
        options=current.option_labels,
    )
    return step_of(Outcome.USE_POLL if again else Outcome.ASK, survey, question, first=first)


def step_of(
    outcome: Outcome, survey: Survey, question: Question | None = None, *, first: bool = False
) -> Step:
    """A step of ``survey`` with ``outcome`` (and the question to ask, if any)."""
    return Step(
        outcome=outcome,
        survey_id=survey.id,
        title=survey.title,
        question=question,
        first=first,
        intro=survey.intro,
        identified=survey.identified,
    )
