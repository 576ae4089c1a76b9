"""Project `khabar run` to 1 M / 10 M / 100 M articles on N nodes from bench/bench_scale.py's measurements.

Per-article costs come from the 1-actor run (one core analysing) and the 2-actor run (how much of a
second core an actor gets): analysis seconds per article per core, the graph steps' seconds per
article per CPU (near-duplicates, linking: their stages ran on the 2 CPUs of the local Ray), the share
of the largest candidate component (clustered by one task: it does not shrink with more nodes), and
`khabar load`'s seconds per article (one SQLite writer). The model:

    analysis   = M * a / (nodes * (cores - 1) * efficiency)
    graph step = M * g * 2 / (nodes * cores) + largest share * M * g_one   (g_one: one task's cost)
    load       = M * l                                                     (one writer, any nodes)

Node price is an assumption (`--price`, default 0.70 per 16-core node-hour); the figures are only as
good as the benchmark corpus is like the user's (see docs/scale.md).

Usage: python bench/scale_model.py BENCH.json --kb KEEP_DIR/ray-2.db [--cores 16] [--price 0.70]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
from pathlib import Path
from typing import Any

SIZES = (1_000_000, 10_000_000, 100_000_000)
NODES = (1, 10, 100)


def per_article(bench: dict[str, Any], occurrences: int) -> dict[str, float]:
    """Per-article costs from a bench_scale.py report (`occurrences`: entity occurrences linked)."""
    n = bench["articles"]
    one, two = bench["engines"]["ray-1"], bench["engines"]["ray-2"]
    dedup, link = two["dedup_graph"], two["linking_graph"]
    verify_share = dedup["largest_component"] / n
    return {
        "analysis_s_per_article_core": one["stages"]["analysis"] / n,
        "actor_efficiency": min(1.0, bench["scaling_ratio_analysis"] / 2),
        "dedup_s_per_article_cpu": two["stages"]["dedup"] * 2 / n,
        "dedup_verify_s_per_article": dedup["seconds"].get("verify", 0.0) * 2 / n,
        "dedup_largest_share": verify_share,
        "link_s_per_article_cpu": two["stages"]["link"] * 2 / n,
        "link_task_s_per_article": link["seconds"].get("link", 0.0) * 2 / n,
        "link_largest_share": link["largest_component"] / max(1, occurrences),
        "load_s_per_article": two["stages"]["load"] / n,
    }


def project(costs: dict[str, float], m: int, nodes: int, cores: int) -> dict[str, float]:
    """Wall seconds per stage for m articles on `nodes` nodes of `cores` cores."""
    analysis = m * costs["analysis_s_per_article_core"] / (nodes * (cores - 1) * costs["actor_efficiency"])
    dedup = m * costs["dedup_s_per_article_cpu"] / (nodes * cores) + (
        costs["dedup_largest_share"] * m * costs["dedup_verify_s_per_article"]
    )
    link = m * costs["link_s_per_article_cpu"] / (nodes * cores) + (
        costs["link_largest_share"] * m * costs["link_task_s_per_article"]
    )
    return {"analysis": analysis, "dedup": dedup, "link": link, "load": m * costs["load_s_per_article"]}


def _hours(seconds: float) -> str:
    return f"{seconds / 3600:,.1f} h" if seconds >= 360 else f"{seconds / 60:,.1f} min"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bench", type=Path)
    parser.add_argument("--cores", type=int, default=16)
    parser.add_argument("--price", type=float, default=0.70, help="Price of one node-hour (assumed).")
    parser.add_argument(
        "--kb", type=Path, required=True, help="The knowledge base the bench loaded (ray-2.db)."
    )
    args = parser.parse_args()
    bench = json.loads(args.bench.read_text(encoding="utf-8"))
    conn = sqlite3.connect(args.kb)
    occurrences = int(conn.execute("SELECT count(*) FROM article_entities").fetchone()[0])
    conn.close()
    costs = per_article(bench, occurrences)
    print("per-article costs:", json.dumps({k: round(v, 6) for k, v in costs.items()}))
    print()
    print(
        "| articles | nodes | analysis | near-dup | linking | run total | node-hours | cost | + load (1 writer) |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for m in SIZES:
        for nodes in NODES:
            t = project(costs, m, nodes, args.cores)
            run = t["analysis"] + t["dedup"] + t["link"]
            node_hours = run / 3600 * nodes
            print(
                f"| {m:,} | {nodes} | {_hours(t['analysis'])} | {_hours(t['dedup'])} | {_hours(t['link'])} "
                f"| {_hours(run)} | {node_hours:,.0f} | {node_hours * args.price:,.0f} | {_hours(t['load'])} |"
            )


if __name__ == "__main__":
    main()
