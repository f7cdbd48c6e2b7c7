"""Checks the Bot API applies to texts, keyboards, commands and polls before accepting them."""

from __future__ import annotations

import json
import re
from typing import Any

from bot.texts import utf16_length

from .html_text import HtmlParseError, ParsedText, parse_html, strip_text
from .records import ApiError, JsonDict, bad_request

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA_BYTES = 64
_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
# A button needs one of these besides its label, or Telegram refuses the keyboard.
_BUTTON_ACTIONS = (
    "callback_data",
    "url",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)


def as_json(value: Any) -> Any:
    """Decode a JSON-encoded string parameter (clients may send objects either way)."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError as exc:
            raise bad_request(f"can't parse JSON: {value[:50]!r}") from exc
    return value


def formatted(params: JsonDict, key: str, entities_key: str) -> ParsedText | None:
    """The text or caption after parse_mode; None if the parameter is absent."""
    raw = params.get(key)
    if raw is None:
        return None
    raw = str(raw)
    parse_mode = params.get("parse_mode")
    if parse_mode in (None, ""):
        entities = as_json(params.get(entities_key)) or []
        parsed = ParsedText(raw, list(entities))
    elif str(parse_mode).lower() == "html":
        try:
            parsed = parse_html(raw)
        except HtmlParseError as exc:
            raise bad_request(f"can't parse entities: {exc}") from exc
    elif parse_mode in ("Markdown", "MarkdownV2"):
        # Not parsed by the double: the text is kept as sent.
        parsed = ParsedText(raw)
    else:
        raise bad_request(f"unsupported parse_mode {parse_mode!r}")
    return strip_text(parsed)


def message_text(params: JsonDict) -> ParsedText:
    """The text of sendMessage/editMessageText, checked for emptiness and length."""
    parsed = formatted(params, "text", "entities")
    if parsed is None or not parsed.text:
        raise bad_request("message text is empty")
    if utf16_length(parsed.text) > MAX_TEXT:
        raise bad_request("message is too long")
    return parsed


def caption(params: JsonDict) -> ParsedText | None:
    """The caption of a media message, checked for length."""
    parsed = formatted(params, "caption", "caption_entities")
    if parsed is not None and utf16_length(parsed.text) > MAX_CAPTION:
        raise bad_request("message caption is too long")
    return parsed if parsed and parsed.text else None


def text_fields(parsed: ParsedText | None, key: str, entities_key: str) -> JsonDict:
    """Message JSON fields for a text or caption."""
    if parsed is None:
        return {}
    fields: JsonDict = {key: parsed.text}
    if parsed.entities:
        fields[entities_key] = parsed.entities
    return fields


def inline_markup(params: JsonDict) -> JsonDict | None:
    """The reply_markup to echo in the Message: inline keyboards only, validated."""
    markup = as_json(params.get("reply_markup"))
    if not markup or "inline_keyboard" not in markup:
        return None
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('field "inline_keyboard" must be an Array of Arrays')
    for row in rows:
        for button in row:
            check_button(button)
    return {"inline_keyboard": rows}


def check_button(button: Any) -> None:
    """Refuse a button as Telegram does: bad callback_data, no action, no label."""
    if not isinstance(button, dict):
        raise bad_request(
            "can't parse inline keyboard button: InlineKeyboardButton must be an Object"
        )
    if not button.get("text"):
        raise bad_request("BUTTON_TEXT_INVALID")
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
    elif "url" in button:
        if not re.match(r"(https?|tg)://\S+$", str(button["url"])):
            raise bad_request("BUTTON_URL_INVALID")
    elif not any(key in button for key in _BUTTON_ACTIONS):
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )


def commands(params: JsonDict) -> list[JsonDict]:
    """The command list of setMyCommands, validated."""
    listed = as_json(params.get("commands"))
    if not isinstance(listed, list):
        raise bad_request("can't parse commands JSON object")
    if len(listed) > 100:
        raise bad_request("BOT_COMMANDS_TOO_MUCH")
    for command in listed:
        if not _COMMAND_RE.fullmatch(str(command.get("command", ""))):
            raise bad_request("BOT_COMMAND_INVALID")
        description = str(command.get("description", "")).strip()
        if not 1 <= len(description) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    return [{"command": c["command"], "description": c["description"]} for c in listed]


def commands_key(scope: Any, language_code: Any) -> tuple[str, str]:
    """Key of FakeTelegram.commands: (scope JSON with sorted keys, language code or "")."""
    scope = as_json(scope) or {"type": "default"}
    return json.dumps(scope, sort_keys=True), str(language_code or "")


def poll_options(params: JsonDict) -> tuple[str, list[str]]:
    """Question and option texts of sendPoll, validated."""
    question = str(params.get("question") or "").strip()
    if not 1 <= utf16_length(question) <= 300:
        raise bad_request("POLL_QUESTION_INVALID")
    options = as_json(params.get("options"))
    if not isinstance(options, list) or not 1 <= len(options) <= 12:
        raise bad_request("POLL_ANSWERS_INVALID")
    texts = [str(o.get("text", "") if isinstance(o, dict) else o).strip() for o in options]
    if not all(1 <= utf16_length(text) <= 100 for text in texts):
        raise bad_request("POLL_OPTION_INVALID")
    return question, texts


def required(params: JsonDict, key: str) -> Any:
    """A required parameter, or Telegram's "<key> is empty" error."""
    value = params.get(key)
    if value is None or value == "":
        raise bad_request(f"{key} is empty")
    return value


def as_int(value: Any, key: str) -> int:
    """An integer parameter (it arrives as a string over some clients)."""
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise ApiError(400, f"Bad Request: invalid {key} specified") from exc
