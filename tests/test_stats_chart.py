"""The /stats chart draws whatever organisers and members typed, and nothing at all."""

from __future__ import annotations

import struct
import warnings

from bot.services.charts import drawable
from bot.services.stats.chart import Bar, Panel, bars_chart


def _size(png: bytes) -> tuple[int, int]:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])
    return int(width), int(height)


def test_titles_with_dollars_emoji_and_controls_draw_without_a_warning() -> None:
    hostile = (
        "5 $ et 10 $",
        r"2 $\frac{1}{0$ 3",
        "🎉 Fête 🎉 des labos",
        "a\x00b",
        "€ · « » ’ – …",
    )
    panel = Panel(
        "Prochaines rencontres 🎉",
        tuple(Bar(title, (3, 1, 2), "3 / 5", mark=5) for title in hostile),
        series=("Viennent", "Peut-être", "En attente"),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph would warn; « $…$ » unescaped would raise
        png = bars_chart((panel,))
    assert _size(png)[0] == 1080
    assert drawable("🎉 Fête 🎉 des labos") == "Fête des labos"
    assert drawable("5 $ et 10 $") == r"5 \$ et 10 \$"


def test_an_empty_network_draws_zero_bars_and_the_empty_panel() -> None:
    panels = (
        Panel("Membres", (Bar("Inscrits", (0,), "0"), Bar("Actifs", (0,), "0"))),
        Panel("Prochaines rencontres", (), series=("a", "b", "c"), empty="Aucune rencontre"),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an empty axis range would warn
        png = bars_chart(panels)
    width, height = _size(png)
    assert width == 1080
    assert height < 1000
    assert len(png) < 100_000
