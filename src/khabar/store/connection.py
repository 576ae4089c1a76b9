"""Open a knowledge base: connections (read-only or migrated), schema migrations, and settling the
write-ahead log so the file stands alone."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from khabar.article import headline
from khabar.errors import KhabarError
from khabar.store import search_index
from khabar.store.schema import MIGRATIONS, SCHEMA_VERSION


def utc_now() -> str:
    """The current UTC time, ISO 8601 to the second (the time stamps of every table)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def connect(path: str | Path, readonly: bool = False) -> sqlite3.Connection:
    """A connection in autocommit mode (explicit transactions); a writable one is migrated first.

    `readonly` opens the file with `mode=ro` (it must exist); such a connection can never write.
    """
    path = Path(path)
    if path.is_dir():
        raise KhabarError(f"{path}: is a folder, not a knowledge base file")
    if readonly and not path.is_file():
        raise KhabarError(f"{path}: no such knowledge base (create it with khabar ingest)")
    if not readonly and path.parent and not path.parent.exists():
        raise KhabarError(f"{path}: folder {path.parent} does not exist")
    try:
        if readonly:
            conn = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None, check_same_thread=False
            )
        else:
            conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=30)
    except sqlite3.Error as exc:
        raise KhabarError(f"{path}: cannot open ({exc})") from None
    try:
        if not readonly:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
        version = schema_version(conn)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise KhabarError(f"{path}: not a khabar knowledge base ({exc})") from None
    if version > SCHEMA_VERSION:
        conn.close()
        raise KhabarError(f"{path}: schema version {version} is newer than this khabar ({SCHEMA_VERSION})")
    if readonly:
        if version < SCHEMA_VERSION:
            conn.close()
            raise KhabarError(
                f"{path}: schema version {version} is older than {SCHEMA_VERSION}; "
                "open it once for writing (khabar ingest) to migrate"
            )
        if not search_index.is_current(conn):
            built = search_index.built_by(conn)
            conn.close()
            raise KhabarError(
                f"{path}: its search index was built by search analyzer version {built}, this khabar's "
                f"is {search_index.analyzer_version()}; open it once for writing (khabar reclean --db "
                f"{path}) to rebuild the index"
            )
    else:
        migrate(conn)
        # A search index built by another analyzer version (or none, right after migration 4).
        search_index.ensure_current(conn)
    return conn


def settle(conn: sqlite3.Connection) -> None:
    """Fold the write-ahead log into the file and leave WAL mode, so the knowledge base is one file
    that read-only users (sqlite3, datasette, `khabar serve`) open without creating side files.
    When another connection has it open, it stays in WAL mode (nothing is lost either way)."""
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.OperationalError:
        pass


def schema_version(conn: sqlite3.Connection) -> int:
    """The database's schema version (0 for a new, empty database)."""
    row = conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name='schema_version'"
    ).fetchone()
    if row is None:
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if tables:
            raise sqlite3.DatabaseError("it has tables but no schema_version table")
        return 0
    got = conn.execute("SELECT max(version) FROM schema_version").fetchone()[0]
    return int(got or 0)


def migrate(conn: sqlite3.Connection) -> int:
    """Apply pending migrations, each in its own transaction; returns the new version."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at TEXT NOT NULL)"
    )
    current = schema_version(conn)
    for version, script in MIGRATIONS:
        if version <= current:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in split_statements(script):
                conn.execute(statement)
            if version in POST_MIGRATION:
                POST_MIGRATION[version](conn)
            conn.execute(
                "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)", (version, utc_now())
            )
            conn.execute(f"PRAGMA user_version = {int(version)}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        current = version
    return current


def fill_headlines(conn: sqlite3.Connection) -> None:
    """Migration 3's Python part: `articles.headline` of every untitled article from its first
    sentence (`article.headline`, the rule every output uses)."""
    rows = conn.execute(
        "SELECT a.id, a.text, x.analysis FROM articles a JOIN article_analysis x ON x.article_id = a.id "
        "WHERE a.title IS NULL OR trim(a.title) = ''"
    ).fetchall()
    for aid, text, analysis in rows:
        sentences = json.loads(analysis).get("sentences") or []
        first = text[sentences[0]["start"] : sentences[0]["end"]] if sentences else text.split("\n", 1)[0]
        conn.execute("UPDATE articles SET headline = ? WHERE id = ?", (headline(None, first), aid))


# Python steps run right after a migration's SQL, in its transaction.
POST_MIGRATION = {3: fill_headlines}


def split_statements(script: str) -> list[str]:
    """Split a migration script into statements (no `;` appears inside our statements)."""
    out, buf = [], ""
    for part in script.split(";"):
        buf += part
        if sqlite3.complete_statement(buf + ";"):
            if buf.strip():
                out.append(buf.strip())
            buf = ""
        else:
            buf += ";"
    return out
