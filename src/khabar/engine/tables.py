"""Per-article rows for the Parquet dataset, made by the local store's own write path.

A batch of analysed articles is written with `store.db.write_article` into a scratch in-memory
knowledge base, whose tables are then read back as Arrow tables: so the dataset's rows are exactly the
rows the local engine stores (one definition of each row), with the column names and types of
`khabar export --format parquet`. Differences, all additive:

- every table has `ord`, the record's place in the input (see `shards.order_key`);
- knowledge-base entity ids (`entity_id`, `*_entity` columns) are empty: entities are linked across
  articles by a later step (`engine.link`), whose `entity_links` table maps (article_id, local id);
- events have no integer id; `event_participants` names its event by (article_id, event_idx);
- `fingerprints` (dedup signatures) and `analysis` (the article JSON, as `khabar analyze` prints it)
  are tables of their own.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from khabar.article import Article, Entity
from khabar.dedup.minhash import Fingerprint
from khabar.export.parquet import _convert, table_schema
from khabar.store import connection, db

# Tables copied from the scratch knowledge base, in this order.
ARTICLE_TABLES = (
    "articles",
    "documents",
    "blocks",
    "article_entities",
    "mentions",
    "dates",
    "quantities",
    "quotes",
    "events",
    "event_participants",
)
EXTRA_TABLES = ("fingerprints", "analysis", "errors")
TABLES = ARTICLE_TABLES + EXTRA_TABLES
# Columns left out of the copied tables (events get their id from the knowledge base they are loaded into).
SKIP = {"events": {"id"}}
ORD = pa.field("ord", pa.int64())
FINGERPRINTS = pa.schema(
    [
        ("article_id", pa.string()),
        ORD,
        ("text_hash", pa.string()),
        ("words", pa.int64()),
        ("minhash", pa.binary()),
        ("sentence_hashes", pa.binary()),
        ("features", pa.binary()),
    ]
)
ANALYSIS = pa.schema([("article_id", pa.string()), ORD, ("analysis", pa.string())])
ERRORS = pa.schema([("source", pa.string()), ("message", pa.string()), ORD])


@dataclass(frozen=True, slots=True)
class Analysed:
    """One record's outcome: an article with its fingerprint and raw hash, or an error message."""

    ord: int
    source: str
    digest: str
    article: Article | None = None
    fingerprint: Fingerprint | None = None
    error: str | None = None


def _unlinked(_conn: sqlite3.Connection, _ent: Entity, _article_id: str) -> str:
    """The scratch store's linker: no KB entity yet (filled in by the linking step)."""
    return ""


def kb_columns(conn: sqlite3.Connection, table: str) -> list[tuple[str, pa.DataType]]:
    """(name, Arrow type) of a knowledge-base table's columns, as `khabar export` types them."""
    skip = SKIP.get(table, set())
    return [(f.name, f.type) for f in table_schema(conn, table) if f.name not in skip]


def arrow_table(rows: Sequence[Sequence[Any]], schema: pa.Schema) -> pa.Table:
    """Rows of SQLite values (in the schema's column order) as an Arrow table of that schema."""
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in schema]
    return pa.Table.from_arrays(
        [
            pa.array([_convert(v, f.type) for v in col], type=f.type)
            for col, f in zip(columns, schema, strict=True)
        ],
        schema=schema,
    )


def _is_entity_ref(table: str, column: str) -> bool:
    return column == "entity_id" or column.endswith("_entity")


def _scratch() -> sqlite3.Connection:
    return connection.connect(":memory:")


_SCHEMAS: dict[str, pa.Schema] = {}


def schemas() -> dict[str, pa.Schema]:
    """The Parquet schema of every dataset table."""
    if not _SCHEMAS:
        conn = _scratch()
        try:
            for table in ARTICLE_TABLES:
                cols = kb_columns(conn, table)
                if table == "event_participants":
                    cols = [("article_id", pa.string()), ("event_idx", pa.int64())] + [
                        c for c in cols if c[0] != "event_id"
                    ]
                _SCHEMAS[table] = pa.schema([*cols, ORD])
        finally:
            conn.close()
        _SCHEMAS.update({"fingerprints": FINGERPRINTS, "analysis": ANALYSIS, "errors": ERRORS})
    return dict(_SCHEMAS)


def batch_tables(results: Sequence[Analysed]) -> dict[str, pa.Table]:
    """The dataset rows of a batch of outcomes, one Arrow table per dataset table.

    Every analysed record gets its rows, also one whose article id an earlier record of the batch has
    (it goes to another scratch store): so the rows do not depend on how records were batched, and
    the first of several records with one id is chosen later (by `ord`) as the local engine does.
    """
    generations: list[tuple[set[str], list[Analysed]]] = [(set(), [])]
    for res in results:
        aid = res.article.id if res.article is not None else None
        target = next((g for g in generations if aid is None or aid not in g[0]), None)
        if target is None:
            target = (set(), [])
            generations.append(target)
        if aid is not None:
            target[0].add(aid)
        target[1].append(res)
    parts = []
    for _ids, batch in generations:
        conn = _scratch()
        try:
            parts.append(_tables(conn, batch))
        finally:
            conn.close()
    return {t: pa.concat_tables([p[t] for p in parts]) for t in parts[0]}


def _tables(conn: sqlite3.Connection, results: Sequence[Analysed]) -> dict[str, pa.Table]:
    out_schemas = schemas()
    ord_of_article: dict[str, int] = {}
    ord_of_document: dict[tuple[str, str], int] = {}
    fingerprints: list[tuple[Any, ...]] = []
    errors: list[tuple[Any, ...]] = []
    for res in results:
        if res.article is None or res.fingerprint is None:
            errors.append((res.source, res.error or "analysis failed", res.ord))
            continue
        art = res.article
        ord_of_document.setdefault((art.source or "<unknown>", res.digest), res.ord)
        if db.write_article(conn, art, res.digest, res.fingerprint, linker=_unlinked):
            ord_of_article[art.id] = res.ord
            fp = res.fingerprint
            fingerprints.append(
                (art.id, res.ord, fp.text_hash, fp.words, fp.minhash, fp.sentences, fp.features)
            )
    tables: dict[str, pa.Table] = {}
    for table in ARTICLE_TABLES:
        schema = out_schemas[table]
        names = [f.name for f in schema if f.name != "ord"]
        if table == "event_participants":
            cols = ", ".join(f'p."{n}"' for n in names[2:])
            sql = (
                f"SELECT e.article_id, e.idx, {cols} FROM event_participants p "
                "JOIN events e ON e.id = p.event_id ORDER BY p.rowid"
            )
        else:
            cols = ", ".join(f'"{n}"' for n in names)
            sql = f"SELECT {cols} FROM {table} ORDER BY rowid"
        rows = conn.execute(sql).fetchall()
        if table == "documents":
            key = names.index("source"), names.index("raw_hash")
            ords = [ord_of_document.get((r[key[0]], r[key[1]]), -1) for r in rows]
        else:
            at = names.index("id" if table == "articles" else "article_id")
            ords = [ord_of_article.get(r[at], -1) for r in rows]
        columns = list(zip(*rows, strict=True)) if rows else [() for _ in names]
        arrays = []
        for name, values in zip(names, columns, strict=True):
            if _is_entity_ref(table, name):
                values = tuple(v or None for v in values)
            kind = schema.field(name).type
            arrays.append(pa.array([_convert(v, kind) for v in values], type=kind))
        arrays.append(pa.array(ords, type=pa.int64()))
        tables[table] = pa.Table.from_arrays(arrays, schema=schema)
    analysis = conn.execute("SELECT article_id, analysis FROM article_analysis ORDER BY rowid").fetchall()
    tables["analysis"] = pa.Table.from_pylist(
        [{"article_id": a, "ord": ord_of_article[a], "analysis": j} for a, j in analysis], schema=ANALYSIS
    )
    tables["fingerprints"] = pa.Table.from_pylist(
        [dict(zip(FINGERPRINTS.names, row, strict=True)) for row in fingerprints], schema=FINGERPRINTS
    )
    tables["errors"] = pa.Table.from_pylist(
        [dict(zip(ERRORS.names, row, strict=True)) for row in errors], schema=ERRORS
    )
    return tables
