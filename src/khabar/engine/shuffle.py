"""Hash-partitioned stages and connected components as plain Ray tasks.

A stage is a set of tasks; task i reads its inputs (object references, never through the driver),
runs a function over the rows and returns `parts` lists, row r going to list
`partition(key(r), parts)`. The next stage's task j reads list j of every task: that is a shuffle
(a group-by key). Ray Data's `groupby` does the same with aggregator actors; on a small cluster its
fixed cost (about 10-20 s per shuffle here, against about 0.05 s for these tasks) would dominate the
graph steps, which need one shuffle per label-propagation round.

`connected_components` is iterative label propagation (hash-min): every node starts with its own id
as label, and each round a node whose label dropped sends it to its neighbours, until no label
changes. Edges stay where they are between rounds; the driver only learns how many labels changed.
"""

from __future__ import annotations

import hashlib
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

Row = tuple[Any, ...]
# Most rounds of label propagation (each round moves labels one edge further).
MAX_ROUNDS = 200


@dataclass
class GraphStats:
    """What a graph step did: its result count, seconds per stage, and the shape of its graph."""

    count: int = 0
    edges: int = 0
    rounds: int = 0
    components: int = 0
    largest_component: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    _last: float = field(default_factory=time.perf_counter, repr=False)

    def mark(self, ray: Any, stage: str, outputs: Sequence[Sequence[Any]]) -> None:
        """Wait for a stage's outputs and book the time since the last mark to it."""
        refs = [r for out in outputs for r in out]
        if refs:
            ray.wait(refs, num_returns=len(refs), fetch_local=False)
        now = time.perf_counter()
        self.seconds[stage] = round(self.seconds.get(stage, 0.0) + now - self._last, 3)
        self._last = now

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary."""
        return {
            "count": self.count,
            "edges": self.edges,
            "rounds": self.rounds,
            "components": self.components,
            "largest_component": self.largest_component,
            "seconds": self.seconds,
        }


def partition(key: object, parts: int) -> int:
    """The partition of a key: stable across processes (Python's own hash of a str is not)."""
    data = key.encode("utf-8") if isinstance(key, str) else repr(key).encode("utf-8")
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little") % parts


def split(rows: Iterable[Row], parts: int, key: Callable[[Row], object] = lambda r: r[0]) -> list[list[Row]]:
    """Rows in `parts` lists by the partition of their key."""
    out: list[list[Row]] = [[] for _ in range(parts)]
    for row in rows:
        out[partition(key(row), parts)].append(row)
    return out


def _as_list(refs: Any, n: int) -> list[Any]:
    return [refs] if n == 1 else list(refs)


def gather(chunks: Sequence[Sequence[Row]]) -> list[Row]:
    """One list of the rows of several chunks."""
    return [row for chunk in chunks for row in chunk]


def _invoke(fn: Callable[..., Any], ref_lists: Sequence[Sequence[Any]], args: tuple[Any, ...]) -> Any:
    """Inside a task: fetch each list of references, then call `fn(*lists, *args)`."""
    import ray

    return fn(*(ray.get(list(refs)) for refs in ref_lists), *args)


# CPUs one graph task asks for (they are short; fractional so that they run next to idle actors).
STAGE_CPUS = 0.5


def run_stage(
    ray: Any,
    fn: Callable[..., Any],
    inputs: Sequence[Sequence[Sequence[Any]]],
    num_returns: int,
    *args: Any,
    per_task: Sequence[tuple[Any, ...]] | None = None,
) -> list[list[Any]]:
    """One task per entry of `inputs` (a tuple of reference lists): `fn(*fetched_lists, *args,
    *per_task[i])`, returning `num_returns` values; per task, the list of its output references."""
    task = ray.remote(_invoke).options(num_returns=num_returns, num_cpus=STAGE_CPUS)
    return [
        _as_list(
            task.remote(fn, [list(r) for r in refs], args + (per_task[i] if per_task else ())), num_returns
        )
        for i, refs in enumerate(inputs)
    ]


def transpose(outputs: Sequence[Sequence[Any]], column: int = 0, width: int | None = None) -> list[list[Any]]:
    """The inputs of a shuffle's next stage: list j holds output j of every task."""
    if width is None:
        width = len(outputs[0]) - column if outputs else 0
    return [[out[column + j] for out in outputs] for j in range(width)]


def _round(
    edges: list[list[Row]],
    labels_in: list[dict[str, str]],
    messages: list[list[Row]],
    parts: int,
    first: bool,
) -> tuple[Any, ...]:
    """One propagation round in one partition: take the smallest label offered, pass changes on."""
    labels = labels_in[0] if labels_in else {}
    neighbours: dict[str, list[str]] = defaultdict(list)
    for chunk in edges:
        for u, v in chunk:
            neighbours[u].append(v)
    changed: set[str] = set()
    if first:
        labels = {u: u for u in neighbours}
        changed = set(labels)
    else:
        labels = dict(labels)
        for chunk in messages:
            for node, label in chunk:
                if label < labels[node]:
                    labels[node] = label
                    changed.add(node)
    out = split(((v, labels[u]) for u in changed for v in neighbours[u] if labels[u] < v), parts)
    return (labels, len(changed), *out)


def _edge_split(chunks: list[list[Row]], parts: int) -> list[list[Row]]:
    rows = [(u, v) for chunk in chunks for u, v in chunk if u != v]
    return split(rows + [(v, u) for u, v in rows], parts)


def connected_components(
    ray: Any, edge_chunks: Sequence[Any], parts: int, stats: GraphStats | None = None
) -> list[Any]:
    """Components of an undirected graph given as references to lists of (u, v) string pairs.

    Returns `parts` references, each to a dict node -> label (the smallest node id of its component)
    for the nodes of one partition; isolated nodes do not appear.
    """
    placed = run_stage(ray, _edge_split, [([c],) for c in edge_chunks], parts, parts)
    edges = transpose(placed)
    labels: list[Any] = [[] for _ in range(parts)]
    messages: list[list[Any]] = [[] for _ in range(parts)]
    for rnd in range(MAX_ROUNDS):
        inputs = [(edges[p], labels[p], messages[p]) for p in range(parts)]
        outs = run_stage(ray, _round, inputs, parts + 2, parts, rnd == 0)
        labels = [[o[0]] for o in outs]
        changed = sum(ray.get([o[1] for o in outs]))
        messages = transpose(outs, column=2, width=parts)
        if not changed:
            if stats is not None:
                stats.rounds = rnd + 1
                stats.mark(ray, "components", [[o[0] for o in outs]])
            return [o[0] for o in outs]
    raise RuntimeError(f"label propagation did not converge in {MAX_ROUNDS} rounds")
