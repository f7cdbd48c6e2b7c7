"""``innovdeizh events add|import``: organisers publish gatherings from a terminal.

``add`` takes the fields as options (the date in French, as in the bot: « 13/02 14h »);
``import FILE`` reads a TOML file of ``[[event]]`` tables with the same keys. A running bot
sees the new reminders at its next wake-up (at most 15 minutes later, inside the grace window).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tomllib
from datetime import UTC
from pathlib import Path
from typing import Any

from bot.app import build_deps
from bot.config import Config
from bot.formatting import format_when
from bot.services.french_dates import DateNotUnderstood, parse_french_datetime
from bot.startup import prepare_database
from storage.models import utcnow

KEYS = {"title", "when", "place", "address", "description", "capacity", "yearly", "theme"}
KEYS |= {"reminders"}


def add_parser(sub: Any) -> None:
    """The ``events`` sub-command and its ``add`` and ``import`` actions."""
    events = sub.add_parser("events", help="create gatherings (add one, or import a TOML file)")
    actions = events.add_subparsers(dest="events_command", required=True)
    add = actions.add_parser("add", help="publish one gathering")
    add.add_argument("--title", required=True)
    add.add_argument(
        "--when", required=True, help="« 13/02 14h », « jeudi 13 février 2027 à 9h30 »"
    )
    add.add_argument("--place", default="")
    add.add_argument("--address", default="")
    add.add_argument("--description", default="")
    add.add_argument("--theme", default="")
    add.add_argument("--capacity", type=int)
    add.add_argument("--yearly", action="store_true", help="the gathering comes back every year")
    add.add_argument("--reminders", default="", help="minutes before, e.g. 10080,1440,120")
    imp = actions.add_parser("import", help="publish every [[event]] of a TOML file")
    imp.add_argument("file", type=Path)


def run(args: argparse.Namespace, config: Config) -> int:
    """Publish; exit code 2 when a date or the file is not understood (nothing is created)."""
    if args.events_command == "add":
        items = [{k: v for k, v in vars(args).items() if k in KEYS and v not in (None, "")}]
    else:
        try:
            items = list(tomllib.loads(args.file.read_text(encoding="utf-8")).get("event", []))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            print(f"events import: cannot read {args.file}: {exc}", file=sys.stderr)
            return 2
    return asyncio.run(_publish(items, config))


async def _publish(items: list[dict[str, Any]], config: Config) -> int:
    tz = config.bot.tz
    parsed = []
    for number, item in enumerate(items, 1):
        unknown = set(item) - KEYS
        try:
            if unknown or "title" not in item or "when" not in item:
                raise DateNotUnderstood("fields")
            when = parse_french_datetime(str(item["when"]), utcnow(), tz)
        except DateNotUnderstood as exc:
            print(f"event {number}: not understood ({exc.reason}): {item}", file=sys.stderr)
            return 2
        parsed.append((item, when.astimezone(UTC)))
    deps = build_deps(config)
    try:
        await prepare_database(deps)
        for item, when in parsed:
            offsets = tuple(int(m) for m in str(item.get("reminders", "")).split(",") if m)
            event = await deps.events.create(
                title=str(item["title"]),
                starts_at=when,
                place=str(item.get("place", "")),
                address=str(item.get("address", "")),
                description=str(item.get("description", "")),
                theme=str(item.get("theme", "")),
                capacity=item.get("capacity"),
                repeats_yearly=bool(item.get("yearly", False)),
                reminder_offsets=offsets,
            )
            shown = format_when(when, tz, config.bot.default_language)
            print(f"event {event.id}: {event.title}, {shown}")
    finally:
        await deps.engine.dispose()
    return 0
