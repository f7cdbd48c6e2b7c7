"""What every chart the bot draws shares: a phone's width, PNG bytes, labels the font can draw.

matplotlib is imported inside :func:`new_figure` (Agg backend, no display): it costs ~40 MB and
half a second, which an idle bot that never draws a chart should not pay. Figures are made
without pyplot: no global state, no GUI backend, nothing to leak between charts drawn by a
long-running bot.
"""

from __future__ import annotations

import io
import re
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

WIDTH_INCHES, DPI = 7.2, 150  # 1080 pixels wide: a phone screen's width, no zoom needed
# Green to red, readable by most colour-blind members (ColorBrewer RdYlGn, 4 classes).
SCALE_COLOURS = ("#1a9641", "#a6d96a", "#fdae61", "#d7191c")


def new_figure(height: float) -> Figure:
    """An empty figure of the bot's width, ``height`` inches tall."""
    from matplotlib.figure import Figure  # noqa: PLC0415 (lazy on purpose, see above)

    return Figure(figsize=(WIDTH_INCHES, height), dpi=DPI)


def png_of(figure: Figure) -> bytes:
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def drawable(text: str) -> str:
    """``text`` as the chart can show it: characters the font has no glyph for (emoji in a
    title) left out, since matplotlib would draw a box and warn; « $ » escaped, since
    matplotlib reads « $…$ » as a formula (a title like « 5 $ et 10 $ » would not draw)."""
    glyphs = _glyphs()
    kept = "".join(char for char in text if ord(char) in glyphs or char in "\n\t")
    return re.sub(" {2,}", " ", kept).strip().replace("$", r"\$")


@cache
def _glyphs() -> frozenset[int]:
    from matplotlib import font_manager  # noqa: PLC0415
    from matplotlib.ft2font import FT2Font  # noqa: PLC0415

    path = font_manager.findfont(font_manager.FontProperties())
    return frozenset(FT2Font(path).get_charmap())
