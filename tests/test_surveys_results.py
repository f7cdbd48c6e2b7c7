"""Results of a survey with known answers: counts, percentages, French summaries, CSV, PNG."""

from __future__ import annotations

import csv
import io
import json
import struct

import pytest

from bot.formatting import percent
from bot.services.surveys.charts import satisfaction_chart
from bot.services.surveys.exports import NamedExportRefused, SurveyExportService
from bot.services.surveys.results import SurveyResultsService
from bot.services.surveys.templates import template
from bot.texts import Texts
from handlers.surveys.views import chart_labels, results_messages
from storage.db import create_engine, create_sessions
from tests.support.surveys import (
    COMMENTS_2013,
    FIGURES_2013,
    add_answers,
    add_event,
    create_survey,
)

NBSP = "\u00a0"


def test_percentages_are_rounded_half_up_over_those_who_answered() -> None:
    assert percent(42, 47) == 89  # the 2013 plenary: 89.36 %
    assert percent(29, 47) == 62  # « dont 62 % tout à fait »
    assert percent(1, 8) == 13  # 12.5 rounds up, not to even
    assert percent(0, 0) == 0


async def test_results_of_the_2013_questionnaire(db_url: str) -> None:
    engine = create_engine(db_url)
    sessions = create_sessions(engine)
    try:
        await add_event(sessions)
        survey_id = await create_survey(sessions, template())
        columns: dict[str, list[int | str | None]] = {k: list(v) for k, v in FIGURES_2013.items()}
        columns["comments"] = [*COMMENTS_2013, *[None] * 44]
        await add_answers(sessions, survey_id, columns)
        results = await SurveyResultsService(sessions).results(survey_id)
    finally:
        await engine.dispose()

    assert results is not None
    assert results.respondents == 47
    by_key = {q.key: q for q in results.questions}
    opening = by_key["opening_plenary"]
    assert (opening.answered, opening.counts, opening.satisfied, opening.fully) == (
        47, (20, 22, 4, 1), 89, 43,
    )  # fmt: skip
    assert by_key["organisation"].satisfied == 100
    assert by_key["organisation"].fully == 62
    assert by_key["closing_plenary"].satisfied == 95
    assert by_key["closing_plenary"].skipped == 5
    assert by_key["networking_lunch"].satisfied == 92
    assert by_key["overall"].satisfied == 90
    assert by_key["new_edition"].percents == (54, 46, 0, 0)
    assert by_key["comments"].comments == tuple(COMMENTS_2013)

    texts = Texts.load()
    text = "\n".join(results_messages(texts, "fr", results))
    assert f"89{NBSP}% de satisfaits, dont 43{NBSP}% tout à fait" in text
    assert f"100{NBSP}% de satisfaits, dont 62{NBSP}% tout à fait" in text
    assert "<b>Plénière de clôture</b> (n = 42)" in text
    assert f"Oui, c'est une nécessité{NBSP}: 54{NBSP}% (25)" in text
    assert f"«{NBSP}Bravo &lt;b&gt;!&lt;/b&gt;{NBSP}»" in text  # member input is escaped
    assert "arrondis à l'unité la plus proche" in text
    english = "\n".join(results_messages(texts, "en", results))
    assert "89% satisfied, 43% fully" in english

    png = satisfaction_chart(results.satisfaction, chart_labels(texts, "fr", results))
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])
    assert 900 <= width <= 1400
    assert 600 <= height <= 1600
    assert len(png) < 300_000


async def test_comparison_with_the_previous_edition(sqlite_url: str) -> None:
    engine = create_engine(sqlite_url)
    sessions = create_sessions(engine)
    try:
        await add_event(sessions)
        before = await create_survey(sessions, template())
        await add_answers(sessions, before, {"opening_plenary": [0] * 40 + [2] * 10})  # 80 %
        from datetime import UTC, datetime

        await add_event(
            sessions,
            "rencontre-2014",
            title="Rencontre 2014",
            starts_at=datetime(2014, 10, 23, 7, tzinfo=UTC),
            ends_at=None,
        )
        after = await create_survey(sessions, template(), "rencontre-2014")
        await add_answers(
            sessions, after, {"opening_plenary": [1] * 43 + [3] * 7}, first_member=200_000
        )
        results = await SurveyResultsService(sessions).results(after)
    finally:
        await engine.dispose()
    assert results is not None
    opening = next(q for q in results.questions if q.key == "opening_plenary")
    assert (opening.satisfied, opening.previous_satisfied, opening.delta) == (86, 80, 6)
    text = "\n".join(results_messages(Texts.load(), "fr", results))
    assert f"+6 points par rapport à «{NBSP}Rencontre Innov'Deizh : ton avis{NBSP}»" in text


async def test_csv_and_json_exports_are_anonymous_unless_announced(db_url: str) -> None:
    engine = create_engine(db_url)
    sessions = create_sessions(engine)
    try:
        await add_event(sessions)
        survey_id = await create_survey(sessions, template())
        await add_answers(
            sessions,
            survey_id,
            {"overall": [0, 3, None], "new_edition": [1, 0, 0], "comments": ["Top", None, None]},
        )
        exports = SurveyExportService(sessions, SurveyResultsService(sessions))
        csv_export = await exports.export(survey_id, "csv")
        json_export = await exports.export(survey_id, "json")
        with pytest.raises(NamedExportRefused):
            await exports.export(survey_id, "csv", named=True)
    finally:
        await engine.dispose()

    assert csv_export is not None
    assert csv_export.filename == f"enquete-{survey_id}.csv"
    rows = list(csv.reader(io.StringIO(csv_export.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == [
        "Réponse n°",
        "Terminée",
        "Globalement, es-tu satisfait·e de la rencontre ?",
        "Souhaites-tu une nouvelle édition ?",
    ]
    assert "100000" not in csv_export.content.decode("utf-8-sig")  # no Telegram id
    assert rows[1][:4] == ["1", "oui", "Tout à fait satisfait·e", "Oui, ce serait bien"]
    assert rows[1][-1] == "Top"
    assert rows[3][2] == ""  # skipped
    assert len(rows) == 4
    assert json_export is not None
    document = json.loads(json_export.content)
    assert document["results"]["respondents"] == 3
    assert document["responses"][1]["overall"] == "Pas du tout satisfait·e"


async def test_csv_export_neutralises_formulas(db_url: str) -> None:
    """A member's comment a spreadsheet would run (OWASP « CSV injection ») is written as text;
    the JSON keeps it as typed."""
    hostile = ['=HYPERLINK("http://x","clic")', "+33 6 00", "-1+1", "@SUM(A1)", "\tx", "\rx"]
    engine = create_engine(db_url)
    sessions = create_sessions(engine)
    try:
        await add_event(sessions)
        survey_id = await create_survey(sessions, template())
        await add_answers(
            sessions,
            survey_id,
            {"overall": [0] * 7, "comments": [*hostile, "Très bien = parfait"]},
        )
        exports = SurveyExportService(sessions, SurveyResultsService(sessions))
        csv_export = await exports.export(survey_id, "csv")
        json_export = await exports.export(survey_id, "json")
    finally:
        await engine.dispose()
    assert csv_export is not None
    assert json_export is not None
    text = csv_export.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    comments = [row[-1] for row in rows[1:]]
    assert comments == [*("'" + text for text in hostile), "Très bien = parfait"]
    typed = [r["comments"] for r in json.loads(json_export.content)["responses"]]
    assert typed == [*hostile, "Très bien = parfait"]
