"""A double of the Telegram Bot API, in-process, for the console chat (tests build on it)."""

from bot.texts import utf16_length

from .html_text import HtmlParseError, ParsedText, parse_html
from .inprocess import InProcessBotApi
from .members import SAMPLE_PNG
from .records import ApiCall, Upload
from .state import FakeTelegram
from .store import FloodControl
from .validation import commands_key

__all__ = [
    "SAMPLE_PNG",
    "ApiCall",
    "FakeTelegram",
    "FloodControl",
    "HtmlParseError",
    "InProcessBotApi",
    "ParsedText",
    "Upload",
    "commands_key",
    "parse_html",
    "utf16_length",
]
