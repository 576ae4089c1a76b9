"""Group articles into same-story clusters, all at once or one new article at a time.

Articles are taken one by one in a fixed order (ingest order in a knowledge base). Each is
1. joined to any earlier article with the same exact hash (of its folded text);
2. given candidates among the earlier articles: those sharing a MinHash LSH band (`LSH_THRESHOLD`,
   low on purpose: a copy with a new lead or a truncated copy has Jaccard 0.3-0.6; the latest
   `MAX_BAND_CANDIDATES` of a band) or a sentence
   anchor (`minhash.sentence_hashes`) that is not boilerplate (found in at most
   `MAX_SENTENCE_POSTING` articles);
3. verified (`verify.is_same_story`) against its candidates, best estimated Jaccard first, skipping
   those already in its cluster: it is checked against every stored member of a candidate cluster
   until one verifies, so a copy that matches only one member (a truncated reprint without the
   template lines of its twin) still joins.
Clusters are the connected components of the verified pairs; the representative is the longest text
(ties: the smallest id), and a cluster's id is its representative's. Because a pair already in one
cluster is never verified again and every other candidate pair is, the components do not depend on
the order in which verification finds them. The index and the cluster state are given by the
caller: in memory here (`find_clusters`), in the knowledge base for incremental clustering
(`khabar.store.dedup_index`).
"""

from __future__ import annotations

import hashlib
import struct
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from datasketch import MinHash

from khabar.dedup.minhash import NUM_PERM
from khabar.dedup.verify import TextFeatures, is_same_story, score_pair, text_features

# LSH candidate threshold on estimated Jaccard, and the bands x rows datasketch's MinHashLSH chooses
# for it at 128 permutations (37 x 3).
LSH_THRESHOLD = 0.3
LSH_BANDS = 37
LSH_ROWS = 3
# A sentence anchor found in more articles than this is boilerplate: it proposes no candidates and is
# not indexed further.
MAX_SENTENCE_POSTING = 50
# Candidates verified per article at most (best estimated Jaccard first).
MAX_VERIFIED = 40
# An LSH band key proposes at most this many candidates: the latest articles indexed under it (a
# key shared by hundreds of articles is a large cluster's or a template's; its latest members stand
# for it, so verifying a new article does not grow with the size of its cluster).
MAX_BAND_CANDIDATES = 100
# A candidate below this estimated Jaccard is verified only when it shares a sentence anchor (neither
# rule can pass otherwise: containment of a text a tenth the length of the other shares its anchors).
LOW_JACCARD = 0.1
# Texts whose verification features are kept in memory at once (bounds memory on big corpora).
FEATURE_CACHE = 1024


@dataclass(frozen=True, slots=True)
class DedupItem:
    """One article as dedup sees it: exact hash, MinHash, sentence anchors, length in words."""

    id: str
    text_hash: str
    minhash: MinHash
    sentences: frozenset[int]
    words: int


@dataclass(frozen=True, slots=True)
class Cluster:
    """A same-story cluster; `id` is the representative's id."""

    id: str
    representative: str
    members: tuple[str, ...]


def lsh_bands(minhash: MinHash) -> list[int]:
    """The LSH band keys of a signature (signed 64-bit: band number and its rows' hash values)."""
    values = np.asarray(minhash.hashvalues, dtype="<u8")[: LSH_BANDS * LSH_ROWS].reshape(LSH_BANDS, LSH_ROWS)
    return [_band_hash(band, row.tobytes()) for band, row in enumerate(values)]


def _band_hash(band: int, data: bytes) -> int:
    raw = hashlib.blake2b(struct.pack("<H", band) + data, digest_size=8).digest()
    value: int = struct.unpack("<q", raw)[0]
    return value


class UnionFind:
    """Union-find over string ids; the root of a set is its smallest id."""

    def __init__(self, ids: Iterable[str] = ()) -> None:
        self.parent = {i: i for i in ids}

    def find(self, x: str) -> str:
        if x not in self.parent:
            self.parent[x] = x
            return x
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


class CandidateIndex(Protocol):
    """Where earlier articles are looked up (in memory, or tables of a knowledge base)."""

    def same_hash(self, item: DedupItem) -> list[str]:
        """Indexed articles with the item's exact hash."""

    def candidates(self, item: DedupItem) -> tuple[list[str], set[str]]:
        """Indexed articles sharing an LSH band or a non-boilerplate anchor, and those sharing an anchor."""

    def signatures(self, ids: Sequence[str]) -> np.ndarray:
        """The MinHash hash values of these indexed articles, one row each."""

    def add(self, item: DedupItem) -> None:
        """Index an article for those after it."""


class ClusterState(Protocol):
    """Which cluster each article is in; `root` names it, `union` joins two, `prefetch` may read
    the clusters of articles about to be asked for at once."""

    def root(self, article_id: str) -> str: ...

    def union(self, a: str, b: str) -> None: ...

    def prefetch(self, article_ids: Iterable[str]) -> None: ...


class UnionFindState:
    """Cluster state held in a union-find."""

    def __init__(self, ids: Iterable[str] = ()) -> None:
        self.uf = UnionFind(ids)

    def root(self, article_id: str) -> str:
        return self.uf.find(article_id)

    def union(self, a: str, b: str) -> None:
        self.uf.union(a, b)

    def prefetch(self, article_ids: Iterable[str]) -> None:
        """Nothing to read: the state is in memory."""


class FeatureCache:
    """Verification features by id, read or computed by `load(id)` and kept for the last few texts."""

    def __init__(self, load: Callable[[str], TextFeatures], size: int = FEATURE_CACHE) -> None:
        self.load = load
        self.size = size
        self.cache: OrderedDict[str, TextFeatures] = OrderedDict()

    def __call__(self, item_id: str) -> TextFeatures:
        if item_id in self.cache:
            self.cache.move_to_end(item_id)
            return self.cache[item_id]
        if len(self.cache) >= self.size:
            self.cache.popitem(last=False)
        found = self.cache[item_id] = self.load(item_id)
        return found


def link_item(item: DedupItem, index: CandidateIndex, state: ClusterState, features: FeatureCache) -> None:
    """Join an article to the earlier ones it is a copy of (see the module docstring); then index it."""
    for other in index.same_hash(item):
        state.union(item.id, other)
    found, by_anchor = index.candidates(item)
    ordered = sorted(found)
    if ordered:
        state.prefetch(ordered)
        own = np.asarray(item.minhash.hashvalues, dtype=np.uint64)
        estimate = (index.signatures(ordered) == own).mean(axis=1)
        checked = 0
        for k in np.argsort(-estimate, kind="stable"):
            other = ordered[int(k)]
            if checked >= MAX_VERIFIED:
                break
            if state.root(other) == state.root(item.id):
                continue
            if estimate[k] < LOW_JACCARD and other not in by_anchor:
                continue
            checked += 1
            if is_same_story(score_pair(features(item.id), features(other))):
                state.union(item.id, other)
    index.add(item)


class MemoryIndex:
    """A `CandidateIndex` in memory."""

    def __init__(self) -> None:
        self.hashes: dict[str, list[str]] = defaultdict(list)
        self.bands: dict[int, list[str]] = defaultdict(list)
        self.postings: dict[int, list[str]] = defaultdict(list)
        self.rows: dict[str, np.ndarray] = {}

    def same_hash(self, item: DedupItem) -> list[str]:
        return list(self.hashes.get(item.text_hash, ()))

    def candidates(self, item: DedupItem) -> tuple[list[str], set[str]]:
        found: set[str] = set()
        for key in lsh_bands(item.minhash):
            found.update(self.bands.get(key, [])[-MAX_BAND_CANDIDATES:])
        by_anchor: set[str] = set()
        for h in item.sentences:
            ids = self.postings.get(h, ())
            if len(ids) <= MAX_SENTENCE_POSTING:
                by_anchor.update(ids)
        return sorted(found | by_anchor), by_anchor

    def signatures(self, ids: Sequence[str]) -> np.ndarray:
        return np.vstack([self.rows[i] for i in ids])

    def add(self, item: DedupItem) -> None:
        self.hashes[item.text_hash].append(item.id)
        for key in lsh_bands(item.minhash):
            self.bands[key].append(item.id)
        for h in item.sentences:
            ids = self.postings[h]
            if len(ids) <= MAX_SENTENCE_POSTING:
                ids.append(item.id)
        self.rows[item.id] = np.asarray(item.minhash.hashvalues, dtype=np.uint64)


def find_clusters(
    items: Sequence[DedupItem], load_text: Callable[[str], str], ordered: bool = False
) -> list[Cluster]:
    """Same-story clusters of two or more items; `load_text(id)` gives an item's clean text.

    Items are taken in id order, or as given with `ordered=True` (a knowledge base passes its ingest
    order, so that a rebuild gives what incremental clustering gave).
    """
    sequence = list(items) if ordered else sorted(items, key=lambda i: i.id)
    by_id = {item.id: item for item in sequence}
    state = UnionFindState(by_id)
    index = MemoryIndex()
    features = FeatureCache(lambda item_id: text_features(load_text(item_id)))
    for item in sequence:
        link_item(item, index, state, features)
    return group_clusters(state.uf, {i: by_id[i].words for i in by_id})


def representative(members: Iterable[str], words: Mapping[str, int]) -> str:
    """The longest member (ties: the smallest id)."""
    return min(members, key=lambda i: (-words[i], i))


def group_clusters(uf: UnionFind, words: Mapping[str, int]) -> list[Cluster]:
    """Connected components of two or more, with the longest text as representative."""
    groups: dict[str, list[str]] = defaultdict(list)
    for item_id in words:
        groups[uf.find(item_id)].append(item_id)
    clusters = []
    for members in groups.values():
        if len(members) < 2:
            continue
        rep = representative(members, words)
        clusters.append(Cluster(id=rep, representative=rep, members=tuple(sorted(members))))
    clusters.sort(key=lambda c: (-len(c.members), c.id))
    return clusters


__all__ = [
    "LSH_THRESHOLD",
    "NUM_PERM",
    "Cluster",
    "DedupItem",
    "find_clusters",
    "group_clusters",
    "is_same_story",
    "link_item",
    "lsh_bands",
    "score_pair",
    "text_features",
]
