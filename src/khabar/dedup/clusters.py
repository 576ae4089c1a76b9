"""Group articles into same-story clusters.

1. Exact: equal hashes of the normalised text.
2. Candidates: MinHash LSH at a low Jaccard threshold, plus pairs that share a fingerprinted sentence.
3. Verification of each candidate pair on the exact word-shingle sets and sentence hashes
   (`is_same_story`): a pair is one story when 90% of the shorter text lies in the longer one
   (containment), or when 60% of the shorter text's sentences recur verbatim in the longer
   and the texts overlap beyond one shared paragraph; never when their figures differ (templated
   reports).
4. Clusters are the connected components; the representative is the longest text (ties: smallest id).
"""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

from khabar.dedup.minhash import NUM_PERM, normalize_dedup, sentence_hashes, word_shingles

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
# Figures guard: a number is aligned between two texts when the same words surround it (two words
# before, one after). When at least FIGURE_CONFLICTS_MIN aligned numbers differ and they are at least
# FIGURE_CONFLICT_SHARE of the aligned ones, the texts are different reports written to one template
# (daily prices, weather, case counts) however alike their words are. True copies keep their figures
# (a near copy with one number changed has 1 conflict); a template's stock numbers ("24 कैरेट") align
# without conflict, hence the low share (0.5 let two days of one price report merge when one of three
# prices repeated, seed 11).
FIGURE_CONFLICTS_MIN = 2
FIGURE_CONFLICT_SHARE = 0.25
# A sentence found in more articles than this is boilerplate and proposes no candidates.
MAX_SENTENCE_POSTING = 50
# Candidates verified per article at most (best estimated Jaccard first), and per existing cluster:
# a story joins a cluster through its most similar member; transitivity does the rest.
MAX_CANDIDATES = 20
CANDIDATES_PER_CLUSTER = 3
# A candidate below this estimated Jaccard is verified only when it shares a sentence: otherwise
# neither rule can pass (the sentence rule needs Jaccard 0.25; containment 0.9 at Jaccard < 0.1
# means a text a tenth the length of the other, which then shares its sentences).
LOW_JACCARD = 0.1
# An article this close (estimated Jaccard) to one it joined is not indexed for later articles: a
# near-identical copy finds nothing its twin does not (keeps LSH buckets small on copy-heavy corpora).
INDEX_SKIP_JACCARD = 0.9
# Texts whose verification features are kept in memory at once (bounds memory on big corpora).
FEATURE_CACHE = 1024


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
    """How two texts overlap; `figure_conflicts` of `figures_aligned` numbers differ in the same context."""

    containment: float
    jaccard: float
    sentence_share: float
    shared_sentences: int
    figures_aligned: int = 0
    figure_conflicts: int = 0


@dataclass(frozen=True, slots=True)
class TextFeatures:
    """What verification compares beyond the stored fingerprints: word 3-grams and the numbers."""

    shingles: frozenset[str]
    figures: dict[tuple[str, str, str], frozenset[str]]


def text_features(text: str) -> TextFeatures:
    """Word shingles and the numbers of a clean text keyed by their context (two words before, one after)."""
    words = normalize_dedup(text).split()
    found: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for i, word in enumerate(words):
        if word.isdigit():
            before = words[i - 2] if i >= 2 else "", words[i - 1] if i >= 1 else ""
            after = words[i + 1] if i + 1 < len(words) else ""
            found[(*before, after)].add(word)
    return TextFeatures(word_shingles(text), {k: frozenset(v) for k, v in found.items()})


@dataclass(frozen=True, slots=True)
class Cluster:
    """A same-story cluster; `id` is the representative's id."""

    id: str
    representative: str
    members: tuple[str, ...]


def score_pair(
    a: TextFeatures, b: TextFeatures, sents_a: frozenset[int], sents_b: frozenset[int]
) -> PairScore:
    """Containment of the smaller shingle set in the larger, Jaccard, sentence and figure overlap."""
    inter = len(a.shingles & b.shingles)
    small = min(len(a.shingles), len(b.shingles)) or 1
    union = len(a.shingles | b.shingles) or 1
    shared = len(sents_a & sents_b)
    fewer = min(len(sents_a), len(sents_b))
    aligned = a.figures.keys() & b.figures.keys()
    return PairScore(
        containment=inter / small,
        jaccard=inter / union,
        sentence_share=shared / fewer if fewer else 0.0,
        shared_sentences=shared,
        figures_aligned=len(aligned),
        figure_conflicts=sum(1 for k in aligned if not a.figures[k] & b.figures[k]),
    )


def is_same_story(score: PairScore) -> bool:
    """The verification rule (see module docstring)."""
    if (
        score.figure_conflicts >= FIGURE_CONFLICTS_MIN
        and score.figure_conflicts >= FIGURE_CONFLICT_SHARE * score.figures_aligned
    ):
        return False
    if score.containment >= CONTAINMENT_MIN:
        return True
    return (
        score.sentence_share >= SENTENCE_SHARE_MIN
        and score.shared_sentences >= SENTENCE_SHARED_MIN
        and score.jaccard >= SENTENCE_JACCARD_MIN
    )


def compare_texts(a: str, b: str) -> PairScore:
    """Score two clean texts."""
    return score_pair(text_features(a), text_features(b), sentence_hashes(a), sentence_hashes(b))


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


class _Index:
    """Articles indexed so far: MinHash LSH, sentence postings and signatures for Jaccard estimates."""

    def __init__(self, items: Sequence[DedupItem]) -> None:
        self.lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
        self.postings: dict[int, list[str]] = defaultdict(list)
        self.row = {item.id: n for n, item in enumerate(items)}
        self.signatures = np.vstack([np.asarray(item.minhash.hashvalues) for item in items])

    def add(self, item: DedupItem) -> None:
        self.lsh.insert(item.id, item.minhash, check_duplication=False)
        for h in item.sentences:
            self.postings[h].append(item.id)

    def candidates(self, item: DedupItem) -> set[str]:
        """Indexed articles sharing LSH bands or a (non-boilerplate) sentence with `item`."""
        found = set(self.lsh.query(item.minhash))
        for h in item.sentences:
            ids = self.postings.get(h, ())
            if len(ids) <= MAX_SENTENCE_POSTING:
                found.update(ids)
        return found

    def estimate(self, item: DedupItem, others: Sequence[str]) -> np.ndarray:
        """Estimated Jaccard of `item` with each of `others`."""
        rows = np.array([self.row[o] for o in others])
        result: np.ndarray = (self.signatures[rows] == self.signatures[self.row[item.id]]).mean(axis=1)
        return result


def find_clusters(items: Sequence[DedupItem], load_text: Callable[[str], str]) -> list[Cluster]:
    """Same-story clusters of two or more items; `load_text(id)` gives an item's clean text.

    Items are taken in id order; each is verified against the best candidates among the items
    indexed before it, at most CANDIDATES_PER_CLUSTER per existing cluster and MAX_CANDIDATES in
    all. An item that is a near-identical copy (estimated Jaccard >= INDEX_SKIP_JACCARD) of an item
    it joined is not indexed itself: it adds nothing to find, and heavily copied stories would
    otherwise fill the LSH buckets.
    """
    ordered = sorted(items, key=lambda i: i.id)
    by_id = {item.id: item for item in ordered}
    uf = _UnionFind(by_id)
    if not ordered:
        return []
    index = _Index(ordered)
    first_of_hash: dict[str, str] = {}
    cache: OrderedDict[str, TextFeatures] = OrderedDict()

    def features(item_id: str) -> TextFeatures:
        if item_id in cache:
            cache.move_to_end(item_id)
        else:
            if len(cache) >= FEATURE_CACHE:
                cache.popitem(last=False)
            cache[item_id] = text_features(load_text(item_id))
        return cache[item_id]

    for item in ordered:
        if item.text_hash in first_of_hash:
            uf.union(first_of_hash[item.text_hash], item.id)
            continue
        first_of_hash[item.text_hash] = item.id
        found = sorted(index.candidates(item))
        redundant = False
        if found:
            estimate = index.estimate(item, found)
            per_root: dict[str, int] = defaultdict(int)
            checked = 0
            for k in np.argsort(-estimate, kind="stable"):
                other = found[int(k)]
                root = uf.find(other)
                if root == uf.find(item.id):
                    redundant = redundant or bool(estimate[k] >= INDEX_SKIP_JACCARD)
                    continue
                if per_root[root] >= CANDIDATES_PER_CLUSTER or checked >= MAX_CANDIDATES:
                    continue
                if estimate[k] < LOW_JACCARD and not item.sentences & by_id[other].sentences:
                    continue
                per_root[root] += 1
                checked += 1
                score = score_pair(features(item.id), features(other), item.sentences, by_id[other].sentences)
                if is_same_story(score):
                    uf.union(item.id, other)
                    redundant = redundant or bool(estimate[k] >= INDEX_SKIP_JACCARD)
        if not redundant:
            index.add(item)
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
