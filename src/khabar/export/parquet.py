"""Export a knowledge base as typed Parquet: one file per table (`articles.parquet`, `events.parquet`,
...) plus `sentences.parquet`; the schema is documented in `docs/parquet.md` (`parquet_schemas()`).

Types follow the SQLite declarations (INTEGER -> int64, REAL -> float64, TEXT -> string) except where
a column holds something more specific: calendar dates are `date32`, times `timestamp[ms, UTC]`, flags
`bool`. Dedup signatures (BLOB) and the analysis JSON are left out (the JSONL export has the JSON);
the sentences, to which `events.sentence` points, are exported from it as their own table.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from khabar.errors import KhabarError
from khabar.store.kb import KnowledgeBase

TABLES = (
    "articles",
    "documents",
    "blocks",
    "entities",
    "aliases",
    "entity_roles",
    "article_entities",
    "mentions",
    "dates",
    "quantities",
    "quotes",
    "events",
    "event_participants",
    "clusters",
    "errors",
)
# Columns not exported: internal row numbers (the JSONL export has the analysis).
SKIP_COLUMNS = {"articles": {"rowid"}}
# Rows per Parquet row group: keeps memory flat on big knowledge bases.
BATCH_ROWS = 5000
_TYPES = {"INTEGER": pa.int64(), "REAL": pa.float64(), "TEXT": pa.string()}
DATE = pa.date32()
TIMESTAMP = pa.timestamp("ms", tz="UTC")
# Columns with a more specific type than their SQLite declaration.
TYPED_COLUMNS: dict[tuple[str, str], pa.DataType] = {
    ("articles", "published"): DATE,
    ("articles", "ingested_at"): TIMESTAMP,
    ("documents", "ingested_at"): TIMESTAMP,
    ("dates", "value"): DATE,
    ("dates", "last"): DATE,
    ("events", "date"): DATE,
    ("events", "date_last"): DATE,
    ("events", "quad_class"): pa.int8(),
    ("entities", "single_token"): pa.bool_(),
    ("errors", "at"): TIMESTAMP,
}
SENTENCES_SCHEMA = pa.schema(
    [
        ("article_id", pa.string()),
        ("idx", pa.int64()),
        ("start", pa.int64()),
        ("end", pa.int64()),
        ("block", pa.int64()),
        ("text", pa.string()),
    ]
)


def _convert(value: Any, kind: pa.DataType) -> Any:
    """A SQLite value as the Python value of an Arrow type (None stays None)."""
    if value is None:
        return None
    if kind == DATE:
        return date.fromisoformat(str(value)[:10])
    if kind == TIMESTAMP:
        return datetime.fromisoformat(str(value))
    if kind == pa.bool_():
        return bool(value)
    return value


def table_schema(conn: Any, table: str) -> pa.Schema:
    """The Parquet schema of one knowledge-base table."""
    fields = []
    for r in conn.execute(f"PRAGMA table_info({table})"):
        name, declared = r[1], str(r[2]).upper()
        if name in SKIP_COLUMNS.get(table, set()) or declared == "BLOB":
            continue
        fields.append((name, TYPED_COLUMNS.get((table, name), _TYPES.get(declared, pa.string()))))
    return pa.schema(fields)


def parquet_schemas(kb: KnowledgeBase) -> dict[str, pa.Schema]:
    """The schema of every exported file (table name -> schema), as `docs/parquet.md` lists them."""
    with kb.lock:
        schemas = {table: table_schema(kb.connection, table) for table in TABLES}
    schemas["sentences"] = SENTENCES_SCHEMA
    return schemas


def _write(path: Path, schema: pa.Schema, batches: Iterator[list[tuple[Any, ...]]]) -> int:
    """Write row batches as one Parquet file; returns rows (an empty table still gets its schema)."""
    count = 0
    with pq.ParquetWriter(path, schema) as writer:
        wrote = False
        for rows in batches:
            columns = list(zip(*rows, strict=True)) if rows else [() for _ in schema]
            arrays = [
                pa.array([_convert(v, f.type) for v in col], type=f.type)
                for col, f in zip(columns, schema, strict=True)
            ]
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
            count += len(rows)
            wrote = True
        if not wrote:
            writer.write_table(schema.empty_table())
    return count


def _table_rows(conn: Any, table: str, schema: pa.Schema) -> Iterator[list[tuple[Any, ...]]]:
    names = ", ".join(f'"{f.name}"' for f in schema)
    cur = conn.execute(f"SELECT {names} FROM {table}")
    while rows := cur.fetchmany(BATCH_ROWS):
        yield rows


def _sentence_rows(conn: Any) -> Iterator[list[tuple[Any, ...]]]:
    batch: list[tuple[Any, ...]] = []
    cur = conn.execute(
        "SELECT a.id, a.text, x.analysis FROM articles a JOIN article_analysis x ON x.article_id = a.id "
        "ORDER BY a.id"
    )
    for aid, text, analysis in cur:
        for idx, s in enumerate(json.loads(analysis).get("sentences") or []):
            batch.append((aid, idx, s["start"], s["end"], s.get("block"), text[s["start"] : s["end"]]))
        if len(batch) >= BATCH_ROWS:
            yield batch
            batch = []
    if batch:
        yield batch


def export_parquet(kb: KnowledgeBase, out_dir: str | Path) -> dict[str, int]:
    """Write one Parquet file per table into `out_dir` (created); returns rows per table."""
    folder = Path(out_dir)
    if folder.exists() and not folder.is_dir():
        raise KhabarError(f"{folder}: exists and is not a folder (parquet export writes one file per table)")
    folder.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    with kb.lock:
        conn = kb.connection
        for table in TABLES:
            schema = table_schema(conn, table)
            counts[table] = _write(folder / f"{table}.parquet", schema, _table_rows(conn, table, schema))
        counts["sentences"] = _write(folder / "sentences.parquet", SENTENCES_SCHEMA, _sentence_rows(conn))
    return counts
