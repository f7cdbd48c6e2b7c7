"""The /stats picture: panels of horizontal bars (members, proposals, the next gatherings).

It draws what it is given — every word and figure comes already written in the reader's
language (bot.services.stats.report) — so the same code serves any panel.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from bot.services.charts import SCALE_COLOURS, drawable, new_figure, png_of

# One colour per series: green, orange, red (the surveys' scale, colour-blind safe); a single
# series is blue.
SERIES_COLOURS = (SCALE_COLOURS[0], SCALE_COLOURS[2], SCALE_COLOURS[3])
SINGLE_COLOUR = "#2b83ba"
LABEL_WIDTH = 28  # characters per line of a bar's name


@dataclass(frozen=True)
class Bar:
    label: str
    values: tuple[int, ...]  # one per series, stacked left to right
    shown: str  # written after the bar (« 12 / 30 »)
    mark: int | None = None  # a limit drawn as a tick across the bar (an event's capacity)


@dataclass(frozen=True)
class Panel:
    title: str
    bars: tuple[Bar, ...]
    series: tuple[str, ...] = ()  # legend names when bars are stacked
    empty: str = ""  # written instead of bars when there are none


def bars_chart(panels: tuple[Panel, ...]) -> bytes:
    """A PNG, one panel of bars under another, each scaled to its own largest bar."""
    from matplotlib.patches import Rectangle  # noqa: PLC0415 (lazy: see bot.services.charts)

    heights = [0.45 * max(len(panel.bars), 1) for panel in panels]  # inches of bars
    gap, legend = 0.6, 0.45  # inches: a panel's title above it; the legends under the last
    total = sum(heights) + gap * len(panels) + legend
    figure = new_figure(total)
    grid = figure.add_gridspec(
        len(panels), 1, height_ratios=heights, hspace=gap / (sum(heights) / len(panels))
    )
    for index, panel in enumerate(panels):
        axes = figure.add_subplot(grid[index])
        axes.set_title(drawable(panel.title), fontsize=12, loc="left", fontweight="bold")
        axes.spines[["top", "right", "bottom"]].set_visible(False)
        axes.set_xticks([])
        if not panel.bars:
            axes.set_yticks([])
            axes.spines["left"].set_visible(False)
            axes.text(0, 0.5, drawable(panel.empty), fontsize=10, va="center")
            continue
        bars = list(reversed(panel.bars))  # drawn bottom-up; keep the given order
        widest = max(max(sum(bar.values), bar.mark or 0) for bar in bars)
        colours = SERIES_COLOURS if len(panel.series) > 1 else (SINGLE_COLOUR,)
        for y, bar in enumerate(bars):
            left = 0
            for step, value in enumerate(bar.values):
                axes.barh(y, value, left=left, height=0.6, color=colours[step % len(colours)])
                left += value
            if bar.mark is not None:
                axes.plot([bar.mark, bar.mark], [y - 0.4, y + 0.4], color="black", lw=1.5)
            axes.text(
                max(left, bar.mark or 0) + widest * 0.02, y, drawable(bar.shown), va="center"
            )
        labels = [_wrapped(drawable(bar.label)) for bar in bars]
        axes.set_yticks(range(len(bars)), labels, fontsize=9)
        # Room on the right for the figure written after the longest bar; never an empty
        # range (an empty database draws bars of zero).
        axes.set_xlim(0, max(widest, 1) * 1.25)
        axes.set_ylim(-0.6, len(bars) - 0.4)
        if len(panel.series) > 1:
            axes.legend(
                [Rectangle((0, 0), 1, 1, color=c) for c in colours[: len(panel.series)]],
                [drawable(name) for name in panel.series], ncols=len(panel.series),
                fontsize=9, frameon=False, loc="upper left", bbox_to_anchor=(0, 0),
            )  # fmt: skip
    figure.subplots_adjust(left=0.3, right=0.97, top=1 - gap / total, bottom=legend / total)
    return png_of(figure)


def _wrapped(label: str) -> str:
    """Each line of ``label`` wrapped to the room left of the bars (its own breaks kept)."""
    return "\n".join(textwrap.fill(line, LABEL_WIDTH) for line in label.split("\n"))
