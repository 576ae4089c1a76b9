"""Near-duplicate clusters of a dataset on Ray, with the local engine's own clustering.

1. Signatures come from the analysis step (`fingerprints`, `dedup.minhash.fingerprint_text`).
2. Articles are grouped (hash shuffle) by every key through which the local clustering can ever make
   two articles candidates: each LSH band of the MinHash (the bands x rows of the local index at its
   threshold), each sentence hash, and the exact text hash. Each group gives star edges.
3. Connected components of those candidate edges (`shuffle.connected_components`, label propagation).
4. Each component is clustered, in parallel with the others, by the local engine's
   `dedup.clusters.find_clusters` (candidates, verification, representative), given the component's
   articles in input order. No article outside a component can be a candidate of one inside it (every
   key two candidates could share is an edge), and every article sharing a sentence with one inside
   is inside, so boilerplate counts agree too: the clusters are the local engine's.

A component is clustered by one task, so a corpus whose candidate graph has one giant component
(a low LSH threshold over millions of articles, or a stock sentence in most of them) clusters it at
the speed of one process: `docs/scale.md` measures how big components get.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from datasketch import MinHashLSH

from khabar.dedup.clusters import LSH_THRESHOLD, DedupItem, find_clusters
from khabar.dedup.minhash import NUM_PERM, hashes_from_bytes, minhash_from_bytes
from khabar.engine.shards import Layout
from khabar.engine.shuffle import GraphStats, Row, connected_components, run_stage, split, transpose

CLUSTERS = pa.schema([("id", pa.string()), ("representative", pa.string()), ("size", pa.int64())])
MEMBERS = pa.schema([("article_id", pa.string()), ("cluster", pa.string())])
OUTPUT_TABLES = ("clusters", "cluster_members")
STAGING_DIR = "_staging/dedup"


def lsh_shape() -> tuple[int, int]:
    """(bands, rows per band) of the local engine's LSH index."""
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    return int(lsh.b), int(lsh.r)


def candidate_keys(minhash: bytes, sentences: bytes, text_hash: str, shape: tuple[int, int]) -> list[str]:
    """Every key through which the local clustering can pair this article with another."""
    bands, rows = shape
    values = np.frombuffer(minhash, dtype="<u8")
    keys = [f"b{i}:{values[i * rows : (i + 1) * rows].tobytes().hex()}" for i in range(bands)]
    keys += [f"s{h}" for h in sorted(hashes_from_bytes(sentences))]
    keys.append(f"h{text_hash}")
    return keys


def _read(root: str, parts: int, fingerprint_parts: list[str], article_parts: list[str]) -> tuple[Any, ...]:
    """A shard's fingerprints and texts, by article id."""
    layout = Layout(root)
    rows: list[Row] = []
    for fp_path, art_path in zip(fingerprint_parts, article_parts, strict=True):
        with layout.fs.open(fp_path, "rb") as handle:
            fps = pq.read_table(handle).to_pylist()
        with layout.fs.open(art_path, "rb") as handle:
            texts = {r["id"]: r["text"] for r in pq.read_table(handle, columns=["id", "text"]).to_pylist()}
        rows.extend(
            (
                f["article_id"],
                f["ord"],
                f["text_hash"],
                f["words"],
                f["minhash"],
                f["sentence_hashes"],
                texts[f["article_id"]],
            )
            for f in fps
        )
    return tuple(split(rows, parts))


def _keys(chunks: list[list[Row]], parts: int, shape: tuple[int, int]) -> tuple[Any, ...]:
    """Canonical articles of one id partition (the first in input order) and their candidate keys."""
    items: dict[str, Row] = {}
    for chunk in chunks:
        for row in chunk:
            if row[0] not in items or row[1] < items[row[0]][1]:
                items[row[0]] = row
    keyed = [
        (key, row[1], row[0])
        for row in items.values()
        for key in candidate_keys(row[4], row[5], row[2], shape)
    ]
    return (items, *split(keyed, parts))


def _edges(chunks: list[list[Row]]) -> tuple[list[tuple[str, str]], int]:
    """Star edges of every key group: its first article (input order) to each other one."""
    groups: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for chunk in chunks:
        for key, order, aid in chunk:
            groups[key].append((order, aid))
    edges: list[tuple[str, str]] = []
    for members in groups.values():
        if len(members) > 1:
            members.sort()
            first = members[0][1]
            edges.extend((first, aid) for _, aid in members[1:])
    return edges, len(edges)


def _by_component(items: list[dict[str, Row]], labels: list[dict[str, str]], parts: int) -> tuple[Any, ...]:
    """The labelled articles of one partition, sent to their component's partition."""
    rows = items[0] if items else {}
    label = labels[0] if labels else {}
    return tuple(split(((lab, rows[aid]) for aid, lab in label.items()), parts))


def _cluster(chunks: list[list[Row]], root: str, index: int) -> tuple[int, int, int]:
    """Cluster every component of one partition with the local engine's clustering; write the result."""
    components: dict[str, list[Row]] = defaultdict(list)
    for chunk in chunks:
        for label, row in chunk:
            components[label].append(row)
    clusters: list[dict[str, Any]] = []
    members: list[dict[str, Any]] = []
    for rows in components.values():
        rows.sort(key=lambda r: r[1])
        items = [
            DedupItem(
                id=r[0],
                text_hash=r[2],
                minhash=minhash_from_bytes(r[4]),
                sentences=hashes_from_bytes(r[5]),
                words=r[3],
            )
            for r in rows
        ]
        texts = {r[0]: r[6] for r in rows}
        for cl in find_clusters(items, texts.__getitem__, ordered=True):  # input order, as local ingest
            clusters.append({"id": cl.id, "representative": cl.representative, "size": len(cl.members)})
            members.extend({"article_id": m, "cluster": cl.id} for m in cl.members)
    layout = Layout(root)
    for table, schema, data in (("clusters", CLUSTERS, clusters), ("cluster_members", MEMBERS, members)):
        write_part(layout, layout.path(STAGING_DIR, table), index, pa.Table.from_pylist(data, schema=schema))
    return len(clusters), len(components), max((len(c) for c in components.values()), default=0)


def write_part(layout: Layout, folder: str, index: int, table: pa.Table) -> None:
    """Write one numbered part file atomically."""
    layout.fs.makedirs(folder, exist_ok=True)
    path = posixpath.join(folder, f"part-{index:05d}.parquet")
    with layout.fs.open(f"{path}.tmp", "wb") as handle:
        pq.write_table(table, handle)
    layout.fs.mv(f"{path}.tmp", path)


def publish(layout: Layout, staging: str, tables: Sequence[str]) -> None:
    """Replace the dataset's `tables` by their staged versions (an empty folder when none was staged)."""
    for table in tables:
        src, dst = posixpath.join(staging, table), layout.path(table)
        if layout.fs.exists(dst):
            layout.fs.rm(dst, recursive=True)
        if layout.fs.exists(src):
            layout.fs.mv(src, dst, recursive=True)
        else:
            layout.fs.makedirs(dst, exist_ok=True)
    if layout.fs.exists(staging):
        layout.fs.rm(staging, recursive=True)


def reset_staging(layout: Layout, staging: str) -> None:
    """Remove what an earlier, killed graph step left."""
    if layout.fs.exists(staging):
        layout.fs.rm(staging, recursive=True)


def find_clusters_ray(ray: Any, layout: Layout, parts: int | None = None) -> GraphStats:
    """Cluster every committed article of the dataset; writes `clusters` and `cluster_members`."""
    parts = parts or graph_parts(ray)
    stats = GraphStats()
    staging = layout.path(STAGING_DIR)
    reset_staging(layout, staging)
    fingerprints, articles = layout.parts_by_shard("fingerprints"), layout.parts_by_shard("articles")
    done = sorted(fingerprints)
    if not done:
        publish(layout, staging, OUTPUT_TABLES)
        return stats
    per_shard = [(fingerprints[k], articles[k]) for k in done]
    reads = run_stage(ray, _read, [() for _ in done], parts, layout.root, parts, per_task=per_shard)
    stats.mark(ray, "read", reads)
    keyed = run_stage(ray, _keys, [(col,) for col in transpose(reads)], parts + 1, parts, lsh_shape())
    stats.mark(ray, "keys", keyed)
    items = [out[0] for out in keyed]
    edges = run_stage(ray, _edges, [(col,) for col in transpose(keyed, column=1, width=parts)], 2)
    stats.edges = sum(ray.get([e[1] for e in edges]))
    stats.mark(ray, "bands", edges)
    labels = connected_components(ray, [e[0] for e in edges], parts, stats)
    grouped = run_stage(ray, _by_component, [([items[p]], [labels[p]]) for p in range(parts)], parts, parts)
    stats.mark(ray, "group", grouped)
    return finish_components(ray, _cluster, "verify", grouped, layout, staging, stats, OUTPUT_TABLES)


def finish_components(
    ray: Any,
    fn: Any,
    name: str,
    grouped: list[list[Any]],
    layout: Layout,
    staging: str,
    stats: GraphStats,
    tables: Sequence[str],
) -> GraphStats:
    """The last stage of a graph job: `fn(chunks, root, partition)` on each partition's components
    (it writes its tables' parts into staging and returns rows written, components and the largest
    component), then the staged tables published."""
    columns = transpose(grouped)
    results = run_stage(
        ray, fn, [(col,) for col in columns], 1, layout.root, per_task=[(p,) for p in range(len(columns))]
    )
    counts = ray.get([r[0] for r in results])
    stats.mark(ray, name, results)
    stats.count = sum(c[0] for c in counts)
    stats.components = sum(c[1] for c in counts)
    stats.largest_component = max((c[2] for c in counts), default=0)
    publish(layout, staging, tables)
    return stats


def graph_parts(ray: Any) -> int:
    """Partitions of the graph steps: one or two per CPU of the cluster."""
    return max(2, min(256, int(ray.cluster_resources().get("CPU", 2))))
