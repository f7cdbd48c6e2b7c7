"""Apply Alembic migrations from code (at start-up and by ``innovdeizh db upgrade``).

Alembic says which revisions are the heads (``ScriptDirectory.get_heads``), but importing
Alembic at every start does not fit the start-up budget. With ``python -m bench.updates``
(medians of 3 runs), asking ``ScriptDirectory`` and ``MigrationContext`` at each start raised
idle RSS from 84.6 to 92.6 MiB (budget 90) and start-up from 0.69 to 0.81 s. Importing any
``alembic`` module loads the whole package: operations, autogenerate, every dialect's DDL
(PostgreSQL's included), Mako and Pygments.

So Alembic's answer is cached. ``expected_heads`` keeps the head ids in
``migrations/__pycache__/heads.json``, keyed on a SHA-256 of the names and contents of
``versions/*.py``. It hashes the contents rather than checking mtimes because wheels can carry
fixed timestamps, and hashing a few small files costs well under a millisecond. When the
migration files are unchanged, a start reads the cache and compares it with ``alembic_version``
in one query (``database_heads``, the table ``MigrationContext.get_current_heads`` reads),
and Alembic is not imported. Any change to a migration file changes the key, and that start
asks Alembic again. Measured the same way, with a warm cache, idle RSS stays at 84.5 MiB and
start-up does not change measurably.

The first start after a migration file changes, or after a fresh install, still imports
Alembic and keeps it loaded (92.6 MiB for that process), just as a start that upgrades always
has. If the cache cannot be written (read-only install), every start asks Alembic: still
correct, only heavier. In that case, warm the cache while building the image with
``python -c "from storage.migrate import expected_heads; expected_heads()"``. Anything but an
exact match runs ``upgrade heads``. Tests check that the cache and the query agree with Alembic.
"""

from __future__ import annotations

import hashlib
import json
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig

MIGRATIONS = Path(__file__).with_name("migrations")
HEADS_CACHE = Path("__pycache__", "heads.json")  # relative to the migrations folder


def alembic_config(
    connection: Connection | None = None, migrations: Path = MIGRATIONS
) -> AlembicConfig:
    """Alembic's configuration on our migrations (on ``connection``, if given)."""
    from alembic.config import Config as AlembicConfig  # noqa: PLC0415 (see module docstring)

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(migrations))
    cfg.attributes["connection"] = connection
    return cfg


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Autogenerate filter: the search index (FTS5 tables, tsvector table and their indexes) is
    built by ``storage.repositories.search_index``, not declared as models, so leave it alone."""
    table = getattr(obj, "table", obj) if type_ in {"index", "column"} else obj
    table_name = getattr(table, "name", name) or ""
    return not (reflected and compare_to is None and str(table_name).startswith("search_"))


def script_heads(migrations: Path = MIGRATIONS) -> frozenset[str]:
    """Alembic's answer: the revisions no other migration builds on (imports Alembic)."""
    from alembic.script import ScriptDirectory  # noqa: PLC0415 (see module docstring)

    script = ScriptDirectory.from_config(alembic_config(migrations=migrations))
    return frozenset(script.get_heads())


def known_revisions(migrations: Path = MIGRATIONS) -> frozenset[str]:
    """Every revision of our migrations (imports Alembic): a database at one of them can be
    brought to the newest schema."""
    from alembic.script import ScriptDirectory  # noqa: PLC0415 (see module docstring)

    script = ScriptDirectory.from_config(alembic_config(migrations=migrations))
    return frozenset(revision.revision for revision in script.walk_revisions())


def expected_heads(migrations: Path = MIGRATIONS) -> frozenset[str]:
    """``script_heads``, read from the cache while the migration files are unchanged."""
    key = versions_fingerprint(migrations)
    cache = migrations / HEADS_CACHE
    try:
        saved = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        saved = None
    if isinstance(saved, dict) and saved.get("key") == key:
        heads = saved.get("heads")
        if isinstance(heads, list) and all(isinstance(head, str) for head in heads):
            return frozenset(heads)
    fresh = script_heads(migrations)
    _save(cache, {"key": key, "heads": sorted(fresh)})
    return fresh


def versions_fingerprint(migrations: Path = MIGRATIONS) -> str:
    """SHA-256 of the names and contents of the migration files."""
    digest = hashlib.sha256()
    for path in sorted((migrations / "versions").glob("*.py")):
        source = path.read_bytes()
        digest.update(f"{path.name}\0{len(source)}\0".encode())
        digest.update(source)
    return digest.hexdigest()


def _save(cache: Path, content: dict[str, object]) -> None:
    # Written aside then renamed: instances starting together never read half a file.
    partial = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
    try:
        cache.parent.mkdir(exist_ok=True)
        partial.write_text(json.dumps(content), encoding="utf-8")
        partial.replace(cache)
    except OSError:
        partial.unlink(missing_ok=True)  # read-only install: Alembic is asked at every start


def database_heads(connection: Connection) -> frozenset[str]:
    """What ``MigrationContext.get_current_heads()`` returns, read without importing Alembic."""
    if not inspect(connection).has_table("alembic_version"):
        return frozenset()
    rows = connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
    return frozenset(rows)


async def upgrade(engine: AsyncEngine) -> None:
    """Bring the database to the newest schema; cheap when it is already there."""
    async with engine.begin() as conn:
        if await conn.run_sync(_is_current):
            return
        await conn.run_sync(_upgrade)


def _is_current(connection: Connection) -> bool:
    return database_heads(connection) == expected_heads()


def _upgrade(connection: Connection) -> None:
    from alembic import command  # noqa: PLC0415 (see module docstring)

    command.upgrade(alembic_config(connection), "heads")


def configured_url(default: str | None, env: Mapping[str, str] = os.environ) -> str:
    """The database the ``alembic`` command works on: the bot's, read as ``bot.config`` does.

    That is ``INNOVDEIZH_DATABASE_URL``, then ``[database] url`` in the configuration file
    (``INNOVDEIZH_CONFIG``, by default ``config.toml``), then ``default`` (alembic.ini's).
    """
    if url := env.get("INNOVDEIZH_DATABASE_URL"):
        return url
    path = Path(env.get("INNOVDEIZH_CONFIG", "config.toml"))
    if path.is_file():
        database = tomllib.loads(path.read_text(encoding="utf-8")).get("database", {})
        url = database.get("url") if isinstance(database, dict) else None
        if isinstance(url, str) and url:
            return url
    elif "INNOVDEIZH_CONFIG" in env:
        raise FileNotFoundError(f"INNOVDEIZH_CONFIG: file not found: {path}")
    if not default:
        raise RuntimeError("no database URL: set INNOVDEIZH_DATABASE_URL or sqlalchemy.url")
    return default
