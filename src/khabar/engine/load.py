"""`khabar load`: build the SQLite knowledge base from a dataset written by `khabar run`.

Articles are written by the local store's own write path (`store.db.write_article`), shard by shard
in input order, with the entity links of the linking step; the knowledge-base entities, aliases and
roles and the clusters come from the dataset's tables. So the database is the one `khabar ingest`
builds from the same input (same article ids, entities and clusters; only times differ). Without the
linking or dedup tables (`khabar run --no-link/--no-dedup`) the local rules run here instead.
"""

from __future__ import annotations

import heapq
import json
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from khabar.article import Article, Entity
from khabar.dedup.minhash import Fingerprint
from khabar.engine.shards import Layout
from khabar.errors import KhabarError
from khabar.store import connection, db
from khabar.store.link import link_entity

# Rows per insert batch of the knowledge-base tables.
INSERT_BATCH = 5000


@dataclass
class LoadSummary:
    """What one load did."""

    shards: int = 0
    articles: int = 0
    copies: int = 0
    errors: int = 0
    entities: int = 0
    clusters: int = 0
    linked_here: bool = False
    clustered_here: bool = False
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary."""
        return {
            "shards": self.shards,
            "articles": self.articles,
            "copies": self.copies,
            "errors": self.errors,
            "entities": self.entities,
            "clusters": self.clusters,
            "linked_here": self.linked_here,
            "clustered_here": self.clustered_here,
            "seconds": round(self.seconds, 2),
        }


def _rows(layout: Layout, paths: list[str], columns: list[str] | None = None) -> Iterator[dict[str, Any]]:
    for path in paths:
        with layout.fs.open(path, "rb") as handle:
            yield from pq.read_table(handle, columns=columns).to_pylist()


def _has_table(layout: Layout, table: str) -> bool:
    return bool(layout.fs.exists(layout.path(table)))


def _table_files(layout: Layout, table: str) -> list[str]:
    folder = layout.path(table)
    return sorted(n for n in layout.fs.ls(folder, detail=False) if n.endswith(".parquet"))


def _bulk_insert(conn: sqlite3.Connection, table: str, rows: Iterator[dict[str, Any]]) -> int:
    count, batch, sql = 0, [], ""
    for row in rows:
        if not sql:
            cols = list(row)
            sql = (
                f"INSERT OR IGNORE INTO {table} ({', '.join(chr(34) + c + chr(34) for c in cols)}) "
                f"VALUES ({', '.join('?' * len(cols))})"
            )
        batch.append(tuple(row.values()))
        if len(batch) >= INSERT_BATCH:
            conn.executemany(sql, batch)
            count, batch = count + len(batch), []
    if batch:
        conn.executemany(sql, batch)
        count += len(batch)
    return count


def _precomputed(conn: sqlite3.Connection, ent: Entity, article_id: str) -> str:
    """The linker of a load: the link the linking step made (in `article_entities` already)."""
    row = conn.execute(
        "SELECT entity_id FROM article_entities WHERE article_id = ? AND local_id = ?", (article_id, ent.id)
    ).fetchone()
    if row is None:
        raise KhabarError(
            f"article {article_id}: entity {ent.id} has no link in the dataset (rerun khabar run)"
        )
    return str(row[0])


def load_dataset(root: str, db_path: str | Path, on_article: Callable[[], None] | None = None) -> LoadSummary:
    """Build a new knowledge base at `db_path` from the dataset at `root`."""
    started = time.perf_counter()
    layout = Layout(root)
    done = sorted(layout.done().values(), key=lambda m: int(m["seq"]))
    if not done:
        raise KhabarError(f"{root}: no finished shards (is it a khabar run output folder?)")
    path = Path(db_path)
    if path.exists() and path.stat().st_size:
        conn = connection.connect(path)
        has = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        conn.close()
        if has:
            raise KhabarError(f"{path}: knowledge base has articles already; load builds a new one")
    conn = connection.connect(path)
    summary = LoadSummary(shards=len(done))
    linked = _has_table(layout, "entity_links") and bool(_table_files(layout, "entity_links"))
    linker: db.Linker = _precomputed if linked else link_entity
    summary.linked_here = not linked
    try:
        if linked:
            conn.execute("BEGIN")
            for table in ("entities", "aliases", "entity_roles"):
                _bulk_insert(conn, table, _rows(layout, _table_files(layout, table)))
            _bulk_insert(conn, "article_entities", _rows(layout, _table_files(layout, "entity_links")))
            conn.execute("COMMIT")
        parts = {t: layout.parts_by_shard(t) for t in ("fingerprints", "documents", "analysis", "errors")}
        for marker in done:
            _load_shard(
                conn, layout, {t: p[marker["key"]] for t, p in parts.items()}, linker, summary, on_article
            )
        summary.clusters = _load_clusters(conn, layout, summary)
        db.refresh_entity_names(conn)
        summary.entities = int(conn.execute("SELECT count(*) FROM entities").fetchone()[0])
        connection.settle(conn)
    finally:
        conn.close()
    summary.seconds = time.perf_counter() - started
    return summary


def _load_shard(
    conn: sqlite3.Connection,
    layout: Layout,
    parts: dict[str, list[str]],
    linker: db.Linker,
    summary: LoadSummary,
    on_article: Callable[[], None] | None,
) -> None:
    """Write one shard's articles, other copies and errors in input order."""
    fps = {r["article_id"]: r for r in _rows(layout, parts["fingerprints"])}
    documents = sorted(_rows(layout, parts["documents"]), key=lambda r: r["ord"])
    digest_of: dict[str, str] = {}
    for doc in documents:
        digest_of.setdefault(doc["article_id"], doc["raw_hash"])
    articles = ((r["ord"], 0, r) for r in _rows(layout, parts["analysis"]))
    errors = ((r["ord"], 1, r) for r in _rows(layout, parts["errors"]))
    for _order, kind, row in heapq.merge(
        sorted(articles, key=_first), sorted(errors, key=_first), key=_first
    ):
        if kind == 1:
            db.record_error(conn, row["source"], row["message"])
            summary.errors += 1
            continue
        art = Article.from_dict(json.loads(row["analysis"]))
        fp = fps[art.id]
        fingerprint = Fingerprint(
            fp["text_hash"], fp["minhash"], fp["sentence_hashes"], fp["words"], fp.get("features")
        )
        if db.write_article(conn, art, digest_of.get(art.id, ""), fingerprint, linker=linker):
            summary.articles += 1
        else:
            summary.copies += 1
        if on_article:
            on_article()
    for doc in documents:
        if db.add_document(conn, doc["source"], doc["raw_hash"], doc["article_id"]):
            summary.copies += 1


def _first(item: tuple[int, int, dict[str, Any]]) -> tuple[int, int]:
    return item[0], item[1]


def _load_clusters(conn: sqlite3.Connection, layout: Layout, summary: LoadSummary) -> int:
    """Store the dataset's clusters (or cluster here when the dataset has none)."""
    if not (_has_table(layout, "clusters") and _has_table(layout, "cluster_members")):
        summary.clustered_here = True
        return db.update_clusters(conn)
    conn.execute("BEGIN IMMEDIATE")
    try:
        _bulk_insert(conn, "clusters", _rows(layout, _table_files(layout, "clusters")))
        conn.executemany(
            "UPDATE articles SET cluster = ? WHERE id = ?",
            ((r["cluster"], r["article_id"]) for r in _rows(layout, _table_files(layout, "cluster_members"))),
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    # the incremental index, so that a later `khabar ingest` links new articles to these clusters;
    # then template lines are learned and applied as the local ingest does
    from khabar.store import dedup_index, learned

    dedup_index.index_clustered(conn)
    learned.update_learned(conn)
    return db.count_clusters(conn)
