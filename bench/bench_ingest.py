"""Ingest throughput and peak memory: N generated articles (one file each) into a new knowledge base.

Articles come from bench/make_corpus.py (the project's own texts varied: names, places, numbers,
teasers, HTML pages, 10% planted copies). Prints JSON: articles/s for the first ingest, for a rerun
(everything already stored), peak resident memory of the writer (this process) and of the largest other process (the
workers, and the corpus generator run before), and the
knowledge base size.

With --incremental SIZE..., it measures instead what adding `--add` (10) new articles to knowledge
bases of each SIZE costs: the base knowledge base is ingested with cleaning only (no analysis steps:
clustering and template learning read only the clean text, and this keeps a 50,000-article base
quick to build), then the new articles are ingested with the full analysis. It reports the whole
ingest of the new ones, its clustering part (`db.update_clusters`: linking, template-line counts and
learning) and within it the linking, the line counts and the recleaning of stored articles that
newly learned lines change (a cleaning and analysis of those articles, reported with their number),
a full recompute (`khabar duplicates --rebuild`) of the same knowledge base, and whether the
recompute gives the same clusters.

Usage: python bench/bench_ingest.py [--n 10000] [--workers 2] [--seed 1] [--keep DIR]
       python bench/bench_ingest.py --incremental 1000 10000 50000 [--add 10] [--workers 2] [--seed 1]
           [--base-cache DIR] [--no-rebuild]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from khabar import pipeline
from khabar.ingest.runner import ingest_paths
from khabar.store import db as store_db
from khabar.store import dedup_index, learned
from khabar.store.kb import KnowledgeBase

sys.path.insert(0, str(Path(__file__).resolve().parent))


def planted_copies_found(kb: KnowledgeBase, corpus: Path) -> tuple[int, int]:
    """How many of make_corpus.py's planted copies (truth.json `dup_of`) share a cluster (or the
    article, for an exact copy) with their original; and how many there are."""
    truth = json.loads((corpus / "truth.json").read_text(encoding="utf-8"))
    group: dict[str, str] = {}
    for cluster in kb.duplicates(limit=kb.count_duplicates()):
        for art in cluster["articles"]:
            group[Path(art["source"]).name] = cluster["id"]
    file_of = {t["id"]: t["file"] for t in truth}
    copies = [(t["file"], file_of[t["dup_of"]]) for t in truth if t["dup_of"]]
    found = sum(1 for a, b in copies if a in group and group.get(a) == group.get(b))
    return found, len(copies)


def run(n: int, workers: int, seed: int, folder: Path) -> dict[str, object]:
    """Generate, ingest, re-ingest; return the figures."""
    corpus = folder / "corpus"
    # Generated in a child process, so this process's peak memory is the ingest's alone.
    maker = Path(__file__).resolve().parent / "make_corpus.py"
    subprocess.run(
        [sys.executable, str(maker), f"{corpus}/", "--n", str(n), "--seed", str(seed)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    db = folder / "kb.db"
    started = time.perf_counter()
    first = ingest_paths([str(corpus)], db, workers=workers)
    first_s = time.perf_counter() - started
    started = time.perf_counter()
    second = ingest_paths([str(corpus)], db, workers=workers)
    second_s = time.perf_counter() - started
    with KnowledgeBase(db, readonly=True) as kb:
        stats = kb.stats()
        found, planted = planted_copies_found(kb, corpus)
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "documents": first.documents,
        "workers": workers,
        "ingest_seconds": round(first_s, 1),
        "articles_per_second": round(first.documents / first_s, 1),
        "added": first.added,
        "copies": first.copies,
        "errors": len(first.errors),
        "clusters": first.clusters,
        "cluster_seconds": round(first.cluster_seconds, 1),
        "rerun_seconds": round(second_s, 1),
        "rerun_added": second.added,
        "rerun_documents_per_second": round(second.documents / second_s, 1),
        "peak_rss_writer_mb": round(self_kb / 1024, 1),
        "peak_rss_largest_worker_mb": round(child_kb / 1024, 1),
        "db_mb": round(db.stat().st_size / 1e6, 1),
        "planted_copies": planted,
        "planted_copies_in_a_cluster_with_their_original": found,
        "entities": stats["entities"],
        "mentions": stats["mentions"],
        "machine": f"{platform.machine()} {platform.python_version()}",
        "load_average_1min_at_end": round(os.getloadavg()[0], 1),
    }


def _partition(db: Path) -> set[frozenset[str]]:
    """The duplicate clusters of a knowledge base as sets of article ids."""
    with KnowledgeBase(db, readonly=True) as kb:
        members: dict[str, set[str]] = {}
        for aid, cluster in kb._rows("SELECT id, cluster FROM articles WHERE cluster IS NOT NULL"):
            members.setdefault(cluster, set()).add(aid)
    return {frozenset(m) for m in members.values()}


def _build_base(size: int, add: int, workers: int, seed: int, folder: Path) -> tuple[int, float]:
    """The clean-only base knowledge base `folder/kb.db` of `size` articles and the `add` new files
    in `folder/new`; returns the articles stored and the seconds it took."""
    from make_corpus import CorpusOptions, generate

    base, new = folder / "base.jsonl", folder / "new"
    new.mkdir(parents=True, exist_ok=True)
    with base.open("w", encoding="utf-8") as handle:
        for i, doc in enumerate(generate(CorpusOptions(n=size + add, seed=seed))):
            if i < size:
                handle.write(json.dumps(doc.to_record(), ensure_ascii=False) + "\n")
            else:
                (new / f"{doc.id}{doc.suffix}").write_text(doc.content, encoding="utf-8")
    full_steps = pipeline.default_steps
    pipeline.default_steps = lambda ner="fast": []  # type: ignore[assignment,misc]
    try:
        started = time.perf_counter()
        built = ingest_paths([str(base)], folder / "kb.db", workers=workers)
        base_s = time.perf_counter() - started
    finally:
        pipeline.default_steps = full_steps  # type: ignore[assignment]
    (folder / "built.json").write_text(
        json.dumps({"articles": built.added, "seconds": round(base_s, 1)}), encoding="utf-8"
    )
    return built.added, base_s


def incremental(
    size: int,
    add: int,
    workers: int,
    seed: int,
    folder: Path,
    cache: Path | None = None,
    rebuild: bool = True,
) -> dict[str, object]:
    """Add `add` articles to a knowledge base of `size`; the figures. With `cache`, the base is
    built once into `cache/base-SIZE-ADD-seedSEED/` and copied from there on later runs (delete it
    after changing the code: it was built by the code of its first run). `rebuild=False` skips the
    full recompute (and the comparison of its clusters)."""
    built_in = (cache or folder) / f"base-{size}-{add}-seed{seed}"
    if not (built_in / "built.json").exists():
        built_in.mkdir(parents=True, exist_ok=True)
        _build_base(size, add, workers, seed, built_in)
    built = json.loads((built_in / "built.json").read_text(encoding="utf-8"))
    work = folder / f"kb-{size}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    for part in built_in.glob("kb.db*"):
        shutil.copy(part, work / part.name)
    db, new = work / "kb.db", built_in / "new"
    base_s = float(built["seconds"])
    spent: list[float] = []
    update = store_db.update_clusters
    phases = {"link": 0.0, "count": 0.0, "reclean": 0.0}
    recleaned: list[str] = []
    originals = (dedup_index.update_clusters, learned._count_new, learned.reclean_stored)

    def phase(name: str, fn: Any) -> Any:
        def run(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                out = fn(*args, **kwargs)
            finally:
                phases[name] += time.perf_counter() - t0
            if name == "reclean":
                recleaned.extend(out)
            return out

        return run

    def timed(conn: object, rebuild: bool = False, recleaner: Any = None) -> int:
        t0 = time.perf_counter()
        try:
            return update(conn, rebuild=rebuild, recleaner=recleaner)  # type: ignore[arg-type]
        finally:
            spent.append(time.perf_counter() - t0)

    def learned_count() -> int:
        with KnowledgeBase(db, readonly=True) as kb:
            return int(kb._rows("SELECT count(*) FROM line_stats WHERE learned = 1")[0][0])

    learned_before = learned_count()
    store_db.update_clusters = timed  # type: ignore[assignment]
    dedup_index.update_clusters = phase("link", originals[0])  # type: ignore[assignment]
    learned._count_new = phase("count", originals[1])  # type: ignore[assignment]
    learned.reclean_stored = phase("reclean", originals[2])  # type: ignore[assignment]
    try:
        started = time.perf_counter()
        added = ingest_paths([str(new)], db, workers=workers)
        add_s = time.perf_counter() - started
    finally:
        store_db.update_clusters = update  # type: ignore[assignment]
        dedup_index.update_clusters, learned._count_new, learned.reclean_stored = originals  # type: ignore[assignment]
    incremental_clusters = _partition(db)
    learned_after = learned_count()
    rebuilt: dict[str, object] = {"full_rebuild_seconds": None, "rebuild_gives_the_same_clusters": None}
    if rebuild:
        started = time.perf_counter()
        with KnowledgeBase(db) as kb:
            kb.update_clusters(rebuild=True)
        rebuilt["full_rebuild_seconds"] = round(time.perf_counter() - started, 1)
        rebuilt["rebuild_gives_the_same_clusters"] = _partition(db) == incremental_clusters
    return {
        "base_articles": built["articles"],
        "base_build_seconds_clean_only": round(base_s, 1),
        "base_from_cache": cache is not None,
        "added": added.added,
        "add_documents": added.documents,
        "add_ingest_seconds": round(add_s, 2),
        "add_clustering_seconds": round(sum(spent), 3),
        "of_which_linking_seconds": round(phases["link"], 3),
        "of_which_line_counts_seconds": round(phases["count"], 3),
        "of_which_recleaning_stored_articles_seconds": round(phases["reclean"], 3),
        "stored_articles_recleaned": len(recleaned),
        "clustering_without_recleaning_seconds": round(sum(spent) - phases["reclean"], 3),
        "add_cluster_step_seconds": round(added.cluster_seconds, 3),
        "learned_lines_before_and_after_the_add": [learned_before, learned_after],
        **rebuilt,
        "clusters": len(incremental_clusters),
        "db_mb": round(db.stat().st_size / 1e6, 1),
        "machine": f"{platform.machine()} {platform.python_version()}",
        "load_average_1min_at_end": round(os.getloadavg()[0], 1),
    }


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="Work in this folder and keep it (default: a temp folder).")
    parser.add_argument("--incremental", type=int, nargs="*", help="Knowledge-base sizes to add articles to.")
    parser.add_argument("--add", type=int, default=10, help="Articles added in --incremental (default 10).")
    parser.add_argument(
        "--base-cache",
        type=Path,
        help="Keep --incremental's base knowledge bases here and reuse them (built by the code of the first run).",
    )
    parser.add_argument(
        "--no-rebuild", action="store_true", help="--incremental without the full recompute (slow at 50,000)."
    )
    args = parser.parse_args()
    if args.incremental:
        with tempfile.TemporaryDirectory(prefix="khabar-bench-", dir=args.keep) as tmp:
            for size in args.incremental:
                figures = incremental(
                    size, args.add, args.workers, args.seed, Path(tmp), args.base_cache, not args.no_rebuild
                )
                print(json.dumps({"size": size, **figures}), flush=True)
        return
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        result = run(args.n, args.workers, args.seed, args.keep)
    else:
        with tempfile.TemporaryDirectory(prefix="khabar-bench-") as tmp:
            result = run(args.n, args.workers, args.seed, Path(tmp))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
