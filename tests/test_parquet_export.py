"""Typed Parquet: dates, times and flags as such, sentences exported, the documented schema, and a
DuckDB query over the files joining events to entities (the example of docs/parquet.md)."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from khabar.export.parquet import export_parquet, parquet_schemas
from khabar.store.kb import KnowledgeBase

DOC = Path(__file__).resolve().parents[1] / "docs" / "parquet.md"


@pytest.fixture(scope="module")
def exported(built_kb: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pq")
    with KnowledgeBase(built_kb, readonly=True) as kb:
        export_parquet(kb, out)
    return out


def test_columns_are_typed(exported: Path) -> None:
    articles = pq.read_schema(exported / "articles.parquet")
    assert articles.field("published").type == pa.date32()
    assert articles.field("ingested_at").type == pa.timestamp("ms", tz="UTC")
    assert pq.read_schema(exported / "entities.parquet").field("single_token").type == pa.bool_()
    events = pq.read_schema(exported / "events.parquet")
    assert events.field("date").type == pa.date32() and events.field("date_grain").type == pa.string()
    assert pq.read_schema(exported / "dates.parquet").field("value").type == pa.date32()


def test_event_sentences_point_into_the_sentences_file(exported: Path) -> None:
    con = duckdb.connect()
    rows = con.execute(
        f"""SELECT count(*), count(s.text) FROM '{exported}/events.parquet' ev
            LEFT JOIN '{exported}/sentences.parquet' s ON s.article_id = ev.article_id AND s.idx = ev.sentence
            WHERE ev.sentence IS NOT NULL"""
    ).fetchone()
    assert rows is not None and rows[0] > 0 and rows[0] == rows[1]


def documented_query() -> str:
    """The DuckDB example of docs/parquet.md (the first ```sql block)."""
    match = re.search(r"```sql\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert match, "docs/parquet.md has no sql example"
    return match.group(1)


def test_the_documented_duckdb_example_joins_events_to_entities(exported: Path) -> None:
    sql = documented_query().replace("news-parquet/", f"{exported}/")
    rows = duckdb.connect().execute(sql).fetchall()
    assert rows, "the example finds nothing"
    assert all(r[0] and r[0].isascii() and r[2] >= 1 for r in rows), rows  # English names, counts
    assert rows == sorted(rows, key=lambda r: (-r[2], r[0]))


def test_the_documented_schema_is_the_exported_one(built_kb: Path, exported: Path) -> None:
    text = DOC.read_text(encoding="utf-8")
    with KnowledgeBase(built_kb, readonly=True) as kb:
        schemas = parquet_schemas(kb)
    for table, schema in schemas.items():
        assert pq.read_schema(exported / f"{table}.parquet").names == schema.names
        section = re.search(rf"^### `{table}\.parquet`\n(.*?)(?=^### |\Z)", text, re.S | re.M)
        assert section, f"docs/parquet.md does not describe {table}.parquet"
        for f in schema:
            assert re.search(rf"\| `{re.escape(f.name)}` \| {re.escape(str(f.type))} \|", section.group(1)), (
                f"{table}.{f.name} ({f.type}) is not documented"
            )
