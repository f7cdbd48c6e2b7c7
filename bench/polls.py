"""Survey results at scale: 10,000 members × 8 questions tallied, summarised and drawn.

Run with ``python -m bench.polls [members] [runs]``. Setup (migrating a fresh SQLite file and
writing the answers) is timed apart; the measured part is what ``/resultats`` does: count the
answers in the database, build the per-question results (with the previous-edition lookup),
render the French summary and draw the PNG. The first run pays matplotlib's import (the bot
imports it lazily), so it is reported apart from the median of the following runs.
"""

from __future__ import annotations

import asyncio
import random
import sys
import tempfile
import time
from pathlib import Path

from bench.common import machine, median
from bot.services.surveys.charts import satisfaction_chart
from bot.services.surveys.exports import SurveyExportService
from bot.services.surveys.results import SurveyResultsService
from bot.services.surveys.templates import template
from bot.texts import Texts
from handlers.surveys.views import chart_labels, results_messages
from storage.db import create_engine, create_sessions
from storage.migrate import upgrade
from tests.support.surveys import add_answers, add_event, create_survey

BUDGET_SECONDS = 3.0
SATISFACTION_WEIGHTS = (45, 44, 8, 3)


def answers(members: int, seed: int = 2013) -> dict[str, list[int | str | None]]:
    """Plausible answers: mostly satisfied, a few skips, one comment in five."""
    rng = random.Random(seed)
    columns: dict[str, list[int | str | None]] = {}
    for question in template().questions:
        if question.kind == "satisfaction":
            column: list[int | str | None] = [
                None if rng.random() < 0.05 else rng.choices(range(4), SATISFACTION_WEIGHTS)[0]
                for _ in range(members)
            ]
        elif question.kind == "single":
            column = [rng.choices(range(4), (54, 40, 4, 2))[0] for _ in range(members)]
        else:
            column = [f"Commentaire n°{n}" if rng.random() < 0.2 else None for n in range(members)]
        columns[question.key] = column
    return columns


async def main(members: int, runs: int) -> None:
    """Print the setup, tally, render and export times for ``members`` over ``runs`` runs."""
    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(f"sqlite+aiosqlite:///{Path(folder) / 'bench.sqlite3'}")
        sessions = create_sessions(engine)
        texts = Texts.load()
        try:
            started = time.perf_counter()
            await upgrade(engine)
            await add_event(sessions)
            survey_id = await create_survey(sessions, template())
            await add_answers(sessions, survey_id, answers(members))
            setup = time.perf_counter() - started
            service = SurveyResultsService(sessions)
            timings, tally_timings, sizes = [], [], []
            for _ in range(runs):
                started = time.perf_counter()
                results = await service.results(survey_id)
                if results is None:
                    raise RuntimeError(f"survey {survey_id} has no results")
                tallied = time.perf_counter() - started
                results_messages(texts, "fr", results)
                png = satisfaction_chart(results.satisfaction, chart_labels(texts, "fr", results))
                timings.append(time.perf_counter() - started)
                tally_timings.append(tallied)
                sizes.append(len(png))
            started = time.perf_counter()
            export = await SurveyExportService(sessions, service).export(survey_id, "csv")
            export_seconds = time.perf_counter() - started
        finally:
            await engine.dispose()
    if export is None:
        raise RuntimeError(f"survey {survey_id} has no export")
    warm = median(timings[1:]) if runs > 1 else timings[0]
    tally = median(tally_timings[1:] or tally_timings)
    png_kib = median([float(size) for size in sizes]) / 1024
    first = timings[0]
    print(f"bench.polls — {members} members × 8 questions on SQLite ({machine()})")
    print(f"  setup (migrate + write {members * 8} answers): {setup:.2f} s")
    print(f"  first run (tally + summary + chart, matplotlib import included): {first:.2f} s")
    print(f"  median of {max(runs - 1, 1)} warm runs: {warm:.2f} s (tally alone {tally:.3f} s)")
    print(
        f"  ratio to the {BUDGET_SECONDS:.0f} s budget: "
        f"first {first / BUDGET_SECONDS:.2f}, warm {warm / BUDGET_SECONDS:.2f}"
    )
    print(f"  PNG {png_kib:.0f} KiB; CSV export {export.rows} rows in {export_seconds:.2f} s")
    over = max(timings) >= BUDGET_SECONDS
    print("  OVER BUDGET" if over else f"  OK: every run under {BUDGET_SECONDS:.0f} s")


if __name__ == "__main__":
    arguments = [int(a) for a in sys.argv[1:3]]
    asyncio.run(main(*(arguments + [10_000, 5][len(arguments) :])))
