"""Apply Alembic migrations from code (at start-up and by ``innovdeizh db upgrade``).

Importing Alembic costs about a quarter of a second and several MiB, so a start on an up-to-date
database does not import it: ``expected_heads`` reads the revision ids from the migration files
(a test checks it agrees with Alembic) and one query compares them with ``alembic_version``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig

MIGRATIONS = Path(__file__).with_name("migrations")
_REVISION = re.compile(r"^revision(?:: str)? = ['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN = re.compile(r"^down_revision(?:: [^=]+)? = (\([^)]*\)|[^\n]+)", re.MULTILINE)


def alembic_config(connection: Connection | None = None) -> AlembicConfig:
    from alembic.config import Config as AlembicConfig  # noqa: PLC0415 (see module docstring)

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
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


def expected_heads() -> frozenset[str]:
    """Revision ids that no other migration builds on."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        revision = _REVISION.search(source)
        if revision is None:
            continue
        revisions.add(revision.group(1))
        down = _DOWN.search(source)
        if down is not None:
            parents.update(re.findall(r"['\"]([^'\"]+)['\"]", down.group(1)))
    return frozenset(revisions - parents)


async def upgrade(engine: AsyncEngine) -> None:
    """Bring the database to the newest schema; cheap when it is already there."""
    async with engine.begin() as conn:
        if await conn.run_sync(_is_current):
            return
        await conn.run_sync(_upgrade)


def _upgrade(connection: Connection) -> None:
    from alembic import command  # noqa: PLC0415 (see module docstring)

    command.upgrade(alembic_config(connection), "heads")


def _is_current(connection: Connection) -> bool:
    if not inspect(connection).has_table("alembic_version"):
        return False
    current = connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
    return frozenset(current) == expected_heads()
