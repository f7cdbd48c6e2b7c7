"""The results picture: one horizontal stacked bar per satisfaction question, phone-readable.

The figure, its width and colours come from bot.services.charts (shared with /stats).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from bot.services.charts import SCALE_COLOURS, drawable, new_figure, png_of
from bot.services.surveys.results import QuestionResult


@dataclass(frozen=True)
class ChartLabels:
    """Texts drawn in the picture, from the catalogue in the reader's language."""

    title: str
    scale: tuple[str, ...]
    count: str  # "n = {n}"
    satisfied: str  # "{percent} % satisfaits"


def satisfaction_chart(questions: tuple[QuestionResult, ...], labels: ChartLabels) -> bytes:
    """A PNG of the satisfaction questions (stacked percentages, n and satisfied share)."""
    from matplotlib.patches import Rectangle  # noqa: PLC0415 (lazy: see bot.services.charts)

    rows = list(reversed(questions))  # matplotlib draws bottom-up; keep the survey's order
    height = 1.9 + 0.95 * max(len(rows), 1)
    figure = new_figure(height)
    axes = figure.subplots()
    for y, question in enumerate(rows):
        left = 0.0
        for step, share in enumerate(_shares(question)):
            axes.barh(y, share, left=left, height=0.62, color=SCALE_COLOURS[step])
            if share >= 7:  # narrower segments have no room for a readable figure
                axes.text(
                    left + share / 2, y, f"{question.percents[step]} %", ha="center",
                    va="center", fontsize=10, fontweight="bold",
                    color="white" if step in (0, 3) else "black",
                )  # fmt: skip
            left += share
        axes.text(101, y, labels.count.format(n=question.answered), va="center", fontsize=10)
    axes.set_yticks(range(len(rows)), [_label(q, labels) for q in rows], fontsize=10)
    axes.set_xlim(0, 100)
    axes.set_xticks([0, 25, 50, 75, 100], ["0", "25", "50", "75", "100 %"], fontsize=9)
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_title(textwrap.fill(drawable(labels.title), 48), fontsize=13, loc="left")
    figure.legend(
        [Rectangle((0, 0), 1, 1, color=colour) for colour in SCALE_COLOURS], labels.scale,
        ncols=2, fontsize=9, frameon=False, loc="lower center", bbox_to_anchor=(0.5, 0.01),
    )  # fmt: skip
    # Fixed margins (labels are wrapped to a known width): tight_layout would draw twice.
    figure.subplots_adjust(left=0.24, right=0.9, top=1 - 0.55 / height, bottom=1.15 / height)
    return png_of(figure)


def _shares(question: QuestionResult) -> list[float]:
    """Unrounded shares, so the bar always fills exactly 100 %."""
    if not question.answered:
        return [0.0] * len(question.counts)
    return [100 * count / question.answered for count in question.counts]


def _label(question: QuestionResult, labels: ChartLabels) -> str:
    name = textwrap.shorten(drawable(question.label or question.prompt), 48, placeholder="…")
    satisfied = labels.satisfied.format(percent=question.satisfied or 0)
    return f"{textwrap.fill(name, 22)}\n{satisfied}"
