"""``innovdeizh export innovations`` and ``innovdeizh import innovations``: the open-data files
from a terminal, and back.

``export`` writes the file the web server serves (stdout without FILE). ``import`` prints what
the file would add, update or refuse and why, then writes it unless ``--dry-run``. Exit codes:
0 done, 1 some items were refused (the others are written), 2 the file or format is unusable.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from bot.app import build_deps
from bot.config import Config
from bot.services.open_data.formats import Format, UnreadableFile
from bot.services.open_data.matching import Action
from bot.services.open_data.service import ImportReport
from bot.startup import prepare_database

FORMATS = [fmt.value for fmt in Format]


def add_parsers(sub: Any) -> None:
    """The ``export innovations`` and ``import innovations`` sub-commands."""
    export = sub.add_parser("export", help="write an open-data file of the published catalogue")
    what = export.add_subparsers(dest="what", required=True)
    out = what.add_parser("innovations", help="the published innovations")
    out.add_argument("--format", choices=FORMATS, help="default: from FILE's extension")
    out.add_argument("file", nargs="?", type=Path, help="default: standard output")
    imp = sub.add_parser("import", help="add or update catalogue items from an open-data file")
    what = imp.add_subparsers(dest="what", required=True)
    into = what.add_parser("innovations", help="innovations, reported then written")
    into.add_argument("file", type=Path)
    into.add_argument("--format", choices=FORMATS, help="default: from FILE's extension")
    into.add_argument("--dry-run", action="store_true", help="report only, write nothing")


def run(args: argparse.Namespace, config: Config) -> int:
    """Export or import; the exit code."""
    fmt = _format(args.format, args.file)
    if fmt is None:
        print(
            f"{args.command}: pass --format {'|'.join(FORMATS)} (or a FILE ending in one)",
            file=sys.stderr,
        )
        return 2
    if args.command == "export":
        return asyncio.run(_export(config, fmt, args.file))
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        print(f"import: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    return asyncio.run(_import(config, fmt, data, args.file, args.dry_run))


def _format(given: str | None, file: Path | None) -> Format | None:
    if given is not None:
        return Format(given)
    suffix = file.suffix.lstrip(".").lower() if file is not None else ""
    return Format(suffix) if suffix in FORMATS else None


async def _export(config: Config, fmt: Format, file: Path | None) -> int:
    deps = build_deps(config)
    try:
        await prepare_database(deps)
        body = await deps.open_data.export(fmt)
    finally:
        await deps.engine.dispose()
    if file is None:
        sys.stdout.buffer.write(body)
        sys.stdout.flush()
    else:
        await asyncio.to_thread(file.write_bytes, body)
        print(f"{file}: {len(body):,} bytes ({fmt.value})", file=sys.stderr)
    return 0


async def _import(config: Config, fmt: Format, data: bytes, file: Path, dry_run: bool) -> int:
    deps = build_deps(config)
    try:
        await prepare_database(deps)
        report = await deps.open_data.import_file(fmt, data, dry_run=dry_run)
    except UnreadableFile as exc:
        print(f"import: {file} is not a {fmt.value} file we can read: {exc}", file=sys.stderr)
        return 2
    finally:
        await deps.engine.dispose()
    print(_report(report, dry_run))
    return 1 if report.count(Action.REJECTED) else 0


def _report(report: ImportReport, dry_run: bool) -> str:
    """One line per item that changes or is refused, then the counts."""
    out = []
    for line in report.lines:
        if line.action is Action.UNCHANGED:
            continue
        target = f" (#{line.innovation_id})" if line.innovation_id is not None else ""
        detail = f": {line.detail}" if line.detail else ""
        name = f"« {line.title} »" if line.title else "(no title)"
        out.append(f"{line.action.value:<9} {line.where}: {name}{target}{detail}")
    counts = {action: report.count(action) for action in Action}
    if dry_run:
        words = ("to add", "to update", "unchanged", "rejected")
    else:
        words = ("added", "updated", "unchanged", "rejected")
    summary = ", ".join(f"{counts[a]} {w}" for a, w in zip(Action, words, strict=True))
    if report.changes_nothing:
        summary += " — nothing to change"
    elif dry_run:
        summary += " — dry run, nothing written"
    out.append(summary)
    return "\n".join(out)
