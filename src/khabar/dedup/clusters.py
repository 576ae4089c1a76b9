"""Group articles into same-story clusters.

1. Exact: equal hashes of the normalised text.
2. Candidates: MinHash LSH at a low Jaccard threshold, plus pairs that share a fingerprinted sentence.
3. Verification of each candidate pair on the exact word-shingle sets and sentence hashes
   (`is_same_story`): a pair is one story when 90% of the shorter text lies in the longer one
   (containment), or when 60% of the shorter text's sentences recur verbatim in the longer
   and the texts overlap beyond one shared paragraph.
4. Clusters are the connected components; the representative is the longest text (ties: smallest id).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from datasketch import MinHash, MinHashLSH

from khabar.dedup.minhash import NUM_PERM, sentence_hashes, word_shingles

# Thresholds below were set on bench/dedup_corpus.py (seeds 1-8, 480 documents each): the score
# ranges quoted are the observed minima of true pairs and maxima of false candidate pairs.
# LSH candidate threshold on estimated Jaccard. Low on purpose: a truncated (~half) copy has Jaccard
# ~0.5 and a wire copy with a new lead ~0.5; verification removes the false candidates.
LSH_THRESHOLD = 0.3
# A shorter text whose word 3-grams lie at least this much inside the longer is the same story
# (1% words changed, dropped paragraph, truncated, teasers, reordered: 0.93-1.0; different stories
# written to one template or on one topic: at most 0.75).
CONTAINMENT_MIN = 0.9
# Otherwise: at least this share of the shorter text's sentences found verbatim in the longer ...
# (wire copy with a rewritten headline and lead: 0.64+; different stories sharing a background
# paragraph or stock sentences: at most 0.5).
SENTENCE_SHARE_MIN = 0.6
# ... at least this many shared sentences ...
SENTENCE_SHARED_MIN = 3
# ... and at least this word-3-gram Jaccard, so that a short text is not matched on a few stock
# sentences alone (true pairs relying on the sentence rule: 0.29+).
SENTENCE_JACCARD_MIN = 0.25
# A sentence found in more articles than this is boilerplate and proposes no candidates.
MAX_SENTENCE_POSTING = 50


@dataclass(frozen=True, slots=True)
class DedupItem:
    """One article as dedup sees it."""

    id: str
    text_hash: str
    minhash: MinHash
    sentences: frozenset[int]
    words: int


@dataclass(frozen=True, slots=True)
class PairScore:
    """How two texts overlap."""

    containment: float
    jaccard: float
    sentence_share: float
    shared_sentences: int


@dataclass(frozen=True, slots=True)
class Cluster:
    """A same-story cluster; `id` is the representative's id."""

    id: str
    representative: str
    members: tuple[str, ...]


def score_pair(
    shingles_a: frozenset[str], shingles_b: frozenset[str], sents_a: frozenset[int], sents_b: frozenset[int]
) -> PairScore:
    """Containment of the smaller shingle set in the larger, Jaccard, and sentence overlap."""
    inter = len(shingles_a & shingles_b)
    small = min(len(shingles_a), len(shingles_b)) or 1
    union = len(shingles_a | shingles_b) or 1
    shared = len(sents_a & sents_b)
    fewer = min(len(sents_a), len(sents_b))
    return PairScore(
        containment=inter / small,
        jaccard=inter / union,
        sentence_share=shared / fewer if fewer else 0.0,
        shared_sentences=shared,
    )


def is_same_story(score: PairScore) -> bool:
    """The verification rule (see module docstring)."""
    if score.containment >= CONTAINMENT_MIN:
        return True
    return (
        score.sentence_share >= SENTENCE_SHARE_MIN
        and score.shared_sentences >= SENTENCE_SHARED_MIN
        and score.jaccard >= SENTENCE_JACCARD_MIN
    )


def compare_texts(a: str, b: str) -> PairScore:
    """Score two clean texts."""
    return score_pair(word_shingles(a), word_shingles(b), sentence_hashes(a), sentence_hashes(b))


class _UnionFind:
    def __init__(self, ids: Iterable[str]) -> None:
        self.parent = {i: i for i in ids}

    def find(self, x: str) -> str:
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


def candidate_pairs(items: Sequence[DedupItem]) -> set[tuple[str, str]]:
    """Pairs proposed by MinHash LSH or by a shared fingerprinted sentence (ids ordered)."""
    pairs: set[tuple[str, str]] = set()
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    for item in items:
        for other in lsh.query(item.minhash):
            pairs.add((min(item.id, other), max(item.id, other)))
        lsh.insert(item.id, item.minhash, check_duplication=False)
    postings: dict[int, list[str]] = defaultdict(list)
    for item in items:
        for h in item.sentences:
            postings[h].append(item.id)
    for ids in postings.values():
        if 1 < len(ids) <= MAX_SENTENCE_POSTING:
            for i, a in enumerate(ids):
                for b in ids[i + 1 :]:
                    if a != b:
                        pairs.add((min(a, b), max(a, b)))
    return pairs


def find_clusters(items: Sequence[DedupItem], load_text: Callable[[str], str]) -> list[Cluster]:
    """Same-story clusters of two or more items; `load_text(id)` gives an item's clean text."""
    by_id = {item.id: item for item in items}
    uf = _UnionFind(by_id)
    exact: dict[str, str] = {}
    for item in items:
        if item.text_hash in exact:
            uf.union(exact[item.text_hash], item.id)
        else:
            exact[item.text_hash] = item.id
    shingle_cache: dict[str, frozenset[str]] = {}

    def shingles(item_id: str) -> frozenset[str]:
        if item_id not in shingle_cache:
            if len(shingle_cache) > 4096:
                shingle_cache.clear()
            shingle_cache[item_id] = word_shingles(load_text(item_id))
        return shingle_cache[item_id]

    for a, b in sorted(candidate_pairs(items)):
        if uf.find(a) == uf.find(b):
            continue
        score = score_pair(shingles(a), shingles(b), by_id[a].sentences, by_id[b].sentences)
        if is_same_story(score):
            uf.union(a, b)
    return group_clusters(uf, by_id)


def group_clusters(uf: _UnionFind, by_id: dict[str, DedupItem]) -> list[Cluster]:
    """Connected components of two or more, with the longest text as representative."""
    groups: dict[str, list[str]] = defaultdict(list)
    for item_id in by_id:
        groups[uf.find(item_id)].append(item_id)
    clusters = []
    for members in groups.values():
        if len(members) < 2:
            continue
        rep = min(members, key=lambda i: (-by_id[i].words, i))
        clusters.append(Cluster(id=rep, representative=rep, members=tuple(sorted(members))))
    clusters.sort(key=lambda c: (-len(c.members), c.id))
    return clusters


def plain_lsh_clusters(items: Sequence[DedupItem]) -> list[Cluster]:
    """Baseline: connected components of datasketch MinHashLSH at its default settings."""
    by_id = {item.id: item for item in items}
    uf = _UnionFind(by_id)
    lsh = MinHashLSH(num_perm=NUM_PERM)
    for item in items:
        for other in lsh.query(item.minhash):
            uf.union(item.id, other)
        lsh.insert(item.id, item.minhash, check_duplication=False)
    return group_clusters(uf, by_id)


def exact_clusters(items: Sequence[DedupItem]) -> list[Cluster]:
    """Baseline: groups of equal normalised-text hashes."""
    by_id = {item.id: item for item in items}
    uf = _UnionFind(by_id)
    first: dict[str, str] = {}
    for item in items:
        if item.text_hash in first:
            uf.union(first[item.text_hash], item.id)
        else:
            first[item.text_hash] = item.id
    return group_clusters(uf, by_id)
