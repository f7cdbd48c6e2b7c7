"""A double of the Telegram Bot API: in-process for speed, or over loopback HTTP."""

from .html_text import HtmlParseError, ParsedText, parse_html, utf16_len
from .inprocess import InProcessBotApi
from .limits import RateLimits
from .members import SAMPLE_PNG
from .records import ApiCall, Upload
from .state import FakeTelegram
from .validation import commands_key

__all__ = [
    "SAMPLE_PNG",
    "ApiCall",
    "FakeTelegram",
    "HtmlParseError",
    "InProcessBotApi",
    "ParsedText",
    "RateLimits",
    "Upload",
    "commands_key",
    "parse_html",
    "utf16_len",
]
