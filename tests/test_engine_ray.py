"""The Ray engine against the local engine: same articles, entities and clusters; resumable; error rows.

One local Ray (num_cpus=2) serves the whole test session (`ray_cluster` in conftest.py). The corpus is
small: generated articles with planted copies, in JSONL, gzipped JSONL and plain text files, with a
bad record and one record repeated in another shard.
"""

from __future__ import annotations

import gzip
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from khabar.engine.load import load_dataset
from khabar.engine.ray import RunOptions, run
from khabar.engine.shards import Layout
from khabar.ingest.runner import ingest_paths
from make_corpus import CorpusOptions, generate

pytestmark = pytest.mark.slow

COMPARED = {
    "articles": "SELECT id, source, title, headline, published, text_hash, words, cluster FROM articles",
    "analysis": "SELECT article_id, analysis FROM article_analysis",
    "fingerprints": "SELECT article_id, minhash, sentence_hashes FROM article_fingerprints",
    "documents": "SELECT source, raw_hash, article_id FROM documents",
    "entities": "SELECT id, type, name, name_en, wikidata, key, single_token FROM entities",
    "aliases": "SELECT entity_id, alias, key FROM aliases",
    "entity_roles": "SELECT entity_id, role, article_id FROM entity_roles",
    "article_entities": "SELECT article_id, local_id, entity_id, name, mentions FROM article_entities",
    "mentions": 'SELECT article_id, entity_id, local_entity, start, "end", type FROM mentions',
    "quotes": "SELECT article_id, start, speaker_entity FROM quotes",
    "events": "SELECT article_id, idx, cameo, actor1_entity, actor2_entity, location_entity FROM events",
    "clusters": "SELECT id, representative, size FROM clusters",
    "errors": "SELECT source, message FROM errors",
}


def _records(n: int, seed: int) -> list[dict[str, Any]]:
    out = []
    for doc in generate(CorpusOptions(n=n, seed=seed, duplicates=0.35, html=0.2)):
        record = doc.to_record()
        out.append({k: record[k] for k in ("id", "url", "published", "text", "html") if k in record})
    return out


def _write_jsonl(path: Path, records: list[dict[str, Any]], extra: str = "") -> None:
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records) + extra
    if path.suffix == ".gz":
        path.write_bytes(gzip.compress(data.encode("utf-8")))
    else:
        path.write_text(data, encoding="utf-8")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three shards: a JSONL file (with a record over the size limit), a gzipped one (with a bad line
    and a record repeated from the first), and a folder of text files."""
    root = tmp_path_factory.mktemp("corpus") / "in"
    root.mkdir()
    records = _records(22, seed=5)
    too_big = {"id": "big", "text": "बहुत लंबी खबर। " * 150_000}  # over khabar ingest's --max-bytes
    _write_jsonl(root / "a.jsonl", [*records[:9], too_big])
    _write_jsonl(root / "b.jsonl.gz", [*records[9:18], records[2]], extra='{"text": "अधूरा\n')
    files = root / "c"
    files.mkdir()
    for i, rec in enumerate(records[18:]):
        if rec.get("text"):
            (files / f"{i:02d}.txt").write_text(rec["text"], encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def ray_dataset(ray_cluster: Any, corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ray") / "dataset"
    run([str(corpus)], str(out), RunOptions(progress=False, batch_size=4))
    return out


def _rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        return sorted(conn.execute(sql).fetchall(), key=repr)
    finally:
        conn.close()


def test_ray_engine_builds_the_local_engines_knowledge_base(
    ray_dataset: Path, corpus: Path, tmp_path: Path
) -> None:
    local, loaded = tmp_path / "local.db", tmp_path / "ray.db"
    ingest_paths([str(corpus)], local, workers=1)
    load_dataset(str(ray_dataset), loaded)
    for table, sql in COMPARED.items():
        expected = _rows(local, sql)
        assert expected or table in {"quotes", "events"}, f"the corpus has no {table}"
        assert _rows(loaded, sql) == expected, table
    # The corpus exercises what is compared: clusters, entities shared by articles, a copy.
    assert _rows(local, "SELECT count(*) FROM clusters")[0][0] >= 2
    shared = "SELECT count(*) FROM (SELECT entity_id FROM article_entities GROUP BY 1 HAVING count(*) > 1)"
    assert _rows(local, shared)[0][0] >= 5
    assert len(_rows(local, "SELECT * FROM documents")) > len(_rows(local, "SELECT * FROM articles"))


def test_bad_record_becomes_an_error_row(ray_dataset: Path) -> None:
    layout = Layout(str(ray_dataset))
    errors = pq.read_table(layout.parts("errors")).to_pylist() if layout.parts("errors") else []
    bad = [e for e in errors if e["source"].endswith("b.jsonl.gz:11")]
    assert len(bad) == 1 and "invalid JSON" in bad[0]["message"]
    markers = layout.done().values()
    assert sum(m["errors"] for m in markers) == len(errors)
    assert sum(m["documents"] for m in markers) == 10 + 11 + len(layout.done()[_files_key(layout)]["paths"])
    over = [e for e in errors if e["source"].endswith("a.jsonl:10")]
    assert len(over) == 1 and "--max-bytes" in over[0]["message"]


def _files_key(layout: Layout) -> str:
    return next(k for k, m in layout.done().items() if m["kind"] == "files")


def _dataset_rows(root: Path) -> list[tuple[str, int, str]]:
    layout = Layout(str(root))
    rows = []
    for table, column in (("articles", "id"), ("errors", "source")):
        for part in layout.parts(table):
            rows.extend((table, r["ord"], r[column]) for r in pq.read_table(part).to_pylist())
    return sorted(rows)


def test_killed_run_resumes_without_doubling_or_losing_a_shard(
    ray_cluster: Any, ray_dataset: Path, corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "dataset"
    address = ray_cluster.get_runtime_context().gcs_address
    khabar = str(Path(sys.executable).parent / "khabar")
    cmd = [khabar, "run", str(corpus), "--out", str(out), "--batch-size", "2", "-q"]
    child = subprocess.Popen(
        cmd,
        env={**os.environ, "RAY_ADDRESS": address},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    done_dir = out / "_done"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and child.poll() is None:
        if done_dir.is_dir() and any(done_dir.glob("*.json")):
            break
        time.sleep(0.05)
    os.killpg(child.pid, signal.SIGKILL)
    child.wait()
    finished = len(list(done_dir.glob("*.json"))) if done_dir.is_dir() else 0
    assert 1 <= finished < 3, f"the run was to be killed between shards ({finished} of 3 done)"
    summary = run([str(corpus)], str(out), RunOptions(progress=False, batch_size=4), dedup=False, link=False)
    assert summary.shards_skipped == finished
    assert _dataset_rows(out) == _dataset_rows(ray_dataset)
