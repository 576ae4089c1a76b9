"""Search latency, index size and embedding throughput on generated knowledge bases.

For each size (default 10,000 and 100,000 articles from bench/make_corpus.py, plain text, 5 % planted
copies) a knowledge base is built once and cached (`--cache`, default /work/cache/w13 or ./.bench-cache):
up to `--fast-above` articles are cleaned (no NER: `analyze(..., steps=())`) and written with
`KnowledgeBase.add_article`; bigger bases are written straight into `articles` and the real search index
(no cleaning or dedup fingerprints, which would take hours on 2 cores). Either way the search index is
the real one; entity facets are empty (no NER). Vectors: embedding 100,000 articles with multilingual-e5-small
takes hours on 2 cores, so the latency part stores random unit vectors (the exact numpy search costs
the same for any vectors; for the HNSW index used when `vectors.ANN_MIN_VECTORS` is set, random vectors are
its hardest case, with no clusters to follow, so its reported recall against exact search is a floor)
and embedding throughput is measured on a sample of real passages.

Reported (JSON): p50/p99 latency in ms of keyword (khabar's analyzed BM25 search page: ranked,
grouped, counted, snippets), keyword with facets, semantic (vector part only, and the query encoder
alone) and hybrid (keyword + vectors + fusion, without the encoder); the same queries against a plain
FTS5 index of the same texts (what a user would otherwise build: each word quoted, BM25, snippet()) and
the ratio of keyword to it; index bytes per article for both; the one-off cost of loading the vectors
(mapped from the vector file `khabar embed` writes, and read out of SQLite); embedding throughput.
Keyword queries matching more than `keyword_rank.RANK_WINDOW` articles are ranked over their newest
matches (docs/search.md): the bench reports how many queries that was, the mean share of their top 10
that an exhaustive ranking also has, and the exhaustive ranking's latency on them (the old cost).

Usage: nice -n 10 python bench/bench_search.py [--sizes 10000 100000] [--queries 200] [--embed-sample 128]
       [--cache DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sqlite3
import sys
import time
import zlib
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from khabar.pipeline import analyze
from khabar.store import embedder, keyword_rank, search, vectors
from khabar.store.kb import KnowledgeBase
from khabar.store.schema import FTS_TOKENIZE
from khabar.text.analyzer import words
from make_corpus import CorpusOptions, generate


def _fast_rows(kb: KnowledgeBase, n: int) -> None:
    """Write `n` generated articles straight into `articles` and the real search index
    (`search_index.index_article`), skipping cleaning, analysis and dedup fingerprints: only the search
    layer is measured, and the full pipeline would take hours for 100,000 articles on 2 cores."""
    from khabar.store.search_index import index_article

    conn = kb.connection
    conn.execute("BEGIN")
    for i, doc in enumerate(generate(CorpusOptions(n=n, seed=7, html=0.0, duplicates=0.05))):
        text = "\n\n".join(doc.body) if doc.body else doc.content
        lead = text[:400]
        cur = conn.execute(
            "INSERT INTO articles (id, source, title, headline, published, language, lead, text, raw_hash, "
            "text_hash, words, ingested_at) VALUES (?, ?, ?, ?, ?, 'hi', ?, ?, '', ?, ?, '')",
            (
                doc.id,
                f"src{i % 12}",
                doc.title,
                doc.title,
                doc.published.isoformat(),
                lead,
                text,
                doc.id,
                len(text.split()),
            ),
        )
        index_article(conn, int(cur.lastrowid or 0), doc.title, lead, text)
        if i % 5000 == 4999:
            conn.execute("COMMIT")
            conn.execute("BEGIN")
    conn.execute("COMMIT")


def build(n: int, cache: Path, fast: bool = False) -> tuple[Path, Path, dict[str, Any]]:
    """The cached khabar KB and plain FTS5 file for `n` articles (built when missing)."""
    db, plain = cache / f"search_{n}.db", cache / f"plain_{n}.db"
    info_path = cache / f"search_{n}.json"
    if db.is_file() and plain.is_file() and info_path.is_file():
        return db, plain, json.loads(info_path.read_text())
    for path in (db, plain):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    rng = np.random.default_rng(n)
    started = time.perf_counter()
    rows = []
    with KnowledgeBase(db) as kb:
        if fast:
            _fast_rows(kb, n)
        else:
            for doc in generate(CorpusOptions(n=n, seed=7, html=0.0, duplicates=0.05)):
                source = f"src{zlib.crc32(doc.topic.encode()) % 12}"
                art = analyze(doc.content, doc.published, source=source, html=False, steps=())
                art.title = doc.title
                kb.add_article(art)
        ingest_s = time.perf_counter() - started
        conn = kb.connection
        conn.execute("BEGIN")
        for (rowid,) in conn.execute("SELECT rowid FROM articles").fetchall():
            vec = rng.normal(size=embedder.DIM).astype(np.float32)
            vec /= np.linalg.norm(vec)
            conn.execute(
                "INSERT INTO article_vectors (rowid, model, vector) VALUES (?, ?, ?)",
                (rowid, embedder.MODEL, vec.tobytes()),
            )
        conn.execute("COMMIT")
        rows = conn.execute("SELECT rowid, title, lead, text FROM articles").fetchall()
        stored = len(rows)
    pconn = sqlite3.connect(plain)
    pconn.execute(f'CREATE VIRTUAL TABLE f USING fts5(title, lead, text, tokenize="{FTS_TOKENIZE}")')
    started = time.perf_counter()
    pconn.executemany("INSERT INTO f (rowid, title, lead, text) VALUES (?, ?, ?, ?)", rows)
    pconn.commit()
    plain_s = time.perf_counter() - started
    pconn.close()
    info = {
        "articles": stored,
        "build": "direct rows (no cleaning or dedup)" if fast else "cleaned, add_article (no NER)",
        "build_seconds_khabar": round(ingest_s, 1),
        "build_seconds_plain_fts": round(plain_s, 1),
    }
    info_path.write_text(json.dumps(info))
    return db, plain, info


def index_bytes(path: Path, prefix: str) -> int:
    conn = sqlite3.connect(path)
    try:
        got = conn.execute(
            "SELECT sum(pgsize) FROM dbstat WHERE name LIKE ? AND name NOT LIKE ?",
            (f"{prefix}%", f"{prefix}_content"),
        ).fetchone()[0]
    finally:
        conn.close()
    return int(got or 0)


def sample_queries(db: Path, k: int, seed: int = 3) -> list[str]:
    """1-3 consecutive words from random articles (a word of at least 3 characters first)."""
    rnd = random.Random(seed)
    conn = sqlite3.connect(db)
    total = conn.execute("SELECT max(rowid) FROM articles").fetchone()[0]
    out: list[str] = []
    while len(out) < k:
        row = conn.execute("SELECT text FROM articles WHERE rowid = ?", (rnd.randint(1, total),)).fetchone()
        if not row:
            continue
        ws = [w for _, _, w in words(row[0])]
        if len(ws) < 5:
            continue
        i = rnd.randrange(len(ws) - 3)
        if len(ws[i]) < 3:
            continue
        out.append(" ".join(ws[i : i + rnd.choice((1, 1, 2, 3))]))
    conn.close()
    return out


def percentiles(times: list[float]) -> dict[str, float]:
    arr = np.array(times) * 1000
    return {
        "p50_ms": round(float(np.percentile(arr, 50)), 2),
        "p99_ms": round(float(np.percentile(arr, 99)), 2),
    }


def timed(fn: Any, items: list[Any]) -> list[float]:
    out = []
    for item in items:
        t = time.perf_counter()
        fn(item)
        out.append(time.perf_counter() - t)
    return out


def run_size(n: int, cache: Path, queries: int, fast: bool) -> dict[str, Any]:
    db, plain, info = build(n, cache, fast)
    qs = sample_queries(db, queries)
    rng = np.random.default_rng(5)
    qvecs = rng.normal(size=(len(qs), embedder.DIM)).astype(np.float32)
    qvecs /= np.linalg.norm(qvecs, axis=1, keepdims=True)
    with KnowledgeBase(db) as writer:  # the vector file `khabar embed` leaves (vector_file.MIN_VECTORS on)
        vector_file = vectors.refresh_file(writer.connection)
    vectors._CACHE.clear()  # load as a new process does (refresh_file cached the matrix it read)
    kb = KnowledgeBase(db, readonly=True)
    conn = kb.connection
    started = time.perf_counter()
    vectors.read_table(conn)
    vector_read_s = time.perf_counter() - started
    started = time.perf_counter()
    index = vectors.load_index(conn)
    vector_load_s = time.perf_counter() - started
    started = time.perf_counter()
    ann = index.wait_ann()  # an HNSW index is built in the background when ANN_MIN_VECTORS is set
    ann_build_s = time.perf_counter() - started
    pairs = list(zip(qs, qvecs, strict=True))
    for q in qs[:10]:  # warm the page cache
        kb.search_results(q)
    out: dict[str, Any] = {**info, "queries": len(qs)}
    out["keyword"] = percentiles(timed(lambda q: kb.search_results(q, limit=20), qs))
    out["keyword_facets"] = percentiles(timed(lambda q: kb.search_results(q, limit=20, facets=True), qs))
    out["semantic_vectors"] = percentiles(
        timed(lambda p: search.search(conn, p[0], mode="semantic", query_vector=p[1]), pairs)
    )
    out["hybrid_without_encoder"] = percentiles(
        timed(lambda p: search.search(conn, p[0], mode="hybrid", query_vector=p[1]), pairs)
    )
    out["vector_search"] = "usearch HNSW" if ann else "exact numpy"
    out["nearest_300_exact"] = percentiles(timed(lambda v: index.nearest(v, 300, exact=True), list(qvecs)))
    if ann:
        out["nearest_300_ann"] = percentiles(timed(lambda v: index.nearest(v, 300), list(qvecs)))
        out["ann_build_seconds"] = round(vector_load_s + ann_build_s, 1)
        out["ann_recall_vs_exact"] = ann_recall(index, qvecs)
    pconn = sqlite3.connect(plain)
    sql = (
        "SELECT rowid, bm25(f, 4.0, 2.0, 1.0), snippet(f, 2, '<mark>', '</mark>', '…', 24) FROM f "
        "WHERE f MATCH ? ORDER BY rank LIMIT 20"
    )

    def plain_search(q: str) -> None:
        expr = " ".join('"' + w.replace('"', '""') + '"' for w in q.split())
        pconn.execute(sql, (expr,)).fetchall()
        pconn.execute("SELECT count(*) FROM f WHERE f MATCH ?", (expr,)).fetchone()

    out["plain_fts5"] = percentiles(timed(plain_search, qs))
    out["keyword_over_plain"] = {
        k: round(out["keyword"][k] / out["plain_fts5"][k], 2) for k in ("p50_ms", "p99_ms")
    }
    pages = [kb.search_results(q, limit=10) for q in qs]
    hits = [p["total_articles"] for p in pages]
    out["median_matches"] = int(np.median(hits))
    out["max_matches"] = int(max(hits))
    out.update(window_effect(kb, qs, pages))
    out["index_bytes_per_article"] = {
        "khabar_search_index": round(index_bytes(db, "search_index") / info["articles"]),
        "plain_fts5": round(index_bytes(plain, "f") / info["articles"]),
        "vectors": round(index_bytes(db, "article_vectors") / info["articles"]),
    }
    out["vector_load_seconds"] = round(vector_load_s, 2)
    out["vector_read_seconds_sqlite"] = round(vector_read_s, 2)
    out["vector_file"] = "mapped" if isinstance(index.matrix, np.memmap) else f"not used ({vector_file=})"
    kb.close()
    pconn.close()
    return out


def window_effect(kb: KnowledgeBase, qs: list[str], pages: list[dict[str, Any]]) -> dict[str, Any]:
    """How the ranking window changed the queries over it: their number, and the mean share of the top
    10 hits that an exhaustive ranking (no window) also has in its top 10, with the exhaustive latency."""
    windowed = [(q, p) for q, p in zip(qs, pages, strict=True) if p["total_approximate"]]
    keep = keyword_rank.RANK_WINDOW
    keyword_rank.RANK_WINDOW = 10**12
    try:
        times, overlaps = [], []
        for q, page in windowed:
            t = time.perf_counter()
            full = kb.search_results(q, limit=10)
            times.append(time.perf_counter() - t)
            got, want = {h["id"] for h in page["hits"]}, {h["id"] for h in full["hits"]}
            overlaps.append(len(got & want) / max(1, len(want)))
    finally:
        keyword_rank.RANK_WINDOW = keep
    return {
        "rank_window": keep,
        "queries_over_window": len(windowed),
        "top10_overlap_with_exhaustive": round(float(np.mean(overlaps)), 3) if overlaps else None,
        "exhaustive_keyword_over_window_queries": percentiles(times) if times else None,
    }


def ann_recall(index: vectors.VectorIndex, qvecs: np.ndarray) -> dict[str, float]:
    """Mean share of the exact top k that the HNSW index returns (k = 20 and the fusion depth 100)."""
    out: dict[str, float] = {}
    for k in (20, search.FUSION_DEPTH):
        got = [
            len({r for r, _ in index.nearest(v, k)} & {r for r, _ in index.nearest(v, k, exact=True)}) / k
            for v in qvecs
        ]
        out[f"recall@{k}"] = round(float(np.mean(got)), 4)
    return out


def embedding_throughput(cache: Path, sample: int) -> dict[str, Any]:
    """Articles/s of embedding real passages (title, lead; as `khabar embed` builds them)."""
    docs = list(generate(CorpusOptions(n=sample, seed=11, html=0.0, duplicates=0.0)))
    arts = [analyze(d.content, d.published, source="x", html=False, steps=()) for d in docs]
    from khabar.store.db import article_lead

    texts = [vectors.passage(d.title, article_lead(a), a.summary) for d, a in zip(docs, arts, strict=True)]
    embedder.embed_passages(texts[:2])  # load the model
    started = time.perf_counter()
    for i in range(0, len(texts), 16):
        embedder.embed_passages(texts[i : i + 16])
    seconds = time.perf_counter() - started
    t = time.perf_counter()
    for q in ("बाढ़ से तबाही", "farmers protest", "Narendra Modi", "शेयर बाजार में गिरावट"):
        embedder.embed_query(q)
    return {
        "articles": len(texts),
        "mean_passage_chars": round(sum(map(len, texts)) / len(texts)),
        "articles_per_second": round(len(texts) / seconds, 2),
        "query_encoder_ms": round((time.perf_counter() - t) / 4 * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--embed-sample", type=int, default=128)
    parser.add_argument(
        "--fast-above", type=int, default=20_000, help="bigger bases are written directly (see _fast_rows)"
    )
    default_cache = Path("/work/cache/h2") if Path("/work/cache").is_dir() else Path(".bench-cache")
    parser.add_argument("--cache", type=Path, default=default_cache)
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    result: dict[str, Any] = {
        "date": date.today().isoformat(),
        "machine": f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}",
        "load_average_before": [round(x, 1) for x in os.getloadavg()],
        "vectors": "random unit vectors for latency and ANN recall (see the docstring); exact numpy "
        f"search, usearch HNSW (unfiltered) from ANN_MIN_VECTORS = {vectors.ANN_MIN_VECTORS} vectors",
    }
    for n in args.sizes:
        result[str(n)] = run_size(n, args.cache, args.queries, fast=n > args.fast_above)
        print(json.dumps({str(n): result[str(n)]}), file=sys.stderr)
    if args.embed_sample:
        result["embedding"] = embedding_throughput(args.cache, args.embed_sample)
    result["load_average_after"] = [round(x, 1) for x in os.getloadavg()]
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
