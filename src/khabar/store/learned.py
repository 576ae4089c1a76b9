"""Template lines learned by the knowledge base as it grows (see `khabar.clean.learned`).

State: `line_keys` (the template-line keys of each stored article, by rowid), `line_stats` (per
key, the number of stories it occurs in, whether it is learned, one example line) and `line_story`
(the story each counted article's keys are counted in). After each clustering update the counts
change by exact deltas computed from the members of the stories that gained articles (a story is a
cluster, or an article in none), so the work does not grow with the knowledge base. A key is
learned while its story count reaches `clean.learned.required_stories(stories in the knowledge
base)`. Articles whose clean text the learned set changes (a newly learned line in their text, or an
unlearned one among their removed blocks) are cleaned and analysed again from their stored blocks
(`pipeline.reclean_article`) and rewritten (`db.replace_article`); the ingest runner hands the learned
set to its workers, so that articles analysed later are cleaned with it from the start.
`rebuild_line_stats` recounts every key from scratch (after `khabar duplicates --rebuild`, and once
for a knowledge base counted before `line_story`).

Clusters do not depend on the learned set: articles are fingerprinted and verified on their text as
cleaned *without* learned lines (`pipeline.unlearned_text`, kept in `article_fingerprints.text` when
it differs from the clean text). So recleaning never moves an article between clusters, story counts
follow from the clusters alone, and the learned set is a function of the stored articles and their
order, however the ingest was split or scheduled (the local engine learns while it runs, the Ray
engine once at load: both end with the same learned set, texts and clusters).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence

from khabar.article import Article, Block
from khabar.clean.learned import RULE_LEARNED, RULE_LEARNED_EDGE, article_line_segments, required_stories


def _state(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM kb_state WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def _set_state(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute("INSERT OR REPLACE INTO kb_state (key, value) VALUES (?, ?)", (key, value))


def index_line_keys(conn: sqlite3.Connection, rowid: int, blocks: Sequence[Block]) -> None:
    """Record an article's template-line keys (inside the caller's transaction)."""
    segments = article_line_segments(blocks)
    conn.executemany(
        "INSERT OR IGNORE INTO line_keys (key, article) VALUES (?, ?)", [(k, rowid) for k in segments]
    )
    conn.executemany(
        "INSERT OR IGNORE INTO line_stats (key, stories, learned, example) VALUES (?, 0, 0, ?)",
        list(segments.items()),
    )


def count_stories(conn: sqlite3.Connection) -> int:
    """How many stories the knowledge base holds (clusters, and articles in none)."""
    row = conn.execute(
        "SELECT (SELECT count(*) FROM clusters) + (SELECT count(*) FROM articles WHERE cluster IS NULL)"
    ).fetchone()
    return int(row[0])


def learned_keys(conn: sqlite3.Connection) -> frozenset[int]:
    """The template-line keys learned so far."""
    return frozenset(int(r[0]) for r in conn.execute("SELECT key FROM line_stats WHERE learned = 1"))


def learned_lines(conn: sqlite3.Connection, limit: int = 100) -> list[dict[str, object]]:
    """The learned template lines, most frequent first: [{"line", "stories"}]."""
    rows = conn.execute(
        "SELECT example, stories FROM line_stats WHERE learned = 1 ORDER BY stories DESC, example LIMIT ?",
        (limit,),
    ).fetchall()
    return [{"line": r[0], "stories": int(r[1])} for r in rows]


# How story counts are kept: by the deltas of each update, each counted article recording in
# `line_story` the story its keys are counted in. A knowledge base counted otherwise is recounted.
LINES_SCHEME = "delta-1"


def _count_new(conn: sqlite3.Connection) -> list[int]:
    """Update the story counts for the articles clustered since the last count; returns their rowids.

    Clusters only grow and merge, so a story after the update is one new article, or a cluster made
    of new articles and whole stories counted before (each member's `line_story` names the one it
    was counted in). For each such story and each key of its members, the count gains 1 and loses
    the number of earlier stories among its members that held the key: exact, and the work is
    that of the touched stories' members, whatever the size of the knowledge base.
    """
    done = int(_state(conn, "lines_rowid") or 0)
    top = int(_state(conn, "clustered_rowid") or 0)
    if top <= done:
        return []
    counted = [
        int(r[0])
        for r in conn.execute(
            "SELECT rowid FROM articles WHERE rowid > ? AND rowid <= ? ORDER BY rowid", (done, top)
        )
    ]
    if _state(conn, "lines_scheme") != LINES_SCHEME:
        rebuild_line_stats(conn)
        return counted
    conn.execute("BEGIN IMMEDIATE")
    try:
        deltas, stories = _story_deltas(conn, done, top)
        conn.executemany(
            "UPDATE line_stats SET stories = stories + ? WHERE key = ?",
            [(d, k) for k, d in deltas.items() if d],
        )
        conn.executemany(
            "INSERT OR REPLACE INTO line_story (article, story) VALUES (?, ?)", sorted(stories.items())
        )
        _set_state(conn, "lines_rowid", str(top))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return counted


def _story_deltas(conn: sqlite3.Connection, done: int, top: int) -> tuple[dict[int, int], dict[int, str]]:
    """The count change of each key the articles clustered in (done, top] touch, and the story now
    of every member of the stories they are in (by rowid)."""
    story: dict[int, str] = {}
    clusters: set[str] = set()
    for rowid, aid, cluster in conn.execute(
        "SELECT rowid, id, cluster FROM articles WHERE rowid > ? AND rowid <= ?", (done, top)
    ):
        story[int(rowid)] = str(cluster or aid)
        if cluster:
            clusters.add(str(cluster))
    for cluster in sorted(clusters):
        for (rowid,) in conn.execute("SELECT rowid FROM articles WHERE cluster = ?", (cluster,)):
            story[int(rowid)] = cluster
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS touched_rows (article INTEGER PRIMARY KEY, story TEXT NOT NULL)"
    )
    conn.execute("DELETE FROM touched_rows")
    conn.executemany("INSERT INTO touched_rows (article, story) VALUES (?, ?)", sorted(story.items()))
    # per key: the stories now that hold it, less the earlier stories (each inside one of them) that did
    deltas = {
        int(key): int(delta)
        for key, delta in conn.execute(
            "SELECT lk.key, count(DISTINCT t.story) - count(DISTINCT s.story) FROM touched_rows t "
            "JOIN line_keys lk ON lk.article = t.article LEFT JOIN line_story s ON s.article = t.article "
            "GROUP BY lk.key"
        )
    }
    conn.execute("DELETE FROM touched_rows")
    return deltas, story


# The exact story count of a key: the clusters, and the articles in none, that hold it (among the
# articles clustered so far).
_STORIES = (
    "(SELECT count(DISTINCT coalesce(a.cluster, a.id)) FROM line_keys lk "
    "JOIN articles a ON a.rowid = lk.article WHERE lk.key = line_stats.key AND lk.article <= ?)"
)


def rebuild_line_stats(conn: sqlite3.Connection) -> None:
    """Recount every key's stories exactly from `line_keys` and the clusters, first indexing the keys
    of stored articles that have none (a knowledge base from before template learning)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        missing = conn.execute(
            "SELECT a.rowid, x.analysis FROM articles a JOIN article_analysis x ON x.article_id = a.id "
            "WHERE a.rowid NOT IN (SELECT DISTINCT article FROM line_keys)"
        ).fetchall()
        for rowid, analysis in missing:
            index_line_keys(conn, int(rowid), Article.from_dict(json.loads(analysis)).blocks)
        top = int(_state(conn, "clustered_rowid") or 0)
        conn.execute(f"UPDATE line_stats SET stories = {_STORIES}", (top,))
        conn.execute("DELETE FROM line_story")
        conn.execute(
            "INSERT INTO line_story (article, story) SELECT rowid, coalesce(cluster, id) FROM articles "
            "WHERE rowid <= ?",
            (top,),
        )
        _set_state(conn, "lines_rowid", str(top))
        _set_state(conn, "lines_scheme", LINES_SCHEME)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _refresh_flags(conn: sqlite3.Connection) -> tuple[set[int], set[int]]:
    """Set the learned flags for the current size; returns (newly learned, no longer learned)."""
    need = required_stories(count_stories(conn))
    new = {
        int(r[0])
        for r in conn.execute("SELECT key FROM line_stats WHERE learned = 0 AND stories >= ?", (need,))
    }
    old = {
        int(r[0])
        for r in conn.execute("SELECT key FROM line_stats WHERE learned = 1 AND stories < ?", (need,))
    }
    if new or old:
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.executemany("UPDATE line_stats SET learned = 1 WHERE key = ?", [(k,) for k in new])
            conn.executemany("UPDATE line_stats SET learned = 0 WHERE key = ?", [(k,) for k in old])
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return new, old


def articles_with_keys(conn: sqlite3.Connection, keys: Iterable[int]) -> list[str]:
    """Ids of the stored articles that have any of these template-line keys."""
    found: set[str] = set()
    keys = sorted(keys)
    for start in range(0, len(keys), 500):
        part = keys[start : start + 500]
        marks = ",".join("?" * len(part))
        found.update(
            r[0]
            for r in conn.execute(
                f"SELECT DISTINCT a.id FROM line_keys lk JOIN articles a ON a.rowid = lk.article "
                f"WHERE lk.key IN ({marks})",
                part,
            )
        )
    return sorted(found)


# Cleans and analyses a batch of stored articles again with a learned set, each to its new version or
# None when its clean text does not change (`pipeline.reclean_article`): in this process by default;
# the ingest runner hands one that runs in its worker pool.
Recleaner = Callable[[Sequence[Article], frozenset[int]], Sequence[Article | None]]
# Stored articles read and recleaned at a time (bounds the memory of a large reclean).
RECLEAN_BATCH = 64


def reclean_here(articles: Sequence[Article], learned: frozenset[int]) -> list[Article | None]:
    """The default `Recleaner`: one article after another, in this process."""
    from khabar.pipeline import reclean_article

    return [reclean_article(article, learned) for article in articles]


def reclean_stored(
    conn: sqlite3.Connection,
    article_ids: Iterable[str],
    learned: frozenset[int],
    recleaner: Recleaner | None = None,
) -> list[str]:
    """Clean and analyse these stored articles again with the learned set; rewrite those whose text
    changes. Returns their ids."""
    from khabar.store import db

    run = recleaner or reclean_here
    ids = list(article_ids)
    changed = []
    for start in range(0, len(ids), RECLEAN_BATCH):
        articles = []
        for aid in ids[start : start + RECLEAN_BATCH]:
            row = conn.execute(
                "SELECT analysis FROM article_analysis WHERE article_id = ?", (aid,)
            ).fetchone()
            if row is not None:
                articles.append(Article.from_dict(json.loads(row[0])))
        for article, fresh in zip(articles, run(articles, learned), strict=True):
            if fresh is not None:
                db.replace_article(conn, fresh)
                changed.append(article.id)
    return changed


def update_learned(conn: sqlite3.Connection, recleaner: Recleaner | None = None) -> list[str]:
    """Count the newly clustered articles' lines, update the learned set and reclean the stored
    articles it changes (with `recleaner`); returns the ids of the articles rewritten."""
    counted = _count_new(conn)
    new, old = _refresh_flags(conn)
    learned = learned_keys(conn)
    stale = set(articles_with_keys(conn, new | old)) if new or old else set()
    # Articles analysed while the learned set changed (in flight in the ingest workers) were cleaned
    # with an older set: those with a learned key, and those with lines removed as learned (which may
    # be learned no longer), are checked too.
    stale.update(_rows_with_keys(conn, counted, learned))
    stale.update(_rows_with_learned_blocks(conn, counted))
    if not stale:
        return []
    return reclean_stored(conn, sorted(stale), learned, recleaner)


def _rows_with_learned_blocks(conn: sqlite3.Connection, rowids: Sequence[int]) -> set[str]:
    """Ids of the articles among these rowids that have blocks removed as learned template lines."""
    found: set[str] = set()
    for start in range(0, len(rowids), 500):
        part = list(rowids[start : start + 500])
        marks = ",".join("?" * len(part))
        found.update(
            str(r[0])
            for r in conn.execute(
                f"SELECT DISTINCT b.article_id FROM blocks b JOIN articles a ON a.id = b.article_id "
                f"WHERE a.rowid IN ({marks}) AND b.rule IN (?, ?)",
                [*part, RULE_LEARNED, RULE_LEARNED_EDGE],
            )
        )
    return found


def _rows_with_keys(conn: sqlite3.Connection, rowids: Sequence[int], keys: frozenset[int]) -> set[str]:
    """Ids of the articles among these rowids that have any of these template-line keys."""
    if not keys:
        return set()
    found: set[str] = set()
    for start in range(0, len(rowids), 500):
        part = list(rowids[start : start + 500])
        marks = ",".join("?" * len(part))
        for key, aid in conn.execute(
            f"SELECT lk.key, a.id FROM line_keys lk JOIN articles a ON a.rowid = lk.article "
            f"WHERE lk.article IN ({marks})",
            part,
        ):
            if int(key) in keys:
                found.add(str(aid))
    return found


def reclean_all(conn: sqlite3.Connection, recleaner: Recleaner | None = None) -> list[str]:
    """Apply the current learned set to every stored article whose removed or kept lines disagree
    with it (`khabar reclean`); returns the ids rewritten."""
    learned = learned_keys(conn)
    stale = set(articles_with_keys(conn, learned))
    for (aid,) in conn.execute(
        "SELECT DISTINCT article_id FROM blocks WHERE rule IN (?, ?)", (RULE_LEARNED, RULE_LEARNED_EDGE)
    ):
        stale.add(aid)
    return reclean_stored(conn, sorted(stale), learned, recleaner)
