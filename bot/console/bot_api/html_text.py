"""Telegram's HTML parse mode: validate like the Bot API and give the plain text and entities."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, cast

from bot.texts import utf16_length

# Tag -> entity type; span only with class="tg-spoiler", pre may carry a language via <code>.
_ENTITY_OF_TAG = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(#[xX][0-9a-fA-F]{1,8}|#[0-9]{1,9}|[a-zA-Z]{2,8});")
_PLAIN_RE = re.compile(r"[^<&]+")
_ATTR_NAME_RE = re.compile(r"[A-Za-z0-9_-]+")


class HtmlParseError(ValueError):
    """The text is not valid Telegram HTML; the message is Telegram's reason."""


@dataclass
class ParsedText:
    """Plain text and its MessageEntity dicts (offsets and lengths in UTF-16 units)."""

    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _Open:
    tag: str
    start: int
    attrs: dict[str, str]
    language: str | None = None


def _decode_entity(source: str, i: int) -> tuple[str, int]:
    """Decode the HTML entity at ``source[i]`` ('&'); an unknown one stays a literal '&'."""
    match = _ENTITY_RE.match(source, i)
    if match:
        name = match.group(1)
        if name[0] == "#":
            code = int(name[2:], 16) if name[1] in "xX" else int(name[1:])
            if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
                return chr(code), match.end()
        elif name in _NAMED:
            return _NAMED[name], match.end()
    return "&", i + 1


def unescape(value: str) -> str:
    """Decode the entities of an attribute value."""
    out: list[str] = []
    i = 0
    while i < len(value):
        if value[i] == "&":
            char, i = _decode_entity(value, i)
            out.append(char)
        else:
            j = value.find("&", i)
            j = len(value) if j < 0 else j
            out.append(value[i:j])
            i = j
    return "".join(out)


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.out: list[str] = []
        self.pos = 0  # UTF-16 length of what is in out
        self.stack: list[_Open] = []
        self.entities: list[dict[str, Any]] = []

    def fail(self, reason: str, at: int) -> HtmlParseError:
        byte_offset = len(self.source[:at].encode())
        return HtmlParseError(reason.replace("{at}", f"at byte offset {byte_offset}"))

    def emit(self, text: str) -> None:
        self.out.append(text)
        self.pos += utf16_length(text)

    def run(self) -> ParsedText:
        source, n, i = self.source, len(self.source), 0
        while i < n:
            char = source[i]
            if char == "&":
                decoded, i = _decode_entity(source, i)
                self.emit(decoded)
            elif char == "<":
                i = self.end_tag(i) if source.startswith("</", i) else self.start_tag(i)
            else:
                # Not at "<" or "&": the plain run matches at least this character.
                match = cast("re.Match[str]", _PLAIN_RE.match(source, i))
                self.emit(match.group())
                i = match.end()
        if self.stack:
            tag = self.stack[-1].tag
            raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{tag}"')
        self.entities.sort(key=lambda entity: (entity["offset"], -entity["length"]))
        return ParsedText("".join(self.out), self.entities)

    def start_tag(self, begin: int) -> int:
        source, n = self.source, len(self.source)
        i = begin + 1
        while i < n and not source[i].isspace() and source[i] != ">":
            i += 1
        if i >= n:
            raise self.fail("Unclosed start tag {at}", begin)
        tag = source[begin + 1 : i].lower()
        if tag not in _ENTITY_OF_TAG:
            raise self.fail(f'Unsupported start tag "{tag}" {{at}}', begin)
        attrs: dict[str, str] = {}
        while True:
            while i < n and source[i].isspace():
                i += 1
            if i >= n:
                raise self.fail("Unclosed start tag {at}", begin)
            if source[i] == ">":
                break
            match = _ATTR_NAME_RE.match(source, i)
            if not match:
                raise self.fail(f'Empty attribute name in the tag "{tag}" {{at}}', begin)
            name, i = match.group().lower(), match.end()
            while i < n and source[i].isspace():
                i += 1
            value = ""
            if i < n and source[i] == "=":
                value, i = self.attr_value(tag, begin, i + 1)
            attrs[name] = value
        self.open(tag, attrs, begin)
        return i + 1

    def attr_value(self, tag: str, begin: int, i: int) -> tuple[str, int]:
        source, n = self.source, len(self.source)
        while i < n and source[i].isspace():
            i += 1
        if i < n and source[i] in "\"'":
            end = source.find(source[i], i + 1)
            if end < 0:
                raise self.fail(
                    f'Unclosed end of attribute value in the tag "{tag}" {{at}}', begin
                )
            return unescape(source[i + 1 : end]), end + 1
        start = i
        while i < n and not source[i].isspace() and source[i] != ">":
            i += 1
        return unescape(source[start:i]), i

    def open(self, tag: str, attrs: dict[str, str], begin: int) -> None:
        if tag == "span" and attrs.get("class") != "tg-spoiler":
            raise self.fail('Tag "span" must have class "tg-spoiler" {at}', begin)
        if tag == "tg-emoji" and not attrs.get("emoji-id", "").isdigit():
            raise self.fail('Tag "tg-emoji" must have a valid attribute "emoji-id" {at}', begin)
        self.stack.append(_Open(tag, self.pos, attrs))

    def end_tag(self, begin: int) -> int:
        source, n = self.source, len(self.source)
        if not self.stack:
            raise self.fail("Unexpected end tag {at}", begin)
        i = begin + 2
        while i < n and not source[i].isspace() and source[i] != ">":
            i += 1
        name = source[begin + 2 : i].lower()
        while i < n and source[i].isspace():
            i += 1
        if i >= n or source[i] != ">":
            raise self.fail("Unclosed end tag {at}", begin)
        opened = self.stack.pop()
        if name and name != opened.tag:
            raise self.fail(
                f'Unmatched end tag {{at}}, expected "</{opened.tag}>", found "</{name}>"', begin
            )
        self.close(opened)
        return i + 1

    def close(self, opened: _Open) -> None:
        length = self.pos - opened.start
        code_class = opened.attrs.get("class", "")
        parent = self.stack[-1] if self.stack else None
        if (
            opened.tag == "code"
            and code_class.startswith("language-")
            and parent is not None
            and parent.tag == "pre"
            and parent.start == opened.start
        ):
            # <pre><code class="language-x"> is one pre entity with a language, not two.
            parent.language = code_class.removeprefix("language-")
            return
        if length == 0:
            return
        entity: dict[str, Any] = {
            "type": _ENTITY_OF_TAG[opened.tag],
            "offset": opened.start,
            "length": length,
        }
        if opened.tag == "a":
            href = opened.attrs.get("href", "")
            if not href:
                return
            entity["url"] = href
        elif opened.tag == "pre" and opened.language:
            entity["language"] = opened.language
        elif opened.tag == "blockquote" and "expandable" in opened.attrs:
            entity["type"] = "expandable_blockquote"
        elif opened.tag == "tg-emoji":
            entity["custom_emoji_id"] = opened.attrs["emoji-id"]
        self.entities.append(entity)


def parse_html(source: str) -> ParsedText:
    """Parse Telegram HTML into plain text and entities; raise HtmlParseError as Telegram would."""
    return _Parser(source).run()


def strip_text(parsed: ParsedText) -> ParsedText:
    """Trim surrounding whitespace as Telegram does, shifting and clipping the entities."""
    text = parsed.text
    stripped = text.strip()
    if stripped == text:
        return parsed
    lead = utf16_length(text[: len(text) - len(text.lstrip())])
    end = lead + utf16_length(stripped)
    entities = []
    for entity in parsed.entities:
        start = max(entity["offset"], lead)
        stop = min(entity["offset"] + entity["length"], end)
        if stop > start:
            entities.append({**entity, "offset": start - lead, "length": stop - start})
    return ParsedText(stripped, entities)
