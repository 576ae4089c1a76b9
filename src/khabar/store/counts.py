"""What khabar counts, defined once (used by the CLI, the API, the pages and the exports).

- a *document* is one ingested input (a file, or a JSONL record, from one source path): the rows
  of `documents`; an exact copy ingested from two paths is two documents of one article;
- an *article* is one stored clean text with its analysis: the rows of `articles`;
- a *story* is a same-story cluster of articles (copies of one story) or an article in no cluster:
  `story_of(alias)`;
- a *duplicate group* is a story with two or more documents (what `khabar duplicates` lists, and
  what ingest, the home page and `stats()["clusters"]` count).

Counts of an entity, a co-mention or a day count stories by default, and give articles and documents
alongside.
"""

from __future__ import annotations

import sqlite3


def story_of(alias: str = "a") -> str:
    """The SQL expression of an `articles` row's story id (its cluster, or its own id)."""
    return f"coalesce({alias}.cluster, {alias}.id)"


def duplicate_groups(conn: sqlite3.Connection) -> int:
    """Stories with two or more documents: clusters, and single articles ingested more than once."""
    clusters = int(conn.execute("SELECT count(*) FROM clusters").fetchone()[0])
    repeated = int(
        conn.execute(
            "SELECT count(*) FROM (SELECT d.article_id FROM documents d JOIN articles a ON a.id = d.article_id "
            "WHERE a.cluster IS NULL GROUP BY d.article_id HAVING count(*) > 1)"
        ).fetchone()[0]
    )
    return clusters + repeated


def corpus_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """{"documents", "articles", "stories", "duplicate_groups"} of the whole knowledge base."""

    def one(sql: str) -> int:
        return int(conn.execute(sql).fetchone()[0] or 0)

    return {
        "documents": one("SELECT count(*) FROM documents"),
        "articles": one("SELECT count(*) FROM articles"),
        "stories": one(f"SELECT count(DISTINCT {story_of('a')}) FROM articles a"),
        "duplicate_groups": duplicate_groups(conn),
    }
