"""Every catalogue text, rendered with hostile parameters, is valid Telegram HTML and fits a
message.

The rule for long parameters: when a rendered text would exceed Telegram's 4,096 UTF-16 units
(counted on the visible text, after the HTML is parsed), the renderer shortens its longest plain
parameter, ending it with « … », until the text fits; catalogue wording and Markup parameters
are never cut. Control characters (NUL…) and lone surrogates are removed from parameters.
"""

from __future__ import annotations

import pytest

from bot.console.bot_api import parse_html, utf16_length
from bot.texts import MESSAGE_LIMIT, Texts, placeholders

HOSTILE = {
    "markup": "<b>gras</b> <i>pas fermé & </a> &amp; &lt;",
    "nul": "avant\x00après\x07\x1b[31m",
    "wide": "𝕒" * 4000,  # 8,000 UTF-16 units: twice Telegram's limit on its own
    "rtl": "\u202eSIHT DAER\u202c \u200fעברית\u200e",
    "lone_surrogate": "x\ud835y",
    "quotes": '"l\'« a » & b" </b></a> <a href="x">',
}


@pytest.fixture(scope="module")
def texts() -> Texts:
    return Texts.load()


@pytest.mark.parametrize("hostile", HOSTILE)
@pytest.mark.parametrize("language", ["fr", "en", "br"])
def test_every_text_is_valid_html_within_the_limit(
    texts: Texts, language: str, hostile: str
) -> None:
    value = HOSTILE[hostile]
    broken = []
    for key in texts.catalogue("fr"):
        template = texts.raw(language, key)
        text = texts.get(language, key, **dict.fromkeys(placeholders(template), value))
        try:
            visible = parse_html(text).text
        except ValueError as exc:
            broken.append(f"{key}: {exc}")
            continue
        if utf16_length(visible) > MESSAGE_LIMIT:
            broken.append(f"{key}: {utf16_length(visible)} UTF-16 units")
        if "\x00" in text or "\ud835" in text:
            broken.append(f"{key}: control character or lone surrogate kept")
    assert broken == []


def test_a_caption_is_shortened_to_1024_units(texts: Texts) -> None:
    text = texts.caption("fr", "events.ics.caption", title="𝕒" * 4000)
    assert 1022 <= utf16_length(parse_html(text).text) <= 1024  # a 2-unit letter is not split
    assert "𝕒…" in text


def test_a_long_parameter_is_shortened_to_fit(texts: Texts) -> None:
    text = texts.get("fr", "proposals.sent", name="𝕒" * 4000)
    visible = parse_html(text).text
    assert utf16_length(visible) == MESSAGE_LIMIT
    assert "𝕒…" in visible
    assert visible.startswith("🎉 Merci")  # the catalogue's wording is kept whole
    assert visible.endswith("dès qu'elle est relue.")


def test_only_the_longest_parameter_is_shortened(texts: Texts) -> None:
    text = texts.get(
        "fr", "proposals.moderation.member_refused", name="Ti Récup", reason="x" * 5000
    )
    assert "« Ti Récup »" in text.replace("\u00a0", " ")
    assert text.endswith("x…")
    assert utf16_length(parse_html(text).text) == MESSAGE_LIMIT


def test_escaped_characters_count_once(texts: Texts) -> None:
    text = texts.get("en", "proposals.sent", name="&" * 3900)  # "&amp;" is 1 unit for Telegram
    assert "&amp;" * 3900 + "”" in text
    assert utf16_length(parse_html(text).text) < MESSAGE_LIMIT


def test_short_parameters_are_untouched(texts: Texts) -> None:
    assert texts.get("en", "proposals.sent", name="<Ti Récup>").startswith(
        "🎉 Thank you! “&lt;Ti Récup&gt;” has been sent"
    )
