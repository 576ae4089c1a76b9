"""What a user would otherwise use for near duplicates, for comparison in `khabar.dedup.evaluate`.

- datasketch MinHashLSH over MinHash signatures of plain word 5-grams (lower-cased text, punctuation
  as space, no spelling fold), candidates joined into connected components, at a given threshold
  (datasketch's default is 0.9);
- exact hashes of the same plain normalised text.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence

from datasketch import MinHashLSH

from khabar.dedup.clusters import Cluster, DedupItem, UnionFind, group_clusters
from khabar.dedup.minhash import NUM_PERM, minhash_of

# Word n-grams of the baseline (5 is the common choice for web-scale near-dedup, e.g. in datatrove).
PLAIN_SHINGLE_WORDS = 5
DATASKETCH_DEFAULT_THRESHOLD = 0.9

_NON_WORD = re.compile(r"(?:[^\w\u0900-\u0963\u0966-\u097f\ua8e0-\ua8ff]|_)+")


def plain_words(text: str) -> list[str]:
    """Lower-cased NFC words, punctuation and symbols as spaces (no spelling fold)."""
    return _NON_WORD.sub(" ", unicodedata.normalize("NFC", text).lower()).split()


def plain_item(item_id: str, text: str) -> DedupItem:
    """A baseline item: MinHash of plain word 5-grams and the hash of the plain normalised text."""
    words = plain_words(text)
    n = PLAIN_SHINGLE_WORDS
    grams = (
        frozenset(" ".join(words[i : i + n]) for i in range(len(words) - n + 1))
        if len(words) >= n
        else frozenset([" ".join(words)] if words else [])
    )
    digest = hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()[:16]
    return DedupItem(item_id, digest, minhash_of(grams), frozenset(), len(words))


def plain_lsh_clusters(
    items: Sequence[DedupItem], threshold: float = DATASKETCH_DEFAULT_THRESHOLD
) -> list[Cluster]:
    """Connected components of datasketch MinHashLSH candidates at `threshold`."""
    by_id = {item.id: item for item in items}
    uf = UnionFind(by_id)
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    for item in items:
        for other in lsh.query(item.minhash):
            uf.union(item.id, other)
        lsh.insert(item.id, item.minhash, check_duplication=False)
    return group_clusters(uf, {i: item.words for i, item in by_id.items()})


def exact_clusters(items: Sequence[DedupItem]) -> list[Cluster]:
    """Groups of equal text hashes."""
    by_id = {item.id: item for item in items}
    uf = UnionFind(by_id)
    first: dict[str, str] = {}
    for item in items:
        if item.text_hash in first:
            uf.union(first[item.text_hash], item.id)
        else:
            first[item.text_hash] = item.id
    return group_clusters(uf, {i: item.words for i, item in by_id.items()})
