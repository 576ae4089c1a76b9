"""Export a knowledge base as Parquet: one file per table (`articles.parquet`, `entities.parquet`, ...).

Column types follow the SQLite declarations (INTEGER -> int64, REAL -> float64, TEXT -> string);
internal dedup signatures (BLOB) and the full analysis JSON are left out (use the JSONL export for it).
"""

from __future__ import annotations

from pathlib import Path

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
# Columns not exported: internal signatures and the analysis JSON (in the JSONL export).
SKIP_COLUMNS = {"articles": {"minhash", "sentence_hashes", "analysis", "rowid"}}
# Rows per Parquet row group: keeps memory flat on big knowledge bases.
BATCH_ROWS = 5000
_TYPES = {"INTEGER": pa.int64(), "REAL": pa.float64(), "TEXT": pa.string()}


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
            cols = [
                (r[1], _TYPES.get(str(r[2]).upper(), pa.string()))
                for r in conn.execute(f"PRAGMA table_info({table})")
                if r[1] not in SKIP_COLUMNS.get(table, set()) and str(r[2]).upper() != "BLOB"
            ]
            schema = pa.schema(cols)
            names = ", ".join(f'"{c}"' for c, _ in cols)
            cur = conn.execute(f"SELECT {names} FROM {table}")
            counts[table] = 0
            with pq.ParquetWriter(folder / f"{table}.parquet", schema) as writer:
                while True:
                    rows = cur.fetchmany(BATCH_ROWS)
                    if not rows and counts[table]:
                        break
                    columns = list(zip(*rows, strict=True)) if rows else [() for _ in cols]
                    writer.write_table(
                        pa.Table.from_arrays(
                            [pa.array(c, type=t) for c, (_, t) in zip(columns, cols, strict=True)],
                            schema=schema,
                        )
                    )
                    counts[table] += len(rows)
                    if not rows:
                        break
    return counts
