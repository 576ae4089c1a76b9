"""A memory-mapped copy of a knowledge base's vectors next to its file (`news.db.vectors`), so that a new
process (each `khabar search --mode semantic`, each server worker at start) maps the matrix instead of
reading every vector out of SQLite.

The writer that adds vectors (`vectors.embed_missing`: `khabar embed`, `ingest --embed`) writes the file
when the table holds at least MIN_VECTORS vectors; readers use it only while it is in step with the
table: the state it was written in (`kb_state.vectors_version`, the largest rowid) must be the
current one, and a few sampled vectors must equal the stored ones. Otherwise (another writer
changed the vectors, a copied or replaced database file) the vectors are read from SQLite as before,
until the next `khabar embed` rewrites the file. Deleting it is always safe.

Layout: 8 bytes of magic, five little-endian int64 (change counter, largest rowid, count, dimensions,
reserved), the rowids (int64, ascending), then the matrix (float32, one row per rowid).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import numpy as np

MAGIC = b"KHVEC001"
HEADER_BYTES = 8 + 5 * 8
SUFFIX = ".vectors"
# Smaller tables are read from SQLite in milliseconds: no file for them.
MIN_VECTORS = 2000
# Rows compared with the stored vectors before a file is trusted.
CHECKED_ROWS = 4


def side_path(conn: sqlite3.Connection) -> Path | None:
    """Where the vector file of this knowledge base lives (None for an in-memory database)."""
    path = conn.execute("PRAGMA database_list").fetchone()[2]
    return Path(path + SUFFIX) if path else None


def read(conn: sqlite3.Connection, state: tuple[int, int], dim: int) -> tuple[np.ndarray, np.ndarray] | None:
    """(rowids, matrix) mapped from the vector file when it was written in the table's `state`
    (change counter, largest rowid) and its sampled rows equal the stored vectors; else None."""
    path = side_path(conn)
    if path is None or not path.is_file():
        return None
    try:
        with path.open("rb") as fh:
            head = fh.read(HEADER_BYTES)
        if len(head) < HEADER_BYTES or head[:8] != MAGIC:
            return None
        version, top, count, width, _ = np.frombuffer(head[8:], dtype="<i8").tolist()
        if (version, top) != state or width != dim or count <= 0:
            return None
        if path.stat().st_size != HEADER_BYTES + count * 8 + count * dim * 4:
            return None
        rowids = np.memmap(path, dtype="<i8", mode="r", offset=HEADER_BYTES, shape=(count,))
        matrix = np.memmap(path, dtype="<f4", mode="r", offset=HEADER_BYTES + count * 8, shape=(count, dim))
    except (OSError, ValueError):
        return None
    if int(rowids[-1]) != top or not _same_rows(conn, rowids, matrix):
        return None
    return rowids, matrix


def _same_rows(conn: sqlite3.Connection, rowids: np.ndarray, matrix: np.ndarray) -> bool:
    """Whether a few rows spread over the file (first, last, between) equal the stored vectors."""
    picks = np.unique(np.linspace(0, rowids.shape[0] - 1, CHECKED_ROWS).astype(np.int64))
    for i in picks.tolist():
        row = conn.execute("SELECT vector FROM article_vectors WHERE rowid = ?", (int(rowids[i]),)).fetchone()
        if row is None or bytes(row[0]) != matrix[i].tobytes():
            return False
    return True


def write(conn: sqlite3.Connection, state: tuple[int, int], rowids: np.ndarray, matrix: np.ndarray) -> bool:
    """Write the vector file for `state` (atomically: a temporary file renamed over it); False when the
    folder is not writable or the table is small (the file is then removed)."""
    path = side_path(conn)
    if path is None:
        return False
    if rowids.shape[0] < MIN_VECTORS:
        path.unlink(missing_ok=True)
        return False
    header = MAGIC + np.asarray([*state, rowids.shape[0], matrix.shape[1], 0], dtype="<i8").tobytes()
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as fh:
            fh.write(header)
            fh.write(np.ascontiguousarray(rowids, dtype="<i8").tobytes())
            fh.write(np.ascontiguousarray(matrix, dtype="<f4").tobytes())
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
        return False
    return True
