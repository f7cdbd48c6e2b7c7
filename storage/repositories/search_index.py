"""The full-text index of labs, approved innovations, events and FAQ entries, kept by triggers.

One document per item; its id is ``item id * 4 + kind`` so an update finds its document by
primary key. Triggers on the source tables keep it in step whoever writes (seed, moderation,
admin edits). Both databases fold text as ``storage.folding.fold`` does (a test checks every
letter it covers): SQLite, an FTS5 table whose ``unicode61 remove_diacritics 2`` tokenizer
lowers case and drops accents, with prefix indexes, after the letters it cannot fold (« œ »,
« ß », « ﬁ »…) are spelled out; the title is stored as written, for display, and indexed in
``words``. PostgreSQL: a ``tsvector`` column with a GIN index, ``simple`` configuration on text
folded by ``search_fold()`` (no extension needed).
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

from storage.folding import spelled_out

KINDS = ("lab", "innovation", "event", "faq")  # position = kind code in the document id

# (table, kind code, title SQL, body SQL, condition for being indexed); columns of NEW/OLD rows.
_SOURCES = (
    ("labs", 0, "{r}.title", "{r}.theme || ' ' || {r}.outcome", "1 = 1"),
    (
        "innovations",
        1,
        "{r}.title",
        "{r}.theme || ' ' || {r}.summary || ' ' || {r}.organisation || ' ' || {r}.commune",
        "{r}.status = 'approved'",
    ),
    (
        "events",
        2,
        "{r}.title",
        "{r}.description || ' ' || {r}.place || ' ' || {r}.commune",
        "1 = 1",
    ),
    ("faq_entries", 3, "{r}.question", "{r}.phrasings || ' ' || {r}.answer", "1 = 1"),
)


def _spelled(sql: str) -> str:
    """``sql`` with the letters no tokenizer folds replaced by what ``fold`` makes of them."""
    for letter, plain in spelled_out().items():
        sql = f"replace({sql}, '{letter}', '{plain}')"
    return sql


# fold() step by step: lower case, letters spelled out, decomposed, marks dropped. lower() is
# applied again last: under the C ctype the first leaves non-ASCII capitals alone, and their
# decomposition makes them ASCII capitals.
_MARKS = "'[\\u0300-\\u036f]'"
_PG_FOLD = f"""
CREATE OR REPLACE FUNCTION search_fold(t text) RETURNS text AS $$
  SELECT lower(regexp_replace(normalize({_spelled("lower(t)")}, NFKD), {_MARKS}, '', 'g'))
$$ LANGUAGE sql IMMUTABLE
"""


def install(connection: Connection) -> None:
    """Create the index, its triggers, and fill it from the current rows (idempotent)."""
    if connection.dialect.name == "sqlite":
        _install_sqlite(connection)
    else:
        _install_postgresql(connection)


def uninstall(connection: Connection) -> None:
    """Drop the index and its triggers."""
    on_pg = connection.dialect.name != "sqlite"
    for table, *_ in _SOURCES:
        for suffix in ("ai", "au", "ad"):
            on_table = f" ON {table}" if on_pg else ""
            connection.execute(text(f"DROP TRIGGER IF EXISTS search_{table}_{suffix}{on_table}"))
    if connection.dialect.name == "sqlite":
        connection.execute(text("DROP TABLE IF EXISTS search_vocab"))
        connection.execute(text("DROP TABLE IF EXISTS search_fts"))
    else:
        for table, *_ in _SOURCES:
            connection.execute(text(f"DROP FUNCTION IF EXISTS search_sync_{table}()"))
        connection.execute(text("DROP TABLE IF EXISTS search_documents"))
        connection.execute(text("DROP FUNCTION IF EXISTS search_fold(text)"))


def is_installed(connection: Connection) -> bool:
    """Whether every trigger is there (a table rebuilt by a later migration loses its own)."""
    if connection.dialect.name == "sqlite":
        query = "SELECT count(*) FROM sqlite_master WHERE type='trigger' AND name LIKE 'search_%'"
    else:
        query = "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'search_%'"
    return int(connection.execute(text(query)).scalar_one()) == 3 * len(_SOURCES)


def _install_sqlite(connection: Connection) -> None:
    connection.execute(
        text(
            "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(title UNINDEXED, words, "
            "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4')"
        )
    )
    connection.execute(
        text("CREATE VIRTUAL TABLE IF NOT EXISTS search_vocab USING fts5vocab(search_fts, 'row')")
    )
    connection.execute(text("DELETE FROM search_fts"))
    for table, code, title, body, when in _SOURCES:
        new_words = _spelled(f"{title} || ' ' || {body}".format(r="new"))
        insert = (
            f"INSERT INTO search_fts(rowid, title, words) SELECT new.id * 4 + {code}, "
            f"{title.format(r='new')}, {new_words} WHERE {when.format(r='new')};"
        )
        delete = f"DELETE FROM search_fts WHERE rowid = old.id * 4 + {code};"
        triggers = {
            "ai": f"AFTER INSERT ON {table} BEGIN {insert} END",
            "au": f"AFTER UPDATE ON {table} BEGIN {delete} {insert} END",
            "ad": f"AFTER DELETE ON {table} BEGIN {delete} END",
        }
        for suffix, body_sql in triggers.items():
            connection.execute(text(f"DROP TRIGGER IF EXISTS search_{table}_{suffix}"))
            connection.execute(text(f"CREATE TRIGGER search_{table}_{suffix} {body_sql}"))
        words = _spelled(f"{title} || ' ' || {body}".format(r=table))
        connection.execute(
            text(
                f"INSERT INTO search_fts(rowid, title, words) SELECT id * 4 + {code}, "
                f"{title.format(r=table)}, {words} FROM {table} WHERE {when.format(r=table)}"
            )
        )


def _install_postgresql(connection: Connection) -> None:
    connection.execute(text(_PG_FOLD))
    connection.execute(
        text(
            "CREATE TABLE IF NOT EXISTS search_documents (id bigint PRIMARY KEY, "
            "title text NOT NULL, body text NOT NULL, tsv tsvector NOT NULL)"
        )
    )
    connection.execute(
        text(
            "CREATE INDEX IF NOT EXISTS ix_search_documents_tsv "
            "ON search_documents USING gin (tsv)"
        )
    )
    connection.execute(text("DELETE FROM search_documents"))
    vector = (
        "setweight(to_tsvector('simple', search_fold({t})), 'A') || "
        "setweight(to_tsvector('simple', search_fold({b})), 'B')"
    )
    for table, code, title, body, when in _SOURCES:
        new_title, new_body = title.format(r="NEW"), body.format(r="NEW")
        connection.execute(
            text(
                f"""
CREATE OR REPLACE FUNCTION search_sync_{table}() RETURNS trigger AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    DELETE FROM search_documents WHERE id = OLD.id * 4 + {code};
  END IF;
  IF TG_OP <> 'DELETE' AND {when.format(r="NEW")} THEN
    INSERT INTO search_documents (id, title, body, tsv) VALUES (NEW.id * 4 + {code},
      {new_title}, {new_body}, {vector.format(t=new_title, b=new_body)});
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql
"""
            )
        )
        for suffix, event in (("ai", "INSERT"), ("au", "UPDATE"), ("ad", "DELETE")):
            connection.execute(text(f"DROP TRIGGER IF EXISTS search_{table}_{suffix} ON {table}"))
            connection.execute(
                text(
                    f"CREATE TRIGGER search_{table}_{suffix} AFTER {event} ON {table} "
                    f"FOR EACH ROW EXECUTE FUNCTION search_sync_{table}()"
                )
            )
        src_title, src_body = title.format(r=table), body.format(r=table)
        connection.execute(
            text(
                f"INSERT INTO search_documents (id, title, body, tsv) SELECT id * 4 + {code}, "
                f"{src_title}, {src_body}, {vector.format(t=src_title, b=src_body)} "
                f"FROM {table} WHERE {when.format(r=table)}"
            )
        )
