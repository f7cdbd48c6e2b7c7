"""The message catalogue: every text the bot says has a key; French is the reference.

Catalogue files live in ``bot/locales/<lang>/*.toml`` for each language of bot.languages; all
files of a language are merged (a key defined twice is an error). A key missing in a language
falls back to French, string by string; a key missing in French is a programming error (tests
check every key the code uses). Rendering rules, all applied here:

- parameters are HTML-escaped (messages go out with ``parse_mode=HTML``) and stripped of control
  characters, so member input can never inject markup; :class:`Markup` passes through as is;
- a text that would exceed Telegram's 4,096 visible UTF-16 units has its longest plain parameter
  shortened (ending with « … ») until it fits; catalogue wording and Markup are never cut;
- plurals pick ``<key>.<CLDR category>`` (one, two, few, many, other), else ``<key>.other``,
  else French's; the count is written by the formatter (« 1 234 »);
- French typography (bot.formatting.french_typography) is applied once, when a catalogue loads.
"""

from __future__ import annotations

import html
import re
import string
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bot.formatting import format_number, french_typography, plural_category
from bot.languages import CODES, REFERENCE, language_named

LOCALES = Path(__file__).with_name("locales")
MESSAGE_LIMIT = 4096  # Telegram's limit, in UTF-16 units of the visible text
CAPTION_LIMIT = 1024  # a photo's or a document's caption
ELLIPSIS = "…"
# C0/C1 controls (tab and newlines kept) and lone surrogates: Telegram refuses or mangles them.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_TAG = re.compile(r"<[^>]*>")


class Texts:
    """Look up and format catalogue texts by key and language."""

    def __init__(self, catalogues: Mapping[str, Mapping[str, str]], default_language: str) -> None:
        self._catalogues = {
            code: _typeset(code, catalogue) for code, catalogue in catalogues.items()
        }
        self.default_language = default_language
        self.languages = tuple(code for code in CODES if code in catalogues)

    @classmethod
    def load(cls, default_language: str = REFERENCE, root: Path = LOCALES) -> Texts:
        catalogues = {code: load_language(root / code) for code in CODES if (root / code).is_dir()}
        return cls(catalogues, default_language)

    def catalogue(self, language: str) -> Mapping[str, str]:
        return self._catalogues[language]

    def has(self, language: str, key: str) -> bool:
        """Whether ``language`` itself defines ``key`` (without the French fallback)."""
        return key in self._catalogues.get(language, {})

    def raw(self, language: str, key: str) -> str:
        """The unformatted text, with the French fallback."""
        lang = self._catalogues.get(language, {})
        if key in lang:
            return lang[key]
        return self._catalogues[REFERENCE][key]

    def get(self, language: str, key: str, /, **params: Any) -> str:
        """The text for ``key`` in ``language``, parameters HTML-escaped."""
        template = self.raw(language, key)
        if not params:
            return template
        return render(template, params)

    def caption(self, language: str, key: str, /, **params: Any) -> str:
        """Like :meth:`get`, shortened to a caption's 1,024 units."""
        return render(self.raw(language, key), params, CAPTION_LIMIT)

    def plural(self, language: str, key: str, count: float, /, **params: Any) -> str:
        """``key.<category>`` for ``count`` by CLDR's rules (fr: 0 and 1 are « one »)."""
        params.setdefault("count", format_number(count, language))
        for lang in (language, REFERENCE):
            for category in (plural_category(lang, count), "other"):
                if self.has(lang, f"{key}.{category}"):
                    return self.get(lang, f"{key}.{category}", **params)
        raise KeyError(f"{key}.other")

    def pick_language(self, chosen: str, telegram_language: str | None) -> str:
        """The member's chosen language, else Telegram's, else the configured default."""
        if chosen in self._catalogues:
            return chosen
        code = (telegram_language or "").split("-")[0].lower()
        if code in self._catalogues:
            return code
        return self.default_language


def render(template: str, params: Mapping[str, Any], limit: int = MESSAGE_LIMIT) -> str:
    """``template`` with its parameters escaped, shortened if the text would be too long."""
    values = {name: _clean(value) for name, value in params.items()}
    text = _fill(template, values)
    if 2 * len(text) <= limit:  # a code point is at most 2 UTF-16 units: it fits
        return text
    while (excess := visible_length(text) - limit) > 0:
        plain = [name for name, value in values.items() if not isinstance(value, Markup)]
        longest = max(plain, key=lambda name: utf16_length(values[name]), default=None)
        if longest is None or not values[longest]:
            break  # only catalogue wording and Markup left: the caller composed too much
        room = utf16_length(values[longest]) - excess
        values[longest] = shorten(values[longest], room) if room > len(ELLIPSIS) else ""
        text = _fill(template, values)
    return text


def shorten(text: str, units: int) -> str:
    """``text`` cut to at most ``units`` UTF-16 units, « … » included (no pair split)."""
    if utf16_length(text) <= units:
        return text
    kept, used = [], utf16_length(ELLIPSIS)
    for char in text:
        used += utf16_length(char)
        if used > units:
            break
        kept.append(char)
    return "".join(kept).rstrip() + ELLIPSIS


def visible_length(html_text: str) -> int:
    """What Telegram counts: UTF-16 units of the text once tags and entities are parsed."""
    return utf16_length(html.unescape(_TAG.sub("", html_text)))


def utf16_length(text: str) -> int:
    """The length of ``text`` as Telegram counts it (UTF-16 code units): message and caption
    limits, entity offsets."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def load_language(folder: Path) -> dict[str, str]:
    """Every key of one language folder's TOML files (a key defined twice: error)."""
    merged: dict[str, str] = {}
    for path in sorted(folder.glob("*.toml")):
        for key, value in _flatten(tomllib.loads(path.read_text(encoding="utf-8"))).items():
            if key in merged:
                raise ValueError(f"{path}: key {key!r} is already defined in another file")
            merged[key] = value
    return merged


def placeholders(template: str) -> set[str]:
    """The names of the ``{placeholders}`` in ``template``."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _typeset(language: str, catalogue: Mapping[str, str]) -> dict[str, str]:
    if not language_named(language).french_typography:
        return dict(catalogue)
    return {key: french_typography(text) for key, text in catalogue.items()}


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = str(value)
    return flat


def _clean(value: Any) -> str:
    if isinstance(value, Markup):
        return value
    return _UNSAFE.sub("", str(value))


def _fill(template: str, values: Mapping[str, str]) -> str:
    return template.format(**{name: _escape(value) for name, value in values.items()})


def _escape(value: str) -> str:
    if isinstance(value, Markup):
        return str(value)
    return html.escape(value, quote=False)


class Markup(str):
    """Text already rendered as safe HTML (e.g. a catalogue text), passed through unescaped."""

    __slots__ = ()
