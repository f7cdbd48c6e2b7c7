"""The message catalogue: every text the bot says has a key; French is the reference.

Catalogue files live in ``bot/locales/<lang>/*.toml``; all files of a language are merged (a key
defined twice is an error). Parameters are HTML-escaped because messages go out with
``parse_mode=HTML``: member input can never inject markup. A key missing in English falls back
to French; a key missing in French is a programming error (a test checks both files match).
"""

from __future__ import annotations

import html
import string
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

LOCALES = Path(__file__).with_name("locales")
REFERENCE = "fr"


class Texts:
    """Look up and format catalogue texts by key and language."""

    def __init__(self, catalogues: Mapping[str, Mapping[str, str]], default_language: str) -> None:
        self._catalogues = catalogues
        self.default_language = default_language
        self.languages = tuple(catalogues)

    @classmethod
    def load(cls, default_language: str = REFERENCE, root: Path = LOCALES) -> Texts:
        catalogues = {
            folder.name: load_language(folder)
            for folder in sorted(root.iterdir())
            if folder.is_dir()
        }
        return cls(catalogues, default_language)

    def catalogue(self, language: str) -> Mapping[str, str]:
        return self._catalogues[language]

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
        return template.format(**{name: _escape(value) for name, value in params.items()})

    def plural(self, language: str, key: str, count: int, /, **params: Any) -> str:
        """``key.one`` or ``key.other`` depending on ``count`` (French: 0 and 1 are singular)."""
        form = "one" if (count <= 1 if language == "fr" else count == 1) else "other"
        return self.get(language, f"{key}.{form}", count=count, **params)

    def pick_language(self, chosen: str, telegram_language: str | None) -> str:
        """The member's chosen language, else Telegram's, else the configured default."""
        if chosen in self._catalogues:
            return chosen
        code = (telegram_language or "").split("-")[0].lower()
        if code in self._catalogues:
            return code
        return self.default_language


def load_language(folder: Path) -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in sorted(folder.glob("*.toml")):
        for key, value in _flatten(tomllib.loads(path.read_text(encoding="utf-8"))).items():
            if key in merged:
                raise ValueError(f"{path}: key {key!r} is already defined in another file")
            merged[key] = value
    return merged


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = str(value)
    return flat


def _escape(value: Any) -> str:
    if isinstance(value, Markup):
        return str(value)
    return html.escape(str(value), quote=False)


class Markup(str):
    """Text already rendered as safe HTML (e.g. a catalogue text), passed through unescaped."""

    __slots__ = ()
