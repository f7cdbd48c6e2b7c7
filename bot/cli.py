"""The ``innovdeizh`` command: run, console, db upgrade, seed, check-config, qr."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any

from telegram import Bot

from bot import cli_events
from bot.app import build_deps
from bot.config import Config, ConfigError, load_config
from bot.logs import setup_logging
from bot.runner import LeaseLost, serve
from bot.services.catalogue.qr_codes import BadTarget, deep_link, png
from bot.startup import check_database, prepare_database
from storage.db import safe_url
from storage.migrate import upgrade

EXIT_CONFIG = 2
EXIT_LEASE_LOST = 3  # ha mode: the supervisor starts the instance again, as a standby


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit code (2 for a configuration problem)."""
    args = _parser().parse_args(argv)
    try:
        config = load_config()
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    if args.command == "qr":
        bot = args.bot or asyncio.run(_bot_username(config))
        return _qr(args.target, bot, args.out, config)
    if args.command == "events":
        return cli_events.run(args, config)
    quiet = args.command == "console" or (args.command == "run" and not config.has_token)
    setup_logging(config.telegram.token, logging.WARNING if quiet else logging.INFO)
    action = _ACTIONS[args.command if args.command != "db" else "db upgrade"]
    code = 0
    try:
        if args.command == "run" and config.has_token:
            code = _serve(config)
        else:
            asyncio.run(action(config))
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 130
    return code


def _serve(config: Config) -> int:
    try:
        serve(config)  # the runner owns the event loop
    except LeaseLost as exc:
        print(f"lease lost while leading ({exc}): stopped", file=sys.stderr)
        return EXIT_LEASE_LOST
    return 0


async def _console(config: Config) -> None:
    # Imported here: the console's Bot API double (and tornado) is not needed to serve Telegram.
    from bot.console.chat import run_console  # noqa: PLC0415

    await run_console(config)


async def _db_upgrade(config: Config) -> None:
    deps = build_deps(config)
    try:
        await check_database(deps)
        await upgrade(deps.engine)
        print("database schema is up to date")
    finally:
        await deps.engine.dispose()


async def _seed(config: Config) -> None:
    deps = build_deps(config)
    try:
        await prepare_database(deps)
        print("seed catalogue imported (existing items left as they are)")
    finally:
        await deps.engine.dispose()


async def _check_config(config: Config) -> None:
    deps = build_deps(config)
    try:
        await check_database(deps)
    finally:
        await deps.engine.dispose()
    mode = config.telegram.mode if config.has_token else "console (no token)"
    print(f"configuration OK: mode {mode}, database {safe_url(config.database.url)}")


# "run" without a token opens the console; with one, main() calls serve() instead.
_ACTIONS: dict[str, Callable[[Config], Coroutine[Any, Any, None]]] = {
    "run": _console,
    "console": _console,
    "db upgrade": _db_upgrade,
    "seed": _seed,
    "check-config": _check_config,
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="innovdeizh", description="Innov'Deizh Telegram bot")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="run the bot (console chat when no token is configured)")
    sub.add_parser("console", help="chat with the bot in this terminal, offline")
    db = sub.add_parser("db", help="database maintenance")
    db.add_subparsers(dest="db_command", required=True).add_parser(
        "upgrade", help="apply migrations"
    )
    sub.add_parser("seed", help="import the seed catalogue (idempotent)")
    sub.add_parser("check-config", help="check the configuration and the database")
    cli_events.add_parser(sub)
    qr = sub.add_parser("qr", help="write the QR code PNG of a card's deep link, for a poster")
    qr.add_argument("target", help="lab-<slug>, innovation-<id> or event-<id>")
    qr.add_argument("--bot", help="the bot's username (default: asked to Telegram)")
    qr.add_argument("--out", help="PNG file to write (default: qr-<target>.png)")
    return parser


def _qr(target: str, bot: str | None, out: str | None, config: Config) -> int:
    """Write the PNG; exit code 2 for a bad or missing target or an unknown bot username."""
    if not bot:
        print("qr: pass --bot <username> (no Telegram token configured)", file=sys.stderr)
        return EXIT_CONFIG
    try:
        link = deep_link(bot, target)
    except BadTarget:
        print(f"qr: {target!r} is not lab-<slug>, innovation-<id> or event-<id>", file=sys.stderr)
        return EXIT_CONFIG
    if not asyncio.run(_card_exists(config, target)):
        print(f"qr: no card {target!r} in the database (nothing written)", file=sys.stderr)
        return EXIT_CONFIG
    path = Path(out or f"qr-{target}.png")
    path.write_bytes(png(link))
    print(f"{path}: QR code of {link}")
    return 0


async def _card_exists(config: Config, target: str) -> bool:
    deps = build_deps(config)
    try:
        await prepare_database(deps)  # migrations and the seed catalogue, as at start-up
        return await deps.catalogue.card_exists(target)
    finally:
        await deps.engine.dispose()


async def _bot_username(config: Config) -> str | None:
    if not config.has_token:
        return None
    async with Bot(config.telegram.token, base_url=config.telegram.base_url) as bot:
        return bot.username


if __name__ == "__main__":
    sys.exit(main())
