"""Configuration: a TOML file read into frozen dataclasses, checked once at start-up.

Environment variables override the file: ``INNOVDEIZH_CONFIG`` (path of the file),
``INNOVDEIZH_TOKEN``, ``INNOVDEIZH_BASE_URL`` and ``INNOVDEIZH_DATABASE_URL``.
Every problem is reported as a :class:`ConfigError` naming the key; the token never appears in it.
"""

from __future__ import annotations

import os
import re
import socket
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.languages import CODES as LANGUAGES

DEFAULT_CONFIG_PATH = Path("config.toml")
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/innovdeizh.sqlite3"
DEFAULT_BASE_URL = "https://api.telegram.org/bot"
# Telegram tokens are "<bot id>:<secret>"; the secret is letters, digits, '-' and '_'.
TOKEN_PATTERN = re.compile(r"^[0-9]{1,20}:[A-Za-z0-9_-]{1,100}$")


class ConfigError(Exception):
    """A bad configuration value; ``str()`` is one line naming the key."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(f"{key}: {problem}")
        self.key = key


@dataclass(frozen=True)
class WebhookConfig:
    url: str = ""
    listen: str = "127.0.0.1"
    port: int = 8443
    path: str = "telegram"
    secret_token: str = ""


@dataclass(frozen=True)
class TelegramConfig:
    token: str = ""
    base_url: str = DEFAULT_BASE_URL
    mode: str = "polling"
    webhook: WebhookConfig = field(default_factory=WebhookConfig)


@dataclass(frozen=True)
class DatabaseConfig:
    url: str = DEFAULT_DATABASE_URL


@dataclass(frozen=True)
class IntakeConfig:
    """The journal of received updates (bot/intake.py)."""

    keep_done_days: int = 7
    stuck_after_seconds: int = 300


@dataclass(frozen=True)
class BotConfig:
    timezone: str = "Europe/Paris"
    default_language: str = "fr"
    admin_ids: tuple[int, ...] = ()
    moderator_ids: tuple[int, ...] = ()
    moderators_chat_id: int = 0

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class PrivacyConfig:
    """Who answers for members' data (RGPD art. 13): named in /confidentialite."""

    controller: str = "Innov'Deizh"
    address: str = ""
    contact: str = ""


@dataclass(frozen=True)
class NetworkingConfig:
    # Introductions a member may have waiting for an answer at once.
    max_pending_requests: int = 5


@dataclass(frozen=True)
class DeploymentConfig:
    """single: SQLite or PostgreSQL, one process. ha: PostgreSQL, two or more instances, one
    leader at a time holding the lease row (``storage/models/leadership.py``)."""

    mode: str = "single"
    # This instance's name in the lease and the logs (default: host name and process id).
    instance: str = ""
    # A leader that has not renewed its lease for this long is replaced.
    lease_seconds: int = 10
    renew_seconds: int = 2


@dataclass(frozen=True)
class HttpConfig:
    """The bot's one web server: in webhook mode it is the webhook's (telegram.webhook.listen
    and port); in polling mode it runs when ``enabled``. It serves health, metrics, open data
    and calendar feeds."""

    enabled: bool = False
    listen: str = "127.0.0.1"
    port: int = 8080
    # Public address of that server as members reach it (calendar links); empty: none given.
    public_url: str = ""


@dataclass(frozen=True)
class OpenDataConfig:
    """Licence and attribution written into every open-data file."""

    licence: str = "ODbL-1.0"
    licence_url: str = "https://opendatacommons.org/licenses/odbl/1-0/"
    attribution: str = "Innov'Deizh — réseau breton de l'ESS"


@dataclass(frozen=True)
class Config:
    telegram: TelegramConfig = field(default_factory=TelegramConfig)
    database: DatabaseConfig = field(default_factory=DatabaseConfig)
    bot: BotConfig = field(default_factory=BotConfig)
    privacy: PrivacyConfig = field(default_factory=PrivacyConfig)
    intake: IntakeConfig = field(default_factory=IntakeConfig)
    networking: NetworkingConfig = field(default_factory=NetworkingConfig)
    deployment: DeploymentConfig = field(default_factory=DeploymentConfig)
    http: HttpConfig = field(default_factory=HttpConfig)
    open_data: OpenDataConfig = field(default_factory=OpenDataConfig)

    @property
    def has_token(self) -> bool:
        return bool(self.telegram.token)


def load_config(path: Path | None = None, env: Mapping[str, str] | None = None) -> Config:
    """Read the file (if it exists), apply environment overrides and check every value."""
    env = os.environ if env is None else env
    explicit = path is not None or "INNOVDEIZH_CONFIG" in env
    path = path or Path(env.get("INNOVDEIZH_CONFIG", str(DEFAULT_CONFIG_PATH)))
    raw: dict[str, Any] = {}
    if path.exists():
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(str(path), f"malformed TOML ({exc})") from None
    elif explicit:
        raise ConfigError("INNOVDEIZH_CONFIG", f"file not found: {path}")
    return parse_config(raw, env)


def parse_config(raw: Mapping[str, Any], env: Mapping[str, str] | None = None) -> Config:
    """Build a checked :class:`Config` from parsed TOML and environment overrides."""
    env = {} if env is None else env
    tables = {"telegram", "database", "bot", "privacy", "intake", "networking"}
    _reject_unknown(raw, tables | {"deployment", "http", "open_data"}, "")
    tg = _table(raw, "telegram")
    _reject_unknown(tg, {"token", "base_url", "mode", "webhook"}, "telegram.")
    wh = _table(tg, "webhook", "telegram.")
    _reject_unknown(wh, {"url", "listen", "port", "path", "secret_token"}, "telegram.webhook.")
    db = _table(raw, "database")
    _reject_unknown(db, {"url"}, "database.")
    bt = _table(raw, "bot")
    known_bot = {
        "timezone",
        "default_language",
        "admin_ids",
        "moderator_ids",
        "moderators_chat_id",
    }
    _reject_unknown(bt, known_bot, "bot.")
    privacy = _privacy(raw)

    token = env.get("INNOVDEIZH_TOKEN") or _str(tg, "token", "telegram.", "")
    token_key = "INNOVDEIZH_TOKEN" if env.get("INNOVDEIZH_TOKEN") else "telegram.token"
    if token and not TOKEN_PATTERN.match(token.strip()):
        raise ConfigError(token_key, "invalid token format (expected <digits>:<letters>)")
    base_url = env.get("INNOVDEIZH_BASE_URL") or _str(
        tg, "base_url", "telegram.", DEFAULT_BASE_URL
    )
    if not base_url.startswith(("http://", "https://")):
        raise ConfigError("telegram.base_url", "must start with http:// or https://")
    mode = _str(tg, "mode", "telegram.", "polling")
    if mode not in {"polling", "webhook"}:
        raise ConfigError("telegram.mode", f"must be 'polling' or 'webhook', not {mode!r}")
    webhook = WebhookConfig(
        url=_str(wh, "url", "telegram.webhook.", ""),
        listen=_str(wh, "listen", "telegram.webhook.", "127.0.0.1"),
        port=_int(wh, "port", "telegram.webhook.", 8443),
        path=_str(wh, "path", "telegram.webhook.", "telegram"),
        secret_token=_str(wh, "secret_token", "telegram.webhook.", ""),
    )
    if mode == "webhook" and not webhook.url:
        raise ConfigError("telegram.webhook.url", "required when telegram.mode = 'webhook'")
    if mode == "webhook" and not webhook.secret_token:
        # Without it anyone who finds the URL can post updates "from" an organiser.
        raise ConfigError(
            "telegram.webhook.secret_token", "required when telegram.mode = 'webhook'"
        )
    if webhook.secret_token and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", webhook.secret_token):
        raise ConfigError("telegram.webhook.secret_token", "1-256 characters of A-Z a-z 0-9 _ -")

    url_key = "INNOVDEIZH_DATABASE_URL" if env.get("INNOVDEIZH_DATABASE_URL") else "database.url"
    db_url = env.get("INNOVDEIZH_DATABASE_URL") or _str(
        db, "url", "database.", DEFAULT_DATABASE_URL
    )
    if not db_url.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
        raise ConfigError(url_key, "must start with sqlite+aiosqlite:// or postgresql+asyncpg://")

    timezone = _str(bt, "timezone", "bot.", "Europe/Paris")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError("bot.timezone", f"unknown time zone {timezone!r}") from None
    language = _str(bt, "default_language", "bot.", "fr")
    if language not in LANGUAGES:
        raise ConfigError("bot.default_language", f"must be one of {', '.join(LANGUAGES)}")
    nw = _table(raw, "networking")
    _reject_unknown(nw, {"max_pending_requests"}, "networking.")
    pending_key = "max_pending_requests"
    max_pending = _int(nw, pending_key, "networking.", 5)
    if not 1 <= max_pending <= 100:
        raise ConfigError(f"networking.{pending_key}", "must be between 1 and 100")
    return Config(
        telegram=TelegramConfig(
            token=token.strip(), base_url=base_url, mode=mode, webhook=webhook
        ),
        database=DatabaseConfig(url=db_url),
        bot=BotConfig(
            timezone=timezone,
            default_language=language,
            admin_ids=_ids(bt, "admin_ids", "bot."),
            moderator_ids=_ids(bt, "moderator_ids", "bot."),
            moderators_chat_id=_int(bt, "moderators_chat_id", "bot.", 0),
        ),
        privacy=privacy,
        intake=_intake(raw),
        networking=NetworkingConfig(max_pending_requests=max_pending),
        deployment=_deployment(raw, db_url),
        http=_http(raw),
        open_data=_open_data(raw),
    )


def _deployment(raw: Mapping[str, Any], db_url: str) -> DeploymentConfig:
    dp = _table(raw, "deployment")
    _reject_unknown(dp, {"mode", "instance", "lease_seconds", "renew_seconds"}, "deployment.")
    mode = _str(dp, "mode", "deployment.", "single")
    if mode not in {"single", "ha"}:
        raise ConfigError("deployment.mode", f"must be 'single' or 'ha', not {mode!r}")
    if mode == "ha" and not db_url.startswith("postgresql"):
        raise ConfigError("deployment.mode", "'ha' needs a postgresql+asyncpg:// database.url")
    instance = _str(dp, "instance", "deployment.", "").strip()
    if len(instance) > 64:
        raise ConfigError("deployment.instance", "at most 64 characters")
    lease = _int(dp, "lease_seconds", "deployment.", 10)
    renew = _int(dp, "renew_seconds", "deployment.", 2)
    if not 1 <= renew < lease <= 300:
        raise ConfigError("deployment.renew_seconds", "need 1 <= renew_seconds < lease_seconds")
    return DeploymentConfig(
        mode=mode,
        instance=instance or f"{socket.gethostname()[:40]}-{os.getpid()}",
        lease_seconds=lease,
        renew_seconds=renew,
    )


def _http(raw: Mapping[str, Any]) -> HttpConfig:
    ht = _table(raw, "http")
    _reject_unknown(ht, {"enabled", "listen", "port", "public_url"}, "http.")
    enabled = ht.get("enabled", False)
    if not isinstance(enabled, bool):
        raise ConfigError("http.enabled", "must be true or false")
    port = _int(ht, "port", "http.", 8080)
    if not 0 <= port <= 65535:
        raise ConfigError("http.port", "must be between 0 and 65535")
    public_url = _str(ht, "public_url", "http.", "").strip().rstrip("/")
    if public_url and not public_url.startswith(("http://", "https://")):
        raise ConfigError("http.public_url", "must start with http:// or https://")
    return HttpConfig(
        enabled=enabled,
        listen=_str(ht, "listen", "http.", "127.0.0.1"),
        port=port,
        public_url=public_url,
    )


def _open_data(raw: Mapping[str, Any]) -> OpenDataConfig:
    od = _table(raw, "open_data")
    _reject_unknown(od, {"licence", "licence_url", "attribution"}, "open_data.")
    defaults = OpenDataConfig()
    return OpenDataConfig(
        licence=_str(od, "licence", "open_data.", defaults.licence).strip(),
        licence_url=_str(od, "licence_url", "open_data.", defaults.licence_url).strip(),
        attribution=_str(od, "attribution", "open_data.", defaults.attribution).strip(),
    )


def _privacy(raw: Mapping[str, Any]) -> PrivacyConfig:
    pv = _table(raw, "privacy")
    _reject_unknown(pv, {"controller", "address", "contact"}, "privacy.")
    privacy = PrivacyConfig(
        controller=_str(pv, "controller", "privacy.", PrivacyConfig.controller).strip(),
        address=_str(pv, "address", "privacy.", "").strip(),
        contact=_str(pv, "contact", "privacy.", "").strip(),
    )
    if not privacy.controller:
        raise ConfigError("privacy.controller", "must name the organisation")
    return privacy


def _intake(raw: Mapping[str, Any]) -> IntakeConfig:
    intake = _table(raw, "intake")
    _reject_unknown(intake, {"keep_done_days", "stuck_after_seconds"}, "intake.")
    keep_done_days = _int(intake, "keep_done_days", "intake.", 7)
    if keep_done_days < 1:
        raise ConfigError("intake.keep_done_days", "must be at least 1")
    stuck_after = _int(intake, "stuck_after_seconds", "intake.", 300)
    if stuck_after < 1:
        raise ConfigError("intake.stuck_after_seconds", "must be at least 1")
    return IntakeConfig(keep_done_days=keep_done_days, stuck_after_seconds=stuck_after)


def _reject_unknown(table: Mapping[str, Any], known: set[str], prefix: str) -> None:
    for key in table:
        if key not in known:
            raise ConfigError(f"{prefix}{key}", "unknown key")


def _table(raw: Mapping[str, Any], key: str, prefix: str = "") -> Mapping[str, Any]:
    value = raw.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{prefix}{key}", "must be a table")
    return value


def _str(table: Mapping[str, Any], key: str, prefix: str, default: str) -> str:
    value = table.get(key, default)
    if not isinstance(value, str):
        raise ConfigError(f"{prefix}{key}", "must be a string")
    return value


def _int(table: Mapping[str, Any], key: str, prefix: str, default: int) -> int:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"{prefix}{key}", "must be an integer")
    return value


def _ids(table: Mapping[str, Any], key: str, prefix: str) -> tuple[int, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in value
    ):
        raise ConfigError(f"{prefix}{key}", "must be a list of Telegram user ids (integers)")
    return tuple(value)
