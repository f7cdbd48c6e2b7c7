"""CSV and JSON exports of a survey: one row per response, anonymous unless agreed otherwise.

Decisions: rows are numbered 1..n in the order members started, never by Telegram id; the
member's id and name are only added when the organiser asks *and* the survey told members it
was identified (``identified = true``). Choice answers are written as their labels (several
joined with " | "), skips as an empty cell; a response counts, here as in the results, when it
holds at least one answer that is not a skip (``gave_an_answer``).

The CSV is for a French spreadsheet opened by double-click: ``;`` between cells (``,`` is the
decimal separator there), a UTF-8 byte order mark (or the accents come out garbled), the
questions' own texts as headers. The JSON keeps the questions' keys, for tools.
In the CSV, a cell a spreadsheet would read as a formula (starting with ``= + - @``, a tab or a
carriage return: a member's comment « =HYPERLINK(…) ») is prefixed with ``'``, as OWASP
recommends; the JSON keeps the texts as written.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass

from bot.services.surveys.results import SurveyResultsService
from storage.db import Sessions
from storage.models import SurveyQuestion
from storage.repositories.surveys import SurveyRepository

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: str) -> str:
    """``cell`` as a spreadsheet shows it as text, never runs it (OWASP « CSV injection »)."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


class NamedExportRefused(Exception):
    """The survey did not tell members their answers would carry their name."""


@dataclass(frozen=True)
class Export:
    filename: str
    content: bytes
    rows: int


class SurveyExportService:
    """Organisers download a survey's responses as CSV (spreadsheets) or JSON (tools)."""

    def __init__(self, sessions: Sessions, results: SurveyResultsService) -> None:
        self._sessions = sessions
        self._results = results

    async def export(self, survey_id: int, fmt: str, *, named: bool = False) -> Export | None:
        """The file for ``fmt`` ("csv" or "json"); None if the survey does not exist."""
        table = await self._table(survey_id, named=named)
        if table is None:
            return None
        keys, prompts, rows = table
        if fmt == "json":
            results = await self._results.results(survey_id)
            document = {
                "survey": survey_id,
                "results": asdict(results) if results else None,
                "responses": [dict(zip(keys, row, strict=True)) for row in rows],
            }
            content = json.dumps(document, ensure_ascii=False, indent=1).encode()
            return Export(f"enquete-{survey_id}.json", content, len(rows))
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow([spreadsheet_safe(cell) for cell in prompts])
        writer.writerows([spreadsheet_safe(cell) for cell in row] for row in rows)
        return Export(f"enquete-{survey_id}.csv", buffer.getvalue().encode("utf-8-sig"), len(rows))

    async def _table(
        self, survey_id: int, *, named: bool
    ) -> tuple[list[str], list[str], list[list[str]]] | None:
        """(keys for JSON, headers for CSV, one row per respondent), or None."""
        async with self._sessions() as session:
            surveys = SurveyRepository(session)
            survey = await surveys.get(survey_id)
            if survey is None:
                return None
            if named and not survey.identified:
                raise NamedExportRefused(survey_id)
            questions = await surveys.questions(survey_id)
            responses = await surveys.respondents(survey_id)
            answers = await surveys.answer_rows(survey_id)
            names = await surveys.names_of([r.member_id for r in responses]) if named else {}
        by_response: dict[int, dict[int, str]] = {}
        by_id = {q.id: q for q in questions}
        for response_id, question_id, choices, text, skipped in answers:
            question = by_id.get(question_id)
            if question is not None and not skipped:
                by_response.setdefault(response_id, {})[question_id] = _cell(
                    question, choices, text
                )
        keys = ["reponse", "terminee", *(["membre", "nom"] if named else [])]
        prompts = ["Réponse n°", "Terminée", *(["Membre", "Nom"] if named else [])]
        keys += [q.key for q in questions]
        prompts += [q.prompt for q in questions]
        rows: list[list[str]] = []
        for response in responses:
            cells = by_response.get(response.id, {})
            row = [str(len(rows) + 1), "oui" if response.completed_at else "non"]
            if named:
                # Forgotten respondents have negative numbers (see survey_privacy): no id.
                member = str(response.member_id) if response.member_id > 0 else ""
                row += [member, names.get(response.member_id, "")]
            rows.append(row + [cells.get(q.id, "") for q in questions])
        return keys, prompts, rows


def _cell(question: SurveyQuestion, choices: str, text: str) -> str:
    if question.kind == "text":
        return text
    options = question.option_labels
    picked = [int(i) for i in choices.split(",") if i.isdigit() and int(i) < len(options)]
    return " | ".join(options[i] for i in picked)
