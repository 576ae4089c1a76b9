"""Article vectors for meaning search: stored in `article_vectors` (float32, unit length), searched
exactly with numpy; an HNSW index (usearch) can take unfiltered queries of big knowledge bases.

Why not `sqlite-vec`: this Python's sqlite3 has no `enable_load_extension`, so it cannot be loaded.
Exact search returns the true nearest neighbours and needs no second index; its cost is one
memory-bound matrix-vector product (150 MB of memory read per query at 100,000 articles, from the matrix
kept per process, not from SQLite). With ANN_MIN_VECTORS
set (off by default: see there), an in-memory usearch HNSW index (cosine, float32) answers unfiltered
queries from that many vectors on: it is built in a background thread from the matrix (exact search
answers until it is ready) and, when a new state of the table only adds vectors, the previous index is
copied and extended rather than rebuilt. Filtered queries (dates, source, entity) stay exact over the
allowed rows only. The matrix is read once per knowledge-base state and re-read when the table changes;
a new process maps it from the vector file next to the database when that is in step
(`khabar.store.vector_file`), instead of reading every vector out of SQLite.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from khabar.store import embedder, vector_file
from khabar.store.search_index import cache_key

# Characters of the article taken into its passage (title + lead + summary): e5-small reads 512 tokens.
PASSAGE_CHARS = 1200
# kb_state key counting changes to article_vectors (migration 5's triggers).
VERSION_KEY = "vectors_version"


# From this many vectors on, unfiltered queries go through the HNSW index; None (the default) keeps
# every query exact. Why off: building the index of 100,000 random 384-d vectors did not finish within
# 11 minutes on the shared 2-core machine (load average 12-20), while the exact product took 89 ms p50
# there. A library user with a big, stable base may set it. The build and search parameters (usearch:
# graph degree, candidates kept) follow.
ANN_MIN_VECTORS: int | None = None
ANN_CONNECTIVITY = 16
ANN_EXPANSION_ADD = 128
ANN_EXPANSION_SEARCH = 256


@dataclass
class VectorIndex:
    """Article rowids (ascending) and their unit vectors (one row each), with an HNSW index once built."""

    rowids: np.ndarray
    matrix: np.ndarray
    ann: Any = None
    _building: threading.Thread | None = field(default=None, repr=False, compare=False)

    @property
    def size(self) -> int:
        return int(self.rowids.shape[0])

    def nearest(
        self, query: np.ndarray, k: int, allowed: set[int] | None = None, exact: bool = False
    ) -> list[tuple[int, float]]:
        """The `k` most similar articles (rowid, cosine), best first; only `allowed` rowids if given.
        Exact unless the HNSW index is ready, no filter is given and `exact` is False."""
        if self.size == 0 or k <= 0:
            return []
        query = np.asarray(query, dtype=np.float32).reshape(-1)
        if allowed is None and not exact and self.ann is not None:
            return self._nearest_ann(query, k)
        if allowed is not None:
            wanted = np.fromiter(allowed, dtype=np.int64, count=len(allowed))
            rows = np.nonzero(np.isin(self.rowids, wanted))[0]
            if rows.size == 0:
                return []
            scores = scores_of(self.matrix[rows], query)
            ids = self.rowids[rows]
        else:
            scores = scores_of(self.matrix, query)
            ids = self.rowids
        k = min(k, int(scores.shape[0]))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.lexsort((ids[top], -scores[top]))]
        return [(int(ids[i]), float(scores[i])) for i in top]

    def _nearest_ann(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        found = self.ann.search(query, min(k, self.size))
        keys = np.asarray(found.keys, dtype=np.int64)
        # Scores from the stored vectors (usearch gives cosine distance: the same, to rounding).
        where = np.searchsorted(self.rowids, keys)
        scores = scores_of(self.matrix[where], query)
        order = np.lexsort((keys, -scores))
        return [(int(keys[i]), float(scores[i])) for i in order]

    def start_ann(self, previous: VectorIndex | None = None, wait: bool = False) -> None:
        """Build the HNSW index in a background thread (at once with `wait`), extending a copy of
        `previous`'s index when this state only adds vectors to it; nothing without usearch."""
        if self.ann is not None or self._building is not None or not ann_available():
            return
        thread = threading.Thread(target=self._build_ann, args=(previous,), daemon=True, name="khabar-ann")
        self._building = thread
        thread.start()
        if wait:
            thread.join()

    def wait_ann(self, timeout: float | None = None) -> bool:
        """Wait for a background build of the HNSW index; whether it is ready."""
        if self._building is not None:
            self._building.join(timeout)
        return self.ann is not None

    def _build_ann(self, previous: VectorIndex | None) -> None:
        from usearch.index import Index

        todo = np.arange(self.size)
        ann = None
        if previous is not None and previous.ann is not None and _only_adds(previous, self):
            ann = previous.ann.copy()
            todo = np.nonzero(~np.isin(self.rowids, previous.rowids))[0]
        if ann is None:
            ann = Index(
                ndim=self.matrix.shape[1],
                metric="cos",
                dtype="f32",
                connectivity=ANN_CONNECTIVITY,
                expansion_add=ANN_EXPANSION_ADD,
                expansion_search=ANN_EXPANSION_SEARCH,
            )
        if todo.size:
            ann.add(self.rowids[todo], np.ascontiguousarray(self.matrix[todo]))
        self.ann = ann


def scores_of(matrix: np.ndarray, query: np.ndarray) -> np.ndarray:
    """Dot products of every row with `query`, on one thread (numpy's einsum loop, not BLAS): the
    product is memory-bound, and BLAS's two threads stall when one waits for a core on the shared
    2-core machine (100,000 x 384 at load ~5: 22 ms p50 / 36 ms max with BLAS, 12 / 26 ms here)."""
    scores: np.ndarray = np.einsum("ij,j->i", matrix, query)
    return scores


def ann_available() -> bool:
    """Whether the usearch library is installed (a dependency; exact search works without it)."""
    try:
        import usearch.index  # noqa: F401
    except ImportError:  # pragma: no cover - a dependency
        return False
    return True


def _only_adds(old: VectorIndex, new: VectorIndex) -> bool:
    """Whether `new` holds every vector of `old` unchanged (it may add more)."""
    if old.size > new.size or old.matrix.shape[1] != new.matrix.shape[1]:
        return False
    where = np.searchsorted(new.rowids, old.rowids)
    if np.any(where >= new.size) or not np.array_equal(new.rowids[where], old.rowids):
        return False
    return bool(np.array_equal(new.matrix[where], old.matrix))


# Read once per knowledge base state; the last few kept.
_CACHE: dict[tuple[object, ...], VectorIndex] = {}
_CACHE_SIZE = 4


def _state(conn: sqlite3.Connection) -> tuple[tuple[int, int], bool]:
    """The table's state (change counter, largest rowid) and whether it has a change counter (a
    connection to an unmigrated file has none: its row count stands in)."""
    version = conn.execute("SELECT value FROM kb_state WHERE key = ?", (VERSION_KEY,)).fetchone()
    top = conn.execute("SELECT coalesce(max(rowid), 0) FROM article_vectors").fetchone()[0]
    if version is None:
        count = conn.execute("SELECT -1 - count(*) FROM article_vectors").fetchone()[0]
        return (int(count), int(top)), False
    return (int(version[0]), int(top)), True


def read_table(conn: sqlite3.Connection) -> VectorIndex:
    """Every stored vector, read out of SQLite (uncached)."""
    rowids: list[int] = []
    blobs: list[bytes] = []
    for rowid, blob in conn.execute("SELECT rowid, vector FROM article_vectors ORDER BY rowid"):
        rowids.append(rowid)
        blobs.append(blob)
    matrix = np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(rowids), embedder.DIM)
    return VectorIndex(np.asarray(rowids, dtype=np.int64), matrix)


def load_index(conn: sqlite3.Connection) -> VectorIndex:
    """The vectors of the knowledge base (cached per file until the table changes: migration 5's
    triggers count every change in `kb_state`, so checking costs one lookup, not a table scan).
    A vector file in step with the table (`khabar.store.vector_file`) is mapped instead of reading
    every vector out of SQLite."""
    state, counted = _state(conn)
    ckey = cache_key(conn, state)
    if ckey in _CACHE:
        return _CACHE[ckey]
    mapped = vector_file.read(conn, state, embedder.DIM) if counted else None
    index = VectorIndex(*mapped) if mapped is not None else read_table(conn)
    if ANN_MIN_VECTORS is not None and index.size >= ANN_MIN_VECTORS:
        same_file = [v for k, v in _CACHE.items() if k[0] == ckey[0] and v.ann is not None]
        index.start_ann(same_file[-1] if same_file else None)
    _remember(ckey, index)
    return index


def refresh_file(conn: sqlite3.Connection) -> bool:
    """Write the vector file of this knowledge base when it is not in step with the table (nothing for
    an unmigrated file or a small table); whether the file is now in step."""
    state, counted = _state(conn)
    if not counted:
        return False
    if vector_file.read(conn, state, embedder.DIM) is not None:
        return True
    index = load_index(conn)
    return vector_file.write(conn, state, index.rowids, index.matrix)


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
    `progress(n)` is called with the articles done in each batch. Then the vector file (memory-mapped
    by new processes) is brought in step with the table."""
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
    refresh_file(conn)
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
