"""The Ray engine: `khabar run` analyses sharded input on a Ray cluster into a Parquet dataset.

1. Analysis (Ray Data): shards are read by tasks with the local engine's readers; an actor pool
   (`Analyzer`, models and tables loaded once per actor) runs `ingest.runner.analyze_for_store`
   (`pipeline.analyze_doc` plus the dedup fingerprint), the same pure unit of work as `khabar ingest`,
   and writes each batch's rows (`engine.tables`) as part files into the shard's staging folder. The
   driver only sees one small metadata row per part; when every record of a shard is written it
   moves the parts into place and writes the shard's completion marker. A rerun skips shards with a
   marker and redoes the others, so a killed run loses only the shards it had not finished.
2. Near-duplicates (`engine.dedup`) and 3. cross-article entity linking (`engine.link`) run as
   Ray tasks over the committed shards; `khabar load` (`engine.load`) builds the SQLite knowledge base.
"""

from __future__ import annotations

import os
import posixpath
import resource
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from khabar.engine.shards import (
    FILES_PER_SHARD,
    STAGING,
    Layout,
    Shard,
    list_shards,
    order_key,
    read_shard,
    shard_dict,
)
from khabar.engine.tables import TABLES, Analysed, batch_tables
from khabar.errors import KhabarError
from khabar.ingest.readers import DocError, RawDoc
from khabar.limits import Limits

# Records per analysis batch (one part file per table and shard): big enough that a part file's fixed
# cost is small, small enough that a killed actor redoes little.
BATCH_SIZE = 64
# Records per block handed from a read task to the actors.
READ_ROWS = 64
# CPUs a read task asks for: reading is light next to analysis, and a whole CPU each would starve the
# actors on a small machine.
READ_CPUS = 0.25
# CPUs kept free of actors on a node for the read tasks and the driver.
RESERVED_CPUS = 1.0


@dataclass(frozen=True, slots=True)
class RunOptions:
    """How to run: cluster address, actor count and CPUs per actor (None: sized to the cluster)."""

    address: str | None = None
    actors: int | None = None
    cpus_per_actor: float | None = None
    batch_size: int = BATCH_SIZE
    published: date | None = None
    num_cpus: int | None = None
    progress: bool = True
    files_per_shard: int | None = None
    ner: str = "fast"
    limits: Limits = field(default_factory=Limits)


@dataclass
class RunSummary:
    """What one run did (like `khabar ingest`'s summary)."""

    shards: int = 0
    shards_skipped: int = 0
    documents: int = 0
    articles: int = 0
    copies: int = 0
    errors: int = 0
    actors: int = 0
    cpus_per_actor: float = 0.0
    seconds: float = 0.0
    actor_peak_rss_mb: dict[str, float] = field(default_factory=dict)
    stages: dict[str, float] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary."""
        rate = self.documents / self.stages["analysis"] if self.stages.get("analysis") else 0.0
        return {
            "shards": self.shards,
            "shards_skipped": self.shards_skipped,
            "documents": self.documents,
            "articles": self.articles,
            "copies": self.copies,
            "errors": self.errors,
            "actors": self.actors,
            "cpus_per_actor": self.cpus_per_actor,
            "seconds": round(self.seconds, 2),
            "documents_per_second": round(rate, 2),
            "stages": {k: round(v, 2) for k, v in self.stages.items()},
            "actor_peak_rss_mb": self.actor_peak_rss_mb,
            **self.extra,
        }


def _ray() -> Any:
    try:
        import ray
    except ImportError:
        raise KhabarError("the Ray engine needs Ray: pip install 'khabar[ray]'") from None
    return ray


@contextmanager
def ray_session(address: str | None = None, num_cpus: int | None = None) -> Iterator[Any]:
    """Join the cluster at `address` (or RAY_ADDRESS), else start a local one; never phones home.

    An already initialised Ray (a test session's, a notebook's) is used as it is and left running.
    """
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    ray = _ray()
    if ray.is_initialized():
        yield ray
        return
    target = address or os.environ.get("RAY_ADDRESS") or None
    kwargs: dict[str, Any] = {"include_dashboard": False, "logging_level": "WARNING", "log_to_driver": False}
    try:
        if target:
            ray.init(address=target, **kwargs)
        else:
            ray.init(num_cpus=num_cpus, **kwargs)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        raise KhabarError(f"cannot start or join a Ray cluster at {target or 'localhost'}: {exc}") from None
    try:
        yield ray
    finally:
        ray.shutdown()


def actor_plan(ray: Any, opts: RunOptions) -> tuple[int, float]:
    """(actors, CPUs per actor): defaults fill the cluster's CPUs but RESERVED_CPUS per node."""
    total = float(ray.cluster_resources().get("CPU", 1.0))
    nodes = max(1, sum(1 for n in ray.nodes() if n.get("Alive")))
    cpus = opts.cpus_per_actor or (1.0 if total / nodes >= 4 else 0.5)
    if opts.actors:
        return opts.actors, cpus
    return max(1, int((total - RESERVED_CPUS * nodes) / cpus)), cpus


def _read_batches(batch: pa.Table, limits: Limits) -> Iterator[dict[str, list[Any]]]:
    """A read task: the records of one shard, in blocks of READ_ROWS rows; the last row is flagged."""
    spec = batch.to_pylist()[0]
    shard = Shard(key=spec["key"], kind=spec["kind"], paths=tuple(spec["paths"]), seq=int(spec["seq"]))
    rows: list[dict[str, Any]] = []
    previous: RawDoc | DocError | None = None
    row = 0
    for item in read_shard(shard, limits):
        if previous is not None:
            rows.append(_record_row(shard, row, previous, last=False))
            row += 1
            if len(rows) >= READ_ROWS:
                yield _columns(rows)
                rows = []
        previous = item
    if previous is None:
        previous = DocError(shard.label, f"{shard.label}: empty input")
    rows.append(_record_row(shard, row, previous, last=True))
    yield _columns(rows)


_RECORD_FIELDS = ("source", "text", "html", "id", "url", "title", "published", "error")


def _record_row(shard: Shard, row: int, item: RawDoc | DocError, last: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"shard": shard.key, "ord": order_key(shard.seq, row), "row": row, "last": last}
    if isinstance(item, DocError):
        out.update(dict.fromkeys(_RECORD_FIELDS), source=item.source, error=item.message)
    else:
        out.update(
            source=item.source,
            text=item.text,
            html=item.html,
            id=item.id,
            url=item.url,
            title=item.title,
            published=item.published.isoformat() if item.published else None,
            error=None,
        )
    return out


def _columns(rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    return {k: [r[k] for r in rows] for k in rows[0]}


class Analyzer:
    """An analysis actor: loads the pipeline once, analyses batches, writes their rows as part files."""

    def __init__(self, root: str, published: str | None, ner: str, limits: Limits) -> None:
        from khabar.pipeline import analyze, default_steps

        self.layout = Layout(root)
        self.published = date.fromisoformat(published) if published else None
        self.ner, self.limits = ner, limits
        default_steps(ner)
        analyze("नई दिल्ली में सरकार ने बुधवार को बैठक की।", ner=ner)  # loads the models and tables now

    def __call__(self, batch: pa.Table) -> pa.Table:
        from khabar.ingest.runner import analyze_for_store
        from khabar.store.db import raw_hash

        by_shard: dict[str, list[tuple[dict[str, Any], Analysed]]] = {}
        for rec in batch.to_pylist():
            if rec["error"] is not None:
                res = Analysed(ord=rec["ord"], source=rec["source"], digest="", error=rec["error"])
            else:
                doc = RawDoc(
                    source=rec["source"],
                    text=rec["text"],
                    html=rec["html"],
                    id=rec["id"],
                    url=rec["url"],
                    title=rec["title"],
                    published=date.fromisoformat(rec["published"]) if rec["published"] else None,
                )
                digest = raw_hash(doc)
                outcome = analyze_for_store(doc, self.published, self.limits, self.ner)
                if isinstance(outcome, str):
                    res = Analysed(ord=rec["ord"], source=doc.source, digest=digest, error=outcome)
                else:
                    res = Analysed(rec["ord"], doc.source, digest, outcome[0], outcome[1])
            by_shard.setdefault(rec["shard"], []).append((rec, res))
        meta = [self._write(key, items) for key, items in by_shard.items()]
        return pa.Table.from_pylist(meta)

    def _write(self, key: str, items: list[tuple[dict[str, Any], Analysed]]) -> dict[str, Any]:
        rows = [rec["row"] for rec, _ in items]
        name = f"part-{min(rows):09d}-{max(rows):09d}.parquet"
        tables = batch_tables([res for _, res in items])
        for table, data in tables.items():
            folder = self.layout.staging_dir(key, table)
            self.layout.fs.makedirs(folder, exist_ok=True)
            path = posixpath.join(folder, name)
            tmp = f"{path}.tmp-{os.getpid()}"
            with self.layout.fs.open(tmp, "wb") as handle:
                pq.write_table(data, handle)
            self.layout.fs.mv(tmp, path)
        last = [rec["row"] for rec, _ in items if rec["last"]]
        return {
            "shard": key,
            "part": name,
            "rows": rows,
            "last_row": last[0] if last else -1,
            "articles": tables["articles"].num_rows,
            "documents": len(items),
            "errors": tables["errors"].num_rows,
            "pid": os.getpid(),
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }


class _ShardProgress:
    """The driver's view of one shard: which rows are written, whether the last one was seen."""

    def __init__(self) -> None:
        self.rows: set[int] = set()
        self.parts: dict[str, dict[str, Any]] = {}
        self.total: int | None = None

    def add(self, meta: dict[str, Any]) -> None:
        if meta["part"] in self.parts:  # a retried task rewrote the same part
            return
        overlap = self.rows.intersection(meta["rows"])
        if overlap:
            raise KhabarError(f"shard {meta['shard']}: rows {sorted(overlap)[:3]} written twice")
        self.parts[meta["part"]] = meta
        self.rows.update(meta["rows"])
        if meta["last_row"] >= 0:
            self.total = meta["last_row"] + 1

    @property
    def complete(self) -> bool:
        return self.total is not None and len(self.rows) == self.total


def analyze_shards(
    ray: Any,
    layout: Layout,
    shards: Sequence[Shard],
    opts: RunOptions,
    on_commit: Callable[[Shard, dict[str, Any]], None] | None = None,
) -> RunSummary:
    """Analyse the shards not yet done into the dataset; returns the summary of this run."""
    started = time.perf_counter()
    summary = RunSummary(shards=len(shards))
    done = layout.done()
    todo = [s for s in shards if s.key not in done]
    summary.shards_skipped = len(shards) - len(todo)
    actors, cpus = actor_plan(ray, opts)
    summary.actors, summary.cpus_per_actor = actors, cpus
    if not todo:
        summary.stages["analysis"] = 0.0
        return summary
    for shard in todo:
        layout.clear_unfinished(shard.key, TABLES)
    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = opts.progress
    ctx.print_on_execution_start = opts.progress
    items = [shard_dict(s) for s in todo]
    ds = ray.data.from_items(items, override_num_blocks=len(items))
    ds = ds.map_batches(
        _read_batches,
        batch_size=1,
        batch_format="pyarrow",
        num_cpus=READ_CPUS,
        fn_kwargs={"limits": opts.limits},
    )
    ds = ds.map_batches(
        Analyzer,
        batch_size=opts.batch_size,
        batch_format="pyarrow",
        compute=ray.data.ActorPoolStrategy(size=actors),
        num_cpus=cpus,
        fn_constructor_kwargs={
            "root": layout.root,
            "published": opts.published.isoformat() if opts.published else None,
            "ner": opts.ner,
            "limits": opts.limits,
        },
    )
    by_key = {s.key: s for s in todo}
    progress: dict[str, _ShardProgress] = {}
    for meta in ds.iter_rows():
        state = progress.setdefault(meta["shard"], _ShardProgress())
        state.add(meta)
        pid = str(meta["pid"])
        summary.actor_peak_rss_mb[pid] = round(
            max(summary.actor_peak_rss_mb.get(pid, 0.0), meta["rss_mb"]), 1
        )
        if state.complete:
            shard = by_key[meta["shard"]]
            marker = _marker(shard, state)
            layout.commit(shard.key, TABLES, marker)
            summary.documents += marker["documents"]
            summary.articles += marker["articles"]
            summary.errors += marker["errors"]
            if on_commit:
                on_commit(shard, marker)
    unfinished = [by_key[k].label for k, st in progress.items() if not st.complete]
    unfinished += [s.label for s in todo if s.key not in progress]
    if unfinished:
        raise KhabarError(
            f"{len(unfinished)} shards did not finish (first: {unfinished[0]}); rerun to resume"
        )
    summary.stages["analysis"] = time.perf_counter() - started
    return summary


def _marker(shard: Shard, state: _ShardProgress) -> dict[str, Any]:
    parts = list(state.parts.values())
    return {
        "key": shard.key,
        "seq": shard.seq,
        "kind": shard.kind,
        "paths": list(shard.paths),
        "documents": state.total,
        "articles": sum(p["articles"] for p in parts),
        "errors": sum(p["errors"] for p in parts),
        "parts": sorted(state.parts),
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def run(
    paths: Sequence[str],
    out: str,
    opts: RunOptions,
    dedup: bool = True,
    link: bool = True,
    on_commit: Callable[[Shard, dict[str, Any]], None] | None = None,
) -> RunSummary:
    """Analyse `paths` into the dataset at `out`, then find near-duplicates and link entities.

    `on_commit(shard, marker)` is called on the driver after each shard's marker is written.
    """
    started = time.perf_counter()
    layout = Layout(out)
    shards = layout.assign(list_shards(paths, opts.files_per_shard or FILES_PER_SHARD))
    with ray_session(opts.address, opts.num_cpus) as ray:
        summary = analyze_shards(ray, layout, shards, opts, on_commit)
        if dedup:
            from khabar.engine.dedup import find_clusters_ray

            t = time.perf_counter()
            clusters = find_clusters_ray(ray, layout)
            summary.stages["dedup"] = time.perf_counter() - t
            summary.extra["clusters"] = clusters.count
            summary.extra["dedup"] = clusters.to_dict()
        if link:
            from khabar.engine.link import link_entities_ray

            t = time.perf_counter()
            entities = link_entities_ray(ray, layout)
            summary.stages["link"] = time.perf_counter() - t
            summary.extra["entities"] = entities.count
            summary.extra["linking"] = entities.to_dict()
    staging = layout.path(STAGING)
    if layout.fs.exists(staging) and not layout.fs.ls(staging, detail=False):
        layout.fs.rm(staging, recursive=True)
    summary.seconds = time.perf_counter() - started
    return summary
