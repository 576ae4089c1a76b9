"""Ray engine against the local engine on one generated corpus, in one run: throughput and memory.

The corpus comes from bench/make_corpus.py (the project's own texts varied: names, places, numbers,
teasers, HTML pages, 10% planted copies), written as JSONL shards. Each engine runs in its own child
process (so peak memory is its own):

- local: `khabar ingest`'s engine (`ingest_paths`, 2 worker processes, one SQLite writer);
- ray-1, ray-2: `khabar run` on a local Ray (num_cpus=2) with 1 and 2 analysis actors of 0.5 CPU
  each, then `khabar load` of the dataset into SQLite.

Prints JSON: per engine the seconds per stage (analysis, near-duplicates, linking, load), articles/s,
peak RSS of the driver and of each actor (or of the largest worker process); the scaling ratio
(ray-2 / ray-1 analysis throughput) and the ratios to the local engine; whether the knowledge base
loaded from the Ray dataset has the local one's article ids, entities and clusters; the shape of the
dedup and linking graphs (components, largest component) for docs/scale.md's cost model; and the
machine's load average while it ran (the machine is shared: run it with `nice -n 10`).

Usage: nice -n 10 python bench/bench_scale.py [--n 10000] [--shards 40] [--seed 1] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def make_shards(folder: Path, n: int, shards: int, seed: int) -> list[str]:
    """Generate the corpus (in a child process) and split it into JSONL shards."""
    whole = folder / "corpus.jsonl"
    subprocess.run(
        [sys.executable, str(HERE / "make_corpus.py"), str(whole), "--n", str(n), "--seed", str(seed)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    lines = whole.read_text(encoding="utf-8").splitlines(keepends=True)
    whole.unlink()
    out = folder / "shards"
    out.mkdir()
    size = -(-len(lines) // shards)
    for i in range(0, len(lines), size):
        (out / f"part-{i // size:04d}.jsonl").write_text("".join(lines[i : i + size]), encoding="utf-8")
    return [str(out)]


def _peak_mb(who: int) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)


def child_local(paths: list[str], db: Path) -> dict[str, Any]:
    """The local engine: analysis on 2 worker processes, one writer, clusters at the end."""
    from khabar.ingest.runner import ingest_paths

    started = time.perf_counter()
    summary = ingest_paths(paths, db, workers=2)
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 2),
        "stages": {
            "analysis_and_store": round(summary.seconds - summary.cluster_seconds, 2),
            "dedup": round(summary.cluster_seconds, 2),
        },
        "articles": summary.added,
        "articles_per_second": round(summary.documents / seconds, 2),
        "driver_peak_rss_mb": _peak_mb(resource.RUSAGE_SELF),
        "worker_peak_rss_mb": _peak_mb(resource.RUSAGE_CHILDREN),
    }


def child_ray(paths: list[str], out: Path, db: Path, actors: int) -> dict[str, Any]:
    """The Ray engine on a local 2-CPU Ray, then the load into SQLite."""
    from khabar.engine.load import load_dataset
    from khabar.engine.ray import RunOptions, run

    started = time.perf_counter()
    opts = RunOptions(actors=actors, cpus_per_actor=0.5, num_cpus=2, progress=False)
    summary = run(paths, str(out), opts)
    loaded = load_dataset(str(out), db)
    seconds = time.perf_counter() - started
    data = summary.to_dict()
    stages = dict(data["stages"])
    stages["load"] = round(loaded.seconds, 2)
    return {
        "seconds": round(seconds, 2),
        "stages": stages,
        "articles": loaded.articles,
        "articles_per_second": round(summary.documents / seconds, 2),
        "analysis_articles_per_second": data["documents_per_second"],
        "driver_peak_rss_mb": _peak_mb(resource.RUSAGE_SELF),
        "actor_peak_rss_mb": data["actor_peak_rss_mb"],
        "dedup_graph": data.get("dedup"),
        "linking_graph": data.get("linking"),
    }


def same_knowledge_base(a: Path, b: Path) -> dict[str, bool]:
    """Whether two knowledge bases have the same article ids, entities, links and clusters."""
    checks = {
        "article_ids": "SELECT id FROM articles",
        "entities": "SELECT id, type, name, wikidata FROM entities",
        "article_entities": "SELECT article_id, local_id, entity_id FROM article_entities",
        "clusters": "SELECT id, representative, size FROM clusters",
        "cluster_of_article": "SELECT id, cluster FROM articles",
    }
    out = {}
    for name, sql in checks.items():
        rows = []
        for path in (a, b):
            conn = sqlite3.connect(path)
            rows.append(sorted(conn.execute(sql).fetchall(), key=repr))
            conn.close()
        out[name] = rows[0] == rows[1]
    return out


def _child(args: argparse.Namespace) -> None:
    paths = json.loads(args.paths)
    if args.child == "local":
        result = child_local(paths, Path(args.db))
    else:
        result = child_ray(paths, Path(args.out), Path(args.db), args.actors)
    sys.stdout.write(json.dumps(result) + "\n")


def _spawn(kind: str, paths: list[str], folder: Path, actors: int = 0) -> dict[str, Any]:
    name = kind if kind == "local" else f"ray-{actors}"
    cmd = [
        sys.executable,
        __file__,
        "--child",
        kind,
        "--paths",
        json.dumps(paths),
        "--db",
        str(folder / f"{name}.db"),
        "--out",
        str(folder / f"{name}-dataset"),
        "--actors",
        str(actors),
    ]
    load_before = os.getloadavg()[0]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode:
        tail = "\n".join(done.stderr.strip().splitlines()[-30:])
        raise SystemExit(f"{name} failed (exit {done.returncode}):\n{tail}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["load_average_1min"] = [round(load_before, 1), round(os.getloadavg()[0], 1)]
    # Each engine's figures are kept as soon as it finishes (a later failure does not lose them).
    (folder / f"{name}.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--shards", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, default=None, help="Keep the corpus and outputs here.")
    parser.add_argument("--child", choices=["local", "ray"], default=None, help=argparse.SUPPRESS)
    parser.add_argument("--paths", default="[]", help=argparse.SUPPRESS)
    parser.add_argument("--db", default="", help=argparse.SUPPRESS)
    parser.add_argument("--out", default="", help=argparse.SUPPRESS)
    parser.add_argument("--actors", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args)
        return
    tmp = None if args.keep else tempfile.TemporaryDirectory(prefix="khabar-scale-")
    folder = args.keep or Path(tmp.name)  # type: ignore[union-attr]
    folder.mkdir(parents=True, exist_ok=True)
    try:
        paths = make_shards(folder, args.n, args.shards, args.seed)
        results = {
            "local": _spawn("local", paths, folder),
            "ray-1": _spawn("ray", paths, folder, 1),
            "ray-2": _spawn("ray", paths, folder, 2),
        }
        one, two, local = results["ray-1"], results["ray-2"], results["local"]
        report = {
            "date": time.strftime("%Y-%m-%d"),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
            "articles": args.n,
            "shards": args.shards,
            "engines": results,
            "scaling_ratio_analysis": round(
                two["analysis_articles_per_second"] / one["analysis_articles_per_second"], 2
            ),
            "scaling_ratio_end_to_end": round(two["articles_per_second"] / one["articles_per_second"], 2),
            "ray2_over_local_end_to_end": round(two["articles_per_second"] / local["articles_per_second"], 2),
            "same_as_local": {
                "ray-1": same_knowledge_base(folder / "local.db", folder / "ray-1.db"),
                "ray-2": same_knowledge_base(folder / "local.db", folder / "ray-2.db"),
            },
        }
        sys.stdout.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    finally:
        if tmp is not None:
            tmp.cleanup()


if __name__ == "__main__":
    main()
