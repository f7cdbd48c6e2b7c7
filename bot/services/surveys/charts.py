"""The results picture: one horizontal stacked bar per satisfaction question, phone-readable.

matplotlib is imported inside :func:`satisfaction_chart` (Agg backend, no display): it costs
~40 MB and half a second, which an idle bot that never draws a chart should not pay.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass

from bot.services.surveys.results import QuestionResult

# Green to red, readable by most colour-blind members (ColorBrewer RdYlGn, 4 classes).
SCALE_COLOURS = ("#1a9641", "#a6d96a", "#fdae61", "#d7191c")
WIDTH_INCHES, DPI = 7.2, 150  # 1080 pixels wide: a phone screen's width, no zoom needed


@dataclass(frozen=True)
class ChartLabels:
    """Texts drawn in the picture, from the catalogue in the reader's language."""

    title: str
    scale: tuple[str, ...]
    count: str  # "n = {n}"
    satisfied: str  # "{percent} % satisfaits"


def satisfaction_chart(questions: tuple[QuestionResult, ...], labels: ChartLabels) -> bytes:
    """A PNG of the satisfaction questions (stacked percentages, n and satisfied share)."""
    # Lazy on purpose (see the module docstring). Figure without pyplot: no global state, no
    # GUI backend, nothing to leak between charts drawn by a long-running bot.
    from matplotlib.figure import Figure  # noqa: PLC0415
    from matplotlib.patches import Rectangle  # noqa: PLC0415

    rows = list(reversed(questions))  # matplotlib draws bottom-up; keep the survey's order
    height = 1.9 + 0.95 * max(len(rows), 1)
    figure = Figure(figsize=(WIDTH_INCHES, height), dpi=DPI)
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
    axes.set_title(textwrap.fill(labels.title, 48), fontsize=13, loc="left")
    figure.legend(
        [Rectangle((0, 0), 1, 1, color=colour) for colour in SCALE_COLOURS], labels.scale,
        ncols=2, fontsize=9, frameon=False, loc="lower center", bbox_to_anchor=(0.5, 0.01),
    )  # fmt: skip
    # Fixed margins (labels are wrapped to a known width): tight_layout would draw twice.
    figure.subplots_adjust(left=0.24, right=0.9, top=1 - 0.55 / height, bottom=1.15 / height)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _shares(question: QuestionResult) -> list[float]:
    """Unrounded shares, so the bar always fills exactly 100 %."""
    if not question.answered:
        return [0.0] * len(question.counts)
    return [100 * count / question.answered for count in question.counts]


def _label(question: QuestionResult, labels: ChartLabels) -> str:
    name = textwrap.shorten(question.label or question.prompt, 48, placeholder="…")
    satisfied = labels.satisfied.format(percent=question.satisfied or 0)
    return f"{textwrap.fill(name, 22)}\n{satisfied}"
