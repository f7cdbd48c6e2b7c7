"""Results of a survey as the 2013 report gave them: counts, percentages, comparison.

Decisions:
- Percentages are over the members who answered the question (skips and silences excluded),
  rounded half up to the nearest whole number: 42 of 47 gives 89.36, shown as 89 %.
- « X % de satisfaits, dont Y % tout à fait »: X counts the first two steps of the scale, Y the
  first step alone; both are shares of the same base, so Y ≤ X (as in « 100 %, dont 62 % »).
- A respondent gave at least one answer; the response rate is over the members invited
  (those who came), and is not given for a survey open to everyone.
- The previous edition is the newest survey of an earlier event; questions are matched by key
  and compared on the satisfied share, in points (« +6 points »).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

from bot.formatting import percent
from bot.services.surveys.templates import POLL_KINDS
from storage.db import Sessions
from storage.models import Survey, SurveyQuestion
from storage.repositories.surveys import SurveyRepository
from storage.repositories.surveys_tallies import SurveyTallyRepository


@dataclass(frozen=True)
class QuestionResult:
    key: str
    kind: str
    prompt: str
    label: str
    options: tuple[str, ...]
    counts: tuple[int, ...]
    answered: int
    skipped: int
    comments: tuple[str, ...] = ()
    previous_satisfied: int | None = None

    @property
    def percents(self) -> tuple[int, ...]:
        return tuple(percent(count, self.answered) for count in self.counts)

    @property
    def satisfied(self) -> int | None:
        """Share of « tout à fait » + « plutôt » satisfied (satisfaction questions only)."""
        if self.kind != "satisfaction" or not self.answered:
            return None
        return percent(self.counts[0] + self.counts[1], self.answered)

    @property
    def fully(self) -> int | None:
        if self.kind != "satisfaction" or not self.answered:
            return None
        return percent(self.counts[0], self.answered)

    @property
    def delta(self) -> int | None:
        """Points gained since the previous edition (satisfaction questions)."""
        if self.satisfied is None or self.previous_satisfied is None:
            return None
        return self.satisfied - self.previous_satisfied

    @property
    def mean(self) -> float | None:
        """Average of a 0-10 score."""
        if self.kind != "score" or not self.answered:
            return None
        return sum(n * c for n, c in enumerate(self.counts)) / self.answered

    @property
    def top(self) -> int | None:
        """Index of the most chosen option (the first one on a tie)."""
        if not self.answered:
            return None
        return max(range(len(self.counts)), key=lambda i: (self.counts[i], -i))


@dataclass(frozen=True)
class SurveyResults:
    survey_id: int
    title: str
    event_title: str
    status: str
    open_to_all: bool
    invited: int
    respondents: int
    completed: int
    questions: tuple[QuestionResult, ...]
    previous_title: str = ""
    public: bool = False  # closed with public results: any member may read them

    @property
    def response_rate(self) -> int | None:
        if self.open_to_all or not self.invited:
            return None
        return percent(self.respondents, self.invited)

    @property
    def satisfaction(self) -> tuple[QuestionResult, ...]:
        return tuple(q for q in self.questions if q.kind == "satisfaction" and q.answered)


def tally(
    questions: list[SurveyQuestion],
    grouped: list[tuple[int, bool, str, int]],
    texts: list[tuple[int, str]],
) -> list[QuestionResult]:
    """Per-question results from the grouped counts (multiple choices "0,2" count for both)."""
    counts: dict[int, list[int]] = {}
    answered: dict[int, int] = defaultdict(int)
    skips: dict[int, int] = defaultdict(int)
    for question in questions:
        counts[question.id] = [0] * len(question.option_labels)
    for question_id, skipped, choices, n in grouped:
        row = counts.get(question_id)
        if skipped:
            skips[question_id] += n
        if row is None or skipped or not choices:
            continue
        answered[question_id] += n
        for index in choices.split(","):
            if index.isdigit() and int(index) < len(row):
                row[int(index)] += n
    comments: dict[int, list[str]] = defaultdict(list)
    for question_id, text in texts:
        comments[question_id].append(text)
    results = []
    for question in questions:
        given = (
            answered[question.id] if question.kind in POLL_KINDS else len(comments[question.id])
        )
        results.append(
            QuestionResult(
                key=question.key,
                kind=question.kind,
                prompt=question.prompt,
                label=question.label,
                options=question.option_labels,
                counts=tuple(counts[question.id]),
                answered=given,
                skipped=skips.get(question.id, 0),
                comments=tuple(comments[question.id]),
            )
        )
    return results


class SurveyResultsService:
    """Counts a survey's answers into results an organiser reads at a glance."""

    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    async def results(self, survey_id: int) -> SurveyResults | None:
        """The survey's results, compared with the previous edition; None if unknown."""
        async with self._sessions() as session:
            surveys, tallies = SurveyRepository(session), SurveyTallyRepository(session)
            survey = await surveys.get(survey_id)
            if survey is None:
                return None
            questions = await surveys.questions(survey_id)
            results = tally(
                questions,
                await tallies.counts([q.id for q in questions]),
                await tallies.texts([q.id for q in questions if q.kind == "text"]),
            )
            previous = await surveys.previous_edition(survey)
            previous_title = ""
            if previous is not None:
                results = await _compare(surveys, tallies, previous, results)
                previous_title = previous.title
            event = await surveys.event(survey.event_id)
            return SurveyResults(
                survey_id=survey.id,
                title=survey.title,
                event_title=event.title if event else "",
                status=survey.status,
                open_to_all=survey.open_to_all,
                invited=survey.invited_count,
                respondents=await tallies.respondents(survey_id),
                completed=await tallies.completed(survey_id),
                questions=tuple(results),
                previous_title=previous_title,
                public=survey.status == "closed" and survey.public_results,
            )


async def _compare(
    surveys: SurveyRepository,
    tallies: SurveyTallyRepository,
    previous: Survey,
    now: list[QuestionResult],
) -> list[QuestionResult]:
    questions = await surveys.questions(previous.id)
    before = tally(questions, await tallies.counts([q.id for q in questions]), [])
    satisfied = {q.key: q.satisfied for q in before if q.satisfied is not None}
    return [
        replace(q, previous_satisfied=satisfied.get(q.key)) if q.kind == "satisfaction" else q
        for q in now
    ]
