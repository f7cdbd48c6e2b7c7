"""Organisers create a survey, attach it to an event, send it to those who came, close it.

Decisions:
- « Those who came » are the members whose RSVP to the event is "yes" (the bot has no
  check-in at the door). The list is taken when the organiser schedules; scheduling again
  refreshes it and may move the time: invitations not sent yet move, new attendees are added,
  and nobody is invited twice (an invitation already sent is never planned again).
- The invitations are planned in the outbox at the scheduled time, so the delivery engine sends
  them at Telegram's pace and a restart loses nothing; the survey opens at that time too.
- Default time: 9:00 Europe/Paris the day after the event ends (or starts, without an end).
- A time already past is refused (SurveyInPast, with the time): invitations planned in the
  past would leave at once, to those who came to an event long over (the 2013 survey was
  « programmé le 25/10/2013 »). « maintenant » sends them at once; opening the survey to all
  stays possible.
- The event of a new survey is found by its slug, its number or its title (accents and case
  folded; an exact title first, else the only title that contains the words).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from bot.services.surveys.templates import SurveySpec
from storage.db import Sessions
from storage.folding import fold
from storage.models import Event, Survey, SurveyQuestion, SurveyResponse, utcnow
from storage.repositories.surveys import SurveyRepository
from storage.repositories.surveys_attendees import AttendeeRepository

SEND_AT = time(9, 0)
NOW_GRACE = timedelta(minutes=1)  # « maintenant » typed a moment ago is not « in the past »
# (chosen language, Telegram language, event title) -> the invitation payload for the outbox.
Invitation = Callable[[str, str, str], dict[str, Any]]


class Planner(Protocol):
    """The part of the delivery engine (DeliveryService) surveys use."""

    async def plan(
        self, purpose: str, chat_ids: Iterable[int], payload: dict[str, Any], due_at: datetime
    ) -> int: ...

    async def cancel_pending(self, purpose_prefix: str) -> int: ...


class SurveyNotFound(Exception):
    pass


class SurveyClosed(Exception):
    """A closed survey is not sent again (reopen it to everyone with the link instead)."""


class NoEvent(Exception):
    """Scheduling needs an event: it says when, and who came."""


class SurveyInPast(Exception):
    """The invitations' time is already past (``when``; ``default``: the morning after)."""

    def __init__(self, when: datetime, *, default: bool) -> None:
        super().__init__(when.isoformat())
        self.when = when
        self.default = default


@dataclass(frozen=True)
class SurveyInfo:
    id: int
    title: str
    status: str
    event_title: str
    questions: int
    scheduled_for: datetime | None = None
    invited: int = 0
    open_to_all: bool = False


def purpose(survey_id: int, when: datetime | None = None) -> str:
    """Outbox purpose of the invitations: one per planned time, so a moved send is new rows.

    Without ``when``: the prefix of all the survey's invitations.
    """
    prefix = f"survey:{survey_id}:"
    return prefix if when is None else f"{prefix}{int(when.timestamp())}"


def default_send_time(event_end: datetime, tz: ZoneInfo) -> datetime:
    """9:00 local time the morning after ``event_end``, in UTC."""
    day = event_end.astimezone(tz).date() + timedelta(days=1)
    return datetime.combine(day, SEND_AT, tzinfo=tz).astimezone(ZoneInfo("UTC"))


class SurveyPlanningService:
    """The organiser's side of surveys (every method is behind an organiser-only handler)."""

    def __init__(self, sessions: Sessions, planner: Planner | None, tz: ZoneInfo) -> None:
        self._sessions = sessions
        self._planner = planner
        self._tz = tz

    async def create(self, spec: SurveySpec, event_slug: str, created_by: int) -> SurveyInfo:
        """A draft survey from a template or a file, attached to the event ``event_slug``."""
        async with self._sessions.begin() as session:
            repo = SurveyRepository(session)
            event = await _find_event(repo, event_slug) if event_slug else None
            if event_slug and event is None:
                raise NoEvent(event_slug)
            survey = Survey(
                event_id=event.id if event else None,
                title=spec.title,
                intro=spec.intro,
                identified=spec.identified,
                created_by=created_by,
                status="draft",
            )
            questions = [
                SurveyQuestion(
                    position=n,
                    key=q.key,
                    kind=q.kind,
                    prompt=q.prompt,
                    label=q.label,
                    options="\n".join(q.options),
                )
                for n, q in enumerate(spec.questions)
            ]
            await repo.add(survey, questions)
            return _info(survey, event.title if event else "", len(questions))

    async def latest(self) -> list[SurveyInfo]:
        """The newest surveys, for the organisers' list."""
        async with self._sessions() as session:
            repo = SurveyRepository(session)
            infos = []
            for survey in await repo.latest():
                event = await repo.event(survey.event_id)
                count = len(await repo.questions(survey.id))
                infos.append(_info(survey, event.title if event else "", count))
            return infos

    async def schedule(
        self,
        survey_id: int,
        invitation: Invitation,
        when: datetime | None = None,
        now: datetime | None = None,
    ) -> SurveyInfo:
        """Invite those who came, at ``when`` (default: the morning after the event); a time
        already past is refused (SurveyInPast)."""
        if self._planner is None:
            raise RuntimeError("no delivery engine configured")
        async with self._sessions.begin() as session:
            repo, attendees = SurveyRepository(session), AttendeeRepository(session)
            survey = await repo.schedulable(survey_id)
            if survey is None and await repo.get(survey_id) is None:
                raise SurveyNotFound(survey_id)
            if survey is None:
                raise SurveyClosed(survey_id)
            event = await repo.event(survey.event_id)
            if event is None:
                raise NoEvent(survey_id)
            chosen = when or default_send_time(event.ends_at or event.starts_at, self._tz)
            if chosen < (now or utcnow()) - NOW_GRACE:
                raise SurveyInPast(chosen, default=when is None)
            when = chosen
            came = await attendees.came(event.id)
            known = await repo.invited_ids(survey_id)
            for member_id in came:
                response = await repo.response(survey_id, member_id)
                if response is None:
                    response = await repo.add_response(
                        SurveyResponse(survey_id=survey_id, member_id=member_id)
                    )
                response.invited = True
            survey.invited_count = len(known | set(came))
            survey.scheduled_for = when
            languages = await attendees.languages(came)
            count = len(await repo.questions(survey_id))
            info = _info(survey, event.title, count)
        # Moving the time: invitations not sent yet are cancelled and planned again; those
        # already sent (or refused by Telegram) are not sent twice.
        await self._planner.cancel_pending(purpose(survey_id))
        async with self._sessions() as session:
            reached = await AttendeeRepository(session).invitation_left(purpose(survey_id))
        groups = _by_payload(
            [member_id for member_id in came if member_id not in reached],
            languages,
            lambda chosen, telegram: invitation(chosen, telegram, info.event_title),
        )
        for payload, chat_ids in groups.items():
            await self._planner.plan(purpose(survey_id, when), chat_ids, json.loads(payload), when)
        # Closed meanwhile (another organiser, another process)? Its invitations do not leave:
        # close marks the survey before cancelling, so one of the two cancels comes last.
        async with self._sessions() as session:
            latest = await SurveyRepository(session).get(survey_id)
        if latest is None or latest.status == "closed":
            await self._planner.cancel_pending(purpose(survey_id))
            raise SurveyClosed(survey_id)
        return info

    async def open_to_all(self, survey_id: int) -> SurveyInfo:
        """Anyone with the link (or the QR code printed on the day) may answer, from now."""
        return await self._update(survey_id, status="open", open_to_all=True)

    async def close(self, survey_id: int, *, public: bool = False) -> SurveyInfo:
        """No more answers; results may then be shown to everyone if ``public``.

        Closed by one conditional update (closing twice keeps the first time), then the
        invitations not sent yet are cancelled: a schedule racing with it sees the survey
        closed after planning, or planned before this cancel."""
        async with self._sessions.begin() as session:
            repo = SurveyRepository(session)
            await repo.close(survey_id, utcnow(), public)
            survey = await repo.fresh(survey_id)
            if survey is None:
                raise SurveyNotFound(survey_id)
            event = await repo.event(survey.event_id)
            count = len(await repo.questions(survey_id))
            info = _info(survey, event.title if event else "", count)
        if self._planner is not None:
            await self._planner.cancel_pending(purpose(survey_id))
        return info

    async def _update(self, survey_id: int, **values: Any) -> SurveyInfo:
        async with self._sessions.begin() as session:
            repo = SurveyRepository(session)
            survey = await repo.get_for_update(survey_id)
            if survey is None:
                raise SurveyNotFound(survey_id)
            for name, value in values.items():
                setattr(survey, name, value)
            event = await repo.event(survey.event_id)
            count = len(await repo.questions(survey_id))
            return _info(survey, event.title if event else "", count)


async def _find_event(repo: SurveyRepository, reference: str) -> Event | None:
    """The event named by its slug, its number or its title (None when none or ambiguous)."""
    event = await repo.event_by_slug(reference)
    if event is not None:
        return event
    number = reference.strip().lstrip("#").removeprefix("n°").strip()
    if number.isdigit() and len(number) <= 12:
        return await repo.event(int(number))
    wanted = fold(reference).strip()
    if not wanted:
        return None
    events = await repo.events_newest_first()
    exact = [event for event in events if fold(event.title).strip() == wanted]
    if exact:
        return exact[0]
    containing = [event for event in events if wanted in fold(event.title)]
    return containing[0] if len(containing) == 1 else None


def _by_payload(
    chat_ids: list[int],
    languages: dict[int, tuple[str, str]],
    invitation: Callable[[str, str], dict[str, Any]],
) -> dict[str, list[int]]:
    """Recipients grouped by the invitation they get (one per language)."""
    groups: dict[str, list[int]] = {}
    rendered: dict[tuple[str, str], str] = {}
    for chat_id in chat_ids:
        language = languages.get(chat_id, ("", ""))
        if language not in rendered:
            rendered[language] = json.dumps(invitation(*language), sort_keys=True)
        groups.setdefault(rendered[language], []).append(chat_id)
    return groups


def _info(survey: Survey, event_title: str, questions: int) -> SurveyInfo:
    return SurveyInfo(
        id=survey.id,
        title=survey.title,
        status=survey.status,
        event_title=event_title,
        questions=questions,
        scheduled_for=survey.scheduled_for,
        invited=survey.invited_count,
        open_to_all=survey.open_to_all,
    )
