"""Incremental same-story clustering in the knowledge base.

The dedup index is state of the knowledge base: `dedup_bands` (LSH band keys) and `dedup_anchors`
(sentence anchors, at most `MAX_SENTENCE_POSTING` + 1 articles each) by article rowid, next to the
fingerprints in `articles`. Articles are clustered in ingest (rowid) order: each article not yet
clustered is linked to the stored ones by `khabar.dedup.clusters.link_item` and unioned into their
clusters, and only the clusters it touches are rewritten, so adding ten articles to fifty thousand
costs about what it costs to add them to a hundred. `rebuild_clusters` recomputes everything from the
stored texts in the same order and gives the same clusters. The text read is the clean text without
learned template lines (`article_fingerprints.text` where it differs), so learning and recleaning never
change a cluster. `kb_state` records the rowid clustered so
far (`clustered_rowid`) and the fingerprint version (`dedup_version`); a knowledge base fingerprinted
by another version is rebuilt.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from khabar.dedup import clusters as dc
from khabar.dedup.clusters import (
    DedupItem,
    FeatureCache,
    UnionFind,
    link_item,
    lsh_bands,
    representative,
)
from khabar.dedup.feature_codec import features_from_bytes, features_to_bytes, fingerprint_with_features
from khabar.dedup.minhash import hashes_from_bytes, minhash_from_bytes
from khabar.dedup.verify import TextFeatures, text_features

# The fingerprint and index scheme; a knowledge base with another is re-fingerprinted and rebuilt.
DEDUP_VERSION = "unlearned-1"
# Articles linked per transaction in a large batch (bounds the memory of the pending writes).
BATCH = 2000
# Stored candidates whose signatures a batch keeps at most (about 1 KB each).
STORED_CACHE = 50_000


def _state(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM kb_state WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def _set_state(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute("INSERT OR REPLACE INTO kb_state (key, value) VALUES (?, ?)", (key, value))


# An article's dedup fingerprints and rowid (append the WHERE clause).
_ROWS = (
    "SELECT a.id, a.text_hash, f.minhash, f.sentence_hashes, a.words, a.rowid FROM articles a "
    "JOIN article_fingerprints f ON f.article_id = a.id "
)


def _item(row: Sequence[Any]) -> DedupItem:
    return DedupItem(
        id=str(row[0]),
        text_hash=str(row[1]),
        minhash=minhash_from_bytes(bytes(row[2])),
        sentences=hashes_from_bytes(bytes(row[3])),
        words=int(row[4]),
    )


class SqlIndex:
    """A `CandidateIndex` over the dedup tables; articles added in this batch are kept in memory
    as well and written by `flush`."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.memory = dc.MemoryIndex()
        self.rowid: dict[str, int] = {}
        self.pending_bands: list[tuple[int, int]] = []
        self.pending_anchors: list[tuple[int, int]] = []
        self._counts: dict[int, int] = {}
        # Stored candidates read so far: id by rowid, signature and stored cluster by id.
        self._stored_ids: dict[int, str] = {}
        self.stored_rows: dict[str, np.ndarray] = {}
        self.stored_cluster: dict[str, str | None] = {}

    def _stored(self, sql: str, keys: Sequence[int]) -> list[Any]:
        out: list[Any] = []
        for start in range(0, len(keys), 500):
            part = list(keys[start : start + 500])
            marks = ",".join("?" * len(part))
            out.extend(self.conn.execute(sql.format(marks=marks), part).fetchall())
        return out

    def same_hash(self, item: DedupItem) -> list[str]:
        rows = self.conn.execute(
            "SELECT a.id FROM articles a WHERE a.text_hash = ? AND a.id != ? AND a.rowid <= "
            "(SELECT coalesce(max(value), 0) FROM kb_state WHERE key = 'clustered_rowid') ORDER BY a.rowid",
            (item.text_hash, item.id),
        ).fetchall()
        return [r[0] for r in rows] + self.memory.same_hash(item)

    def candidates(self, item: DedupItem) -> tuple[list[str], set[str]]:
        found: set[str] = set()
        rowids: set[int] = set()
        for key in lsh_bands(item.minhash):
            batch = self.memory.bands.get(key, [])[-dc.MAX_BAND_CANDIDATES :]
            found.update(batch)  # the latest of the key: this batch's, then the stored ones
            if len(batch) < dc.MAX_BAND_CANDIDATES:
                rowids.update(
                    r[0]
                    for r in self.conn.execute(
                        "SELECT article FROM dedup_bands WHERE key = ? ORDER BY article DESC LIMIT ?",
                        (key, dc.MAX_BAND_CANDIDATES - len(batch)),
                    )
                )
        anchors = sorted(item.sentences)
        posting: dict[int, list[int]] = defaultdict(list)
        for key, article in self._stored(
            "SELECT key, article FROM dedup_anchors WHERE key IN ({marks})", anchors
        ):
            posting[key].append(article)
        self._counts = {}
        anchor_rows: set[int] = set()
        by_anchor: set[str] = set()
        for key in anchors:
            batch = self.memory.postings.get(key, [])
            self._counts[key] = len(posting.get(key, ())) + len(batch)
            if self._counts[key] <= dc.MAX_SENTENCE_POSTING:
                anchor_rows.update(posting.get(key, ()))
                by_anchor.update(batch)
        ids = self._ids(rowids | anchor_rows)
        by_anchor.update(ids[r] for r in anchor_rows if r in ids)
        return sorted(found | by_anchor | set(ids.values())), by_anchor

    def _ids(self, rowids: Iterable[int]) -> dict[int, str]:
        """Ids of stored articles by rowid; their signatures and stored clusters are read in the
        same query and kept for `signatures` and the cluster state."""
        wanted = set(rowids)
        if len(self._stored_ids) > STORED_CACHE:
            self._stored_ids.clear()
            self.stored_rows.clear()
            self.stored_cluster.clear()
        missing = sorted(r for r in wanted if r not in self._stored_ids)
        for rowid, aid, cluster, blob in self._stored(
            "SELECT a.rowid, a.id, a.cluster, f.minhash FROM articles a "
            "JOIN article_fingerprints f ON f.article_id = a.id WHERE a.rowid IN ({marks})",
            missing,
        ):
            self._stored_ids[int(rowid)] = str(aid)
            self.stored_rows[str(aid)] = np.frombuffer(blob, dtype="<u8").astype(np.uint64)
            self.stored_cluster[str(aid)] = cluster
        return {r: self._stored_ids[r] for r in wanted if r in self._stored_ids}

    def signatures(self, ids: Sequence[str]) -> np.ndarray:
        rows = self.stored_rows
        return np.vstack([self.memory.rows[i] if i in self.memory.rows else rows[i] for i in ids])

    def add(self, item: DedupItem) -> None:
        rowid = self.rowid[item.id]
        for h in item.sentences:
            if self._counts.get(h, 0) <= dc.MAX_SENTENCE_POSTING:
                self.pending_anchors.append((h, rowid))
                self.memory.postings[h].append(item.id)
        for key in lsh_bands(item.minhash):
            self.pending_bands.append((key, rowid))
            self.memory.bands[key].append(item.id)
        self.memory.hashes[item.text_hash].append(item.id)
        self.memory.rows[item.id] = np.asarray(item.minhash.hashvalues, dtype=np.uint64)

    def flush(self) -> None:
        """Write the batch's bands and anchors."""
        self.conn.executemany(
            "INSERT OR IGNORE INTO dedup_bands (key, article) VALUES (?, ?)", self.pending_bands
        )
        self.conn.executemany(
            "INSERT OR IGNORE INTO dedup_anchors (key, article) VALUES (?, ?)", self.pending_anchors
        )
        self.pending_bands, self.pending_anchors = [], []


class SqlState:
    """Cluster state: stored clusters (by their id) and the unions made in this batch."""

    def __init__(self, conn: sqlite3.Connection, stored: dict[str, str | None] | None = None) -> None:
        self.conn = conn
        self.uf = UnionFind()
        self.known: set[str] = set()
        # Stored clusters already read by the index (with the candidates' signatures).
        self.stored = stored if stored is not None else {}

    def prefetch(self, article_ids: Iterable[str]) -> None:
        """Read the stored clusters of these articles at once (`root` would read them one by one)."""
        ids = sorted(set(article_ids) - self.known)
        for aid in [i for i in ids if i in self.stored]:
            self._join(aid, self.stored[aid])
        ids = [i for i in ids if i not in self.known]
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            marks = ",".join("?" * len(part))
            found = dict(self.conn.execute(f"SELECT id, cluster FROM articles WHERE id IN ({marks})", part))
            for aid in part:
                self._join(aid, found.get(aid))

    def _join(self, article_id: str, cluster: str | None) -> None:
        self.known.add(article_id)
        if cluster and cluster != article_id:
            self.uf.find(cluster)
            self.uf.parent[article_id] = self.uf.find(cluster)

    def _load(self, article_id: str) -> None:
        if article_id in self.known:
            return
        row = self.conn.execute("SELECT cluster FROM articles WHERE id = ?", (article_id,)).fetchone()
        self._join(article_id, row[0] if row else None)

    def root(self, article_id: str) -> str:
        self._load(article_id)
        return self.uf.find(article_id)

    def union(self, a: str, b: str) -> None:
        self._load(a)
        self._load(b)
        self.uf.union(a, b)


def update_clusters(conn: sqlite3.Connection) -> int:
    """Cluster the articles stored since the last update (all of them, re-fingerprinted, when the
    dedup version changed); returns how many clusters there are."""
    if _state(conn, "dedup_version") != DEDUP_VERSION:
        _store_unlearned_texts(conn)
        return rebuild_clusters(conn)
    done = int(_state(conn, "clustered_rowid") or 0)
    rows = conn.execute(
        _ROWS + "WHERE a.rowid > ? ORDER BY a.rowid",
        (done,),
    ).fetchall()
    for start in range(0, len(rows), BATCH):
        _link_rows(conn, rows[start : start + BATCH])
    return count_clusters(conn)


def _link_rows(conn: sqlite3.Connection, rows: Sequence[Sequence[Any]], advance: bool = True) -> None:
    if not rows:
        return
    index = SqlIndex(conn)
    state = SqlState(conn, index.stored_cluster)
    features = FeatureCache(lambda aid: _features(conn, aid))
    items = []
    for row in rows:
        item = _item(row)
        index.rowid[item.id] = int(row[5])
        items.append(item)
    conn.execute("BEGIN IMMEDIATE")
    try:
        for item in items:
            link_item(item, index, state, features)
        index.flush()
        _write_components(conn, state, [i.id for i in items])
        if advance:
            _set_state(conn, "clustered_rowid", str(max(index.rowid.values())))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _features(conn: sqlite3.Connection, article_id: str) -> TextFeatures:
    """The verification features of the text clustering reads (the clean text without learned
    template lines): stored ones, else computed from that text (and stored for the next time)."""
    row = conn.execute(
        "SELECT f.features, coalesce(f.text, a.text) FROM articles a "
        "JOIN article_fingerprints f ON f.article_id = a.id WHERE a.id = ?",
        (article_id,),
    ).fetchone()
    stored = features_from_bytes(row[0])
    if stored is not None:
        return stored
    computed = text_features(str(row[1]))
    conn.execute(
        "UPDATE article_fingerprints SET features = ? WHERE article_id = ?",
        (features_to_bytes(computed), article_id),
    )
    return computed


def _write_components(conn: sqlite3.Connection, state: SqlState, new_ids: Sequence[str]) -> None:
    """Rewrite the clusters this batch's articles are in (unions always involve one of them).

    A node of the union-find is an article id; a stored cluster's id is its representative's, so a
    node stands for itself and for the stored cluster named by it (every stored cluster met is a
    node). A new cluster's representative is the best of the merged clusters' representatives and
    the unclustered articles, its size their sum, so a stored cluster's members are never read:
    only those whose cluster id changes are rewritten.
    """
    touched: dict[str, set[str]] = defaultdict(set)
    for aid in new_ids:
        touched[state.uf.find(aid)].add(aid)
    for node in list(state.uf.parent):
        root = state.uf.find(node)
        if root in touched:
            touched[root].add(node)
    for nodes in touched.values():
        if len(nodes) < 2:
            continue
        part_of = sorted(nodes)
        stored: dict[str, int] = {}
        words: dict[str, int] = {}
        single: list[str] = []
        for start in range(0, len(part_of), 500):
            part = part_of[start : start + 500]
            marks = ",".join("?" * len(part))
            stored.update(
                (str(c), int(n))
                for c, n in conn.execute(f"SELECT id, size FROM clusters WHERE id IN ({marks})", part)
            )
            for aid, count, cluster in conn.execute(
                f"SELECT id, words, cluster FROM articles WHERE id IN ({marks})", part
            ):
                if cluster is None or str(aid) in stored or cluster == aid:
                    words[str(aid)] = int(count)
                if cluster is None:
                    single.append(str(aid))
        if len(stored) + len(single) < 2:
            continue
        rep = representative(words, words)
        for cluster in stored:
            if cluster != rep:
                conn.execute("DELETE FROM clusters WHERE id = ?", (cluster,))
                conn.execute("UPDATE articles SET cluster = ? WHERE cluster = ?", (rep, cluster))
        conn.execute(
            "INSERT OR REPLACE INTO clusters (id, representative, size) VALUES (?, ?, ?)",
            (rep, rep, sum(stored.values()) + len(single)),
        )
        conn.executemany("UPDATE articles SET cluster = ? WHERE id = ?", [(rep, m) for m in sorted(single)])


def rebuild_clusters(conn: sqlite3.Connection) -> int:
    """Re-fingerprint every stored article, rebuild the dedup index and recompute all clusters in
    ingest order (what incremental clustering gives); returns how many clusters there are."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        for aid, text in conn.execute(
            "SELECT a.id, coalesce(f.text, a.text) FROM articles a "
            "LEFT JOIN article_fingerprints f ON f.article_id = a.id"
        ).fetchall():
            fp = fingerprint_with_features(text)
            conn.execute(
                "UPDATE articles SET text_hash = ?, words = ? WHERE id = ?", (fp.text_hash, fp.words, aid)
            )
            conn.execute(
                "INSERT INTO article_fingerprints (article_id, minhash, sentence_hashes, features) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (article_id) DO UPDATE SET minhash = excluded.minhash, "
                "sentence_hashes = excluded.sentence_hashes, features = excluded.features",
                (aid, fp.minhash, fp.sentences, fp.features),
            )
        conn.execute("DELETE FROM dedup_bands")
        conn.execute("DELETE FROM dedup_anchors")
        conn.execute("DELETE FROM clusters")
        conn.execute("UPDATE articles SET cluster = NULL WHERE cluster IS NOT NULL")
        _set_state(conn, "clustered_rowid", "0")
        _set_state(conn, "dedup_version", DEDUP_VERSION)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return update_clusters(conn)


def _store_unlearned_texts(conn: sqlite3.Connection) -> None:
    """Record the text without learned lines of the articles cleaned with learned lines before it was
    kept (a knowledge base of an older version)."""
    from khabar.article import Article
    from khabar.pipeline import unlearned_text

    rows = conn.execute(
        "SELECT x.article_id, x.analysis FROM article_analysis x JOIN article_fingerprints f "
        "ON f.article_id = x.article_id WHERE f.text IS NULL AND x.article_id IN "
        "(SELECT article_id FROM blocks WHERE rule IN ('learned', 'learned-edge'))"
    ).fetchall()
    if not rows:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        for aid, analysis in rows:
            article = Article.from_dict(json.loads(analysis))
            text = unlearned_text(article)
            if text != article.text:
                conn.execute("UPDATE article_fingerprints SET text = ? WHERE article_id = ?", (text, aid))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def count_clusters(conn: sqlite3.Connection) -> int:
    """How many clusters of two or more articles are stored."""
    return int(conn.execute("SELECT count(*) FROM clusters").fetchone()[0])


def clusters_current(conn: sqlite3.Connection) -> bool:
    """Whether every stored article is clustered (by this dedup version)."""
    if _state(conn, "dedup_version") != DEDUP_VERSION:
        return False
    done = int(_state(conn, "clustered_rowid") or 0)
    top = conn.execute("SELECT coalesce(max(rowid), 0) FROM articles").fetchone()[0]
    return int(top) <= done


def index_clustered(conn: sqlite3.Connection) -> None:
    """Index the articles stored since the last update whose clusters were written by another
    executor (`khabar load` of a Ray dataset): their bands and anchors are recorded, no link is made,
    and they count as clustered."""
    done = int(_state(conn, "clustered_rowid") or 0)
    if _state(conn, "dedup_version") != DEDUP_VERSION:
        done = 0
    rows = conn.execute(_ROWS + "WHERE a.rowid > ? ORDER BY a.rowid", (done,)).fetchall()
    counts: dict[int, int] = {
        int(k): int(n) for k, n in conn.execute("SELECT key, count(*) FROM dedup_anchors GROUP BY key")
    }
    bands: list[tuple[int, int]] = []
    anchors: list[tuple[int, int]] = []
    for row in rows:
        item, rowid = _item(row), int(row[5])
        bands.extend((key, rowid) for key in lsh_bands(item.minhash))
        for h in item.sentences:
            if counts.get(h, 0) <= dc.MAX_SENTENCE_POSTING:
                anchors.append((h, rowid))
                counts[h] = counts.get(h, 0) + 1
    top = conn.execute("SELECT coalesce(max(rowid), 0) FROM articles").fetchone()[0]
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.executemany("INSERT OR IGNORE INTO dedup_bands (key, article) VALUES (?, ?)", bands)
        conn.executemany("INSERT OR IGNORE INTO dedup_anchors (key, article) VALUES (?, ?)", anchors)
        _set_state(conn, "clustered_rowid", str(top))
        _set_state(conn, "dedup_version", DEDUP_VERSION)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
