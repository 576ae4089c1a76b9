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

# Every table of the knowledge base is compared, all columns but the clock's (so a table or column a
# later migration adds is compared too). Full-text indexes (virtual tables and their shadow tables,
# whose bytes depend on how inserts were batched) are compared by what a search finds in them.
NOT_COMPARED = {"ingested_at", "applied_at", "at"}
PUNCT = "\"'“”‘’,.:;!?()[]।-"
# Tables the test corpus must fill (so their comparison means something).
FILLED = [
    "articles",
    "article_analysis",
    "article_fingerprints",
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
]


def _select(conn: sqlite3.Connection, table: str) -> str:
    cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")') if r[1] not in NOT_COMPARED]
    return "SELECT " + ", ".join(f'"{c}"' for c in cols) + f' FROM "{table}"'


def _schema(db: Path) -> tuple[dict[str, str], list[str]]:
    """(table -> the SELECT of its compared columns, full-text tables)."""
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
        fts = sorted(name for name, sql in rows if sql.upper().startswith("CREATE VIRTUAL TABLE"))
        plain = [n for n, _ in rows if n not in fts and not any(n.startswith(f"{v}_") for v in fts)]
        return {name: _select(conn, name) for name in plain}, fts
    finally:
        conn.close()


def _searches(db: Path, fts: list[str], words: list[str]) -> dict[str, list[list[int]]]:
    """The rowids each full-text table finds for each word."""
    conn = sqlite3.connect(db)
    try:
        sql = 'SELECT rowid FROM "{}" WHERE "{}" MATCH ? ORDER BY rowid'
        return {t: [[r[0] for r in conn.execute(sql.format(t, t), (f'"{w}"',))] for w in words] for t in fts}
    finally:
        conn.close()


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
    tables, fts = _schema(local)
    assert _schema(loaded) == (tables, fts)
    assert set(FILLED) <= set(tables) and {"articles_fts", "search_index"} <= set(fts)
    for table, sql in tables.items():
        expected = _rows(local, sql)
        assert expected or table not in FILLED, f"the corpus has no {table}"
        assert _rows(loaded, sql) == expected, table
    headlines = " ".join(str(r[0]) for r in _rows(local, "SELECT headline FROM articles"))
    words = sorted({w.strip(PUNCT) for w in headlines.split() if len(w.strip(PUNCT)) > 2})[:40]
    assert len(words) >= 10
    found = _searches(local, fts, words)
    assert all(any(hits) for hits in found.values()), "a full-text index finds none of the title words"
    assert _searches(loaded, fts, words) == found
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


# The killed run: `khabar run` as a user starts it, except that after each shard's commit the driver
# holds until the file given as argv[1] appears (it never does: the test kills the run there). While
# the driver holds, the actors go on writing the other shards' parts into the staging folder, so the
# kill lands after exactly one commit and in the middle of the other shards, on any machine.
_HELD_RUN = """
import functools, sys, time
from pathlib import Path
import khabar.engine.ray as engine
from khabar.cli import main

def hold(shard, marker):
    while not Path(sys.argv[1]).exists():
        time.sleep(0.05)

engine.run = functools.partial(engine.run, on_commit=hold)
sys.argv = ["khabar", "run", *sys.argv[2:]]
main()
"""


def _staged_parts(out: Path) -> list[Path]:
    staging = out / "_staging"
    return list(staging.glob("*/*/*.parquet")) if staging.is_dir() else []


def test_killed_run_resumes_without_doubling_or_losing_a_shard(
    ray_cluster: Any, ray_dataset: Path, corpus: Path, tmp_path: Path
) -> None:
    out, log = tmp_path / "dataset", tmp_path / "killed.log"
    address = ray_cluster.get_runtime_context().gcs_address
    args = [str(tmp_path / "never"), str(corpus), "--out", str(out), "--batch-size", "2", "-q"]
    with log.open("wb") as stderr:
        child = subprocess.Popen(
            [sys.executable, "-c", _HELD_RUN, *args],
            env={**os.environ, "RAY_ADDRESS": address},
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            start_new_session=True,
        )
        done_dir = out / "_done"
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline and child.poll() is None:
            if done_dir.is_dir() and any(done_dir.glob("*.json")) and _staged_parts(out):
                break
            time.sleep(0.1)
        exited = child.poll()
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()
    assert exited is None, (
        f"the held run ended by itself ({exited}): {log.read_text(errors='replace')[-2000:]}"
    )
    finished = sorted(p.stem for p in done_dir.glob("*.json"))
    assert len(finished) == 1, f"the driver holds after its first commit, yet {len(finished)} shards are done"
    # Killed in the middle of another shard: its parts are staged, not committed.
    assert {p.parent.parent.name for p in _staged_parts(out)} - set(finished)
    # The rerun's batches differ from the killed run's (4 records, not 2), so its part files have other
    # names: a part the killed run left behind cannot pass for one of the rerun's.
    summary = run([str(corpus)], str(out), RunOptions(progress=False, batch_size=4), dedup=False, link=False)
    assert summary.shards_skipped == 1
    assert summary.shards == 3
    assert _dataset_rows(out) == _dataset_rows(ray_dataset)
