"""Article vectors for meaning search: stored in `article_vectors` (float32, unit length), searched
exactly with numpy.

Why exact numpy search: this Python's sqlite3 has no `enable_load_extension`, so `sqlite-vec` cannot be
loaded; exact search returns the true nearest neighbours and needs no index to keep in step with the
knowledge base. Its cost is one matrix-vector product, memory-bound (150 MB per query at 100,000
articles): bench/bench_search.py measured 61 ms p50 at 100,000 on the loaded project machine. The
matrix is read once per knowledge-base state and re-read when the table changes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from khabar.store import embedder
from khabar.store.search_index import cache_key

# Characters of the article taken into its passage (title + lead + summary): e5-small reads 512 tokens.
PASSAGE_CHARS = 1200
# kb_state key counting changes to article_vectors (migration 5's triggers).
VERSION_KEY = "vectors_version"


@dataclass
class VectorIndex:
    """Article rowids and their unit vectors (one row each)."""

    rowids: np.ndarray
    matrix: np.ndarray

    @property
    def size(self) -> int:
        return int(self.rowids.shape[0])

    def nearest(self, query: np.ndarray, k: int, allowed: set[int] | None = None) -> list[tuple[int, float]]:
        """The `k` most similar articles (rowid, cosine), best first; only `allowed` rowids if given."""
        if self.size == 0:
            return []
        scores = self.matrix @ query.astype(np.float32)
        if allowed is not None:
            mask = np.isin(self.rowids, np.fromiter(allowed, dtype=np.int64, count=len(allowed)))
            scores = np.where(mask, scores, -np.inf)
        k = min(k, self.size)
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.lexsort((self.rowids[top], -scores[top]))]
        return [(int(self.rowids[i]), float(scores[i])) for i in top if np.isfinite(scores[i])]


# Read once per knowledge base state; the last few kept.
_CACHE: dict[tuple[object, ...], VectorIndex] = {}
_CACHE_SIZE = 4


def load_index(conn: sqlite3.Connection) -> VectorIndex:
    """The vectors of the knowledge base (cached per file until the table changes: migration 5's
    triggers count every change in `kb_state`, so checking costs one lookup, not a table scan)."""
    version = conn.execute("SELECT value FROM kb_state WHERE key = ?", (VERSION_KEY,)).fetchone()
    top = conn.execute("SELECT coalesce(max(rowid), 0) FROM article_vectors").fetchone()[0]
    if version is None:  # no change counter (a connection to an unmigrated file): count the rows
        version = conn.execute("SELECT -1 - count(*) FROM article_vectors").fetchone()
    ckey = cache_key(conn, (int(version[0]), int(top)))
    if ckey in _CACHE:
        return _CACHE[ckey]
    rowids: list[int] = []
    blobs: list[bytes] = []
    for rowid, blob in conn.execute("SELECT rowid, vector FROM article_vectors ORDER BY rowid"):
        rowids.append(rowid)
        blobs.append(blob)
    matrix = np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(rowids), embedder.DIM)
    index = VectorIndex(np.asarray(rowids, dtype=np.int64), matrix)
    _remember(ckey, index)
    return index


def passage(title: str | None, lead: str, summary: Iterable[str]) -> str:
    """The text embedded for an article: title, lead and summary sentences (deduplicated)."""
    parts: list[str] = []
    for part in [title or "", lead, *summary]:
        part = part.strip()
        if part and part not in parts and not any(part in p for p in parts):
            parts.append(part)
    return " ".join(parts)[:PASSAGE_CHARS]


def missing(conn: sqlite3.Connection) -> int:
    """The number of articles without a vector of the current model."""
    row = conn.execute(
        "SELECT count(*) FROM articles a LEFT JOIN article_vectors v ON v.rowid = a.rowid AND v.model = ? "
        "WHERE v.rowid IS NULL",
        (embedder.MODEL,),
    ).fetchone()
    return int(row[0])


def embed_missing(
    conn: sqlite3.Connection,
    batch: int = 16,
    progress: Callable[[int], None] | None = None,
    embed: Callable[[list[str]], np.ndarray] | None = None,
) -> int:
    """Embed every article without a vector of the current model, `batch` at a time, each batch in
    its own transaction (an interrupted run keeps what it did); returns the number embedded.
    `progress(n)` is called with the articles done in each batch."""
    embed = embed or embedder.embed_passages
    todo = conn.execute(
        "SELECT a.rowid, a.title, a.lead, x.analysis FROM articles a "
        "LEFT JOIN article_analysis x ON x.article_id = a.id "
        "LEFT JOIN article_vectors v ON v.rowid = a.rowid AND v.model = ? WHERE v.rowid IS NULL "
        "ORDER BY a.rowid",
        (embedder.MODEL,),
    ).fetchall()
    done = 0
    for start in range(0, len(todo), batch):
        rows = todo[start : start + batch]
        texts = [passage(title, lead, _summary(analysis)) for _, title, lead, analysis in rows]
        matrix = embed(texts)
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.executemany(
                "INSERT OR REPLACE INTO article_vectors (rowid, model, vector) VALUES (?, ?, ?)",
                [
                    (row[0], embedder.MODEL, np.asarray(vec, dtype=np.float32).tobytes())
                    for row, vec in zip(rows, matrix, strict=True)
                ],
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        done += len(rows)
        if progress:
            progress(len(rows))
    return done


def _summary(analysis: str | None) -> list[str]:
    import json

    try:
        data = json.loads(analysis or "{}")
    except ValueError:
        return []
    summary = data.get("summary") if isinstance(data, dict) else None
    return [s for s in summary if isinstance(s, str)] if isinstance(summary, list) else []


def _remember(key: tuple[object, ...], value: VectorIndex) -> None:
    while len(_CACHE) >= _CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = value
