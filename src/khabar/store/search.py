"""Full-text search over titles and texts with SQLite FTS5 and BM25.

A query is parsed and bounded by `khabar.store.fts_query` before SQLite sees it: words (each quoted, so
`रूस-यूक्रेन` is a phrase; all must occur), `"phrase"`, `AND`/`OR`/`NOT`, `NEAR(...)`, `prefix*`,
parentheses, `title:`. A malformed or too large one raises `QueryError`; a query interrupted at its
deadline (`KnowledgeBase.deadline`) raises `sqlite3.OperationalError("interrupted")` to the caller.

Snippets are HTML-safe: the text is HTML-escaped and each hit is wrapped in `<mark>...</mark>`.
"""

from __future__ import annotations

import html
import sqlite3
from collections.abc import Sequence
from datetime import date
from typing import Any

from khabar.errors import QueryError
from khabar.store import fts_query
from khabar.store.fts_query import DEFAULT_BOUNDS, QueryBounds

# BM25 column weights (title, lead, text): as in news search engines, a hit in the headline or the
# lead (first sentences) says the article is about the term; a passing mention in the body counts less.
TITLE_WEIGHT = 4.0
LEAD_WEIGHT = 2.0
TEXT_WEIGHT = 1.0
# Tokens of context in a snippet (FTS5 allows at most 64).
SNIPPET_TOKENS = 24
_OPEN, _CLOSE = "\x02", "\x03"


def prepare_query(query: str, bounds: QueryBounds = DEFAULT_BOUNDS) -> str:
    """The FTS5 expression for a user query (parsed and bounded by `khabar.store.fts_query`); raises
    QueryError on an empty, malformed or too large one."""
    return fts_query.prepare_query(query, bounds)


def check_date(value: str | None, name: str) -> str | None:
    """A YYYY-MM-DD filter value, or QueryError."""
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise QueryError(f"{name} must be a date as YYYY-MM-DD, got {value!r}") from None


def render_snippet(raw: str) -> str:
    """HTML-escape an FTS5 snippet and turn its hit markers into <mark> elements."""
    return html.escape(raw, quote=False).replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>")


# OperationalError messages that are faults of the database, not of the user's query.
_DATABASE_FAULTS = (
    "locked",
    "disk",
    "no such table",
    "readonly",
    "corrupt",
    "out of memory",
    "unable to open",
    "interrupted",
)


def _where(
    query: str,
    entity_ids: Sequence[str] | None,
    date_from: str | None,
    date_to: str | None,
) -> tuple[str, list[Any]] | None:
    """The WHERE clause and parameters of a search (None when the entity filter matches nothing)."""
    where = ["articles_fts MATCH ?"]
    params: list[Any] = [prepare_query(query)]
    start, end = check_date(date_from, "from"), check_date(date_to, "to")
    if start:
        where.append("a.published >= ?")
        params.append(start)
    if end:
        where.append("a.published <= ?")
        params.append(end)
    if entity_ids is not None:
        if not entity_ids:
            return None
        marks = ",".join("?" * len(entity_ids))
        where.append(f"a.id IN (SELECT article_id FROM article_entities WHERE entity_id IN ({marks}))")
        params.extend(entity_ids)
    return " AND ".join(where), params


def _run(conn: sqlite3.Connection, query: str, sql: str, params: list[Any]) -> list[Any]:
    try:
        return conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:
        message = str(exc)
        if any(word in message for word in _DATABASE_FAULTS):
            raise
        raise QueryError(
            f"malformed search query {query!r}: {message}; put words with - or : in double quotes"
        ) from None


def search_articles(
    conn: sqlite3.Connection,
    query: str,
    *,
    entity_ids: Sequence[str] | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Articles matching `query`, best BM25 first: id, headline, title, source, published, score,
    snippet.

    `entity_ids` restricts to articles mentioning any of those KB entities (an empty list matches
    nothing); dates filter on the publication date (inclusive).
    """
    if limit < 0 or offset < 0:
        raise QueryError("limit and offset must not be negative")
    found = _where(query, entity_ids, date_from, date_to)
    if found is None:
        return []
    where, params = found
    sql = (
        f"SELECT a.id, a.headline, a.title, a.source, a.published, "
        f"bm25(articles_fts, {TITLE_WEIGHT}, {LEAD_WEIGHT}, {TEXT_WEIGHT}) AS rank, "
        f"snippet(articles_fts, 2, '{_OPEN}', '{_CLOSE}', '…', {SNIPPET_TOKENS}) "
        f"FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
        f"WHERE {where} ORDER BY rank, a.id LIMIT ? OFFSET ?"
    )
    rows = _run(conn, query, sql, [*params, limit, offset])
    return [
        {
            "id": r[0],
            "headline": r[1],
            "title": r[2],
            "source": r[3],
            "published": r[4],
            "score": float(f"{-float(r[5]):.6g}"),
            "snippet": render_snippet(r[6] or ""),
        }
        for r in rows
    ]


def count_articles(
    conn: sqlite3.Connection,
    query: str,
    *,
    entity_ids: Sequence[str] | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
) -> int:
    """How many articles match `query` with these filters (every page of `search_articles`)."""
    found = _where(query, entity_ids, date_from, date_to)
    if found is None:
        return 0
    where, params = found
    sql = f"SELECT count(*) FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid WHERE {where}"
    return int(_run(conn, query, sql, params)[0][0])
