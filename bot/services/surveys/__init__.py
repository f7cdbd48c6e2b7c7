"""All survey services in one bundle, as handlers find them in ``Deps.surveys``."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.services.surveys.answering import SurveyService
from bot.services.surveys.exports import SurveyExportService
from bot.services.surveys.planning import Planner, SurveyPlanningService
from bot.services.surveys.quick_polls import QuickPollService
from bot.services.surveys.results import SurveyResultsService
from storage.db import Sessions


@dataclass(frozen=True)
class SurveyServices:
    answering: SurveyService
    planning: SurveyPlanningService
    results: SurveyResultsService
    exports: SurveyExportService
    quick_polls: QuickPollService


def build_surveys(sessions: Sessions, planner: Planner | None, tz: ZoneInfo) -> SurveyServices:
    """The survey services on one database, sending invitations through ``planner``."""
    results = SurveyResultsService(sessions)
    return SurveyServices(
        answering=SurveyService(sessions),
        planning=SurveyPlanningService(sessions, planner, tz),
        results=results,
        exports=SurveyExportService(sessions, results),
        quick_polls=QuickPollService(sessions),
    )
