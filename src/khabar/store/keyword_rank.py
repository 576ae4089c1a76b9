"""Keyword ranking and counts with bounded work: BM25 over at most RANK_WINDOW matches of a query.

FTS5 ranks `ORDER BY bm25(...) LIMIT n` by scoring every match (each match's position list and its
row's column sizes are read), so a query of a word most articles contain (में, कहा, दिया: 50,000 to
100,000 matches of 100,000 articles) costs time in proportion to the knowledge base. Here an expression
that more than RANK_WINDOW articles match (shared among its phrases: `window_size`) is ranked over
that many of its most recently added matches only: FTS5 walks a doclist newest rowid first and stops (`ORDER BY rowid DESC LIMIT`), and the ranking
query is bounded by `rowid >= ` the window's oldest rowid. BM25's statistics (idf, average length) stay
those of the whole index, so each article in the window gets the score an exhaustive ranking gives it.
Its totals are then estimates (`Totals.approximate`): the window's counts scaled by the share of the
span between the oldest and the newest match that the window covers.

A plain query of several words whose all-words expression leaves room is backfilled with articles that
have some of the words: first those of its selective words (each matched by at most RANK_WINDOW
articles), ranked over all their matches, so an old article with the rare word is not lost to the
window of a common one; then the window of any of the words. A query whose expressions all have at
most RANK_WINDOW matches is ranked and counted exactly as without the window.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from khabar.errors import QueryError
from khabar.store.search_query import AnalyzedQuery

# The most matches BM25 scores per ranked expression. Set on the 2-core project machine at load ~5
# (2026-12-03, 100,000 generated articles of bench/bench_search.py): ranking in a window of 1,000 /
# 5,000 / 10,000 matches took 19 / 26 / 44 ms for में (256 ms for all 100,000), 14 / 24 / 35 ms for
# कहा; FTS5's idf (a count over the whole doclist) is the fixed part. 5,000 leaves room in the 50 ms
# keyword goal for the counts, grouping and snippets.
RANK_WINDOW = 5_000

# OperationalError messages that are faults of the database, not of the user's query.
_DATABASE_FAULTS = (
    "locked",
    "disk",
    "no such table",
    "readonly",
    "corrupt",
    "out of memory",
    "unable to open",
    "interrupted",
)


def run_sql(conn: sqlite3.Connection, sql: str, params: Sequence[Any], query: str) -> list[tuple[Any, ...]]:
    """Rows of `sql`; QueryError naming `query` when FTS5 rejects the expression."""
    try:
        return conn.execute(sql, list(params)).fetchall()
    except sqlite3.OperationalError as exc:
        message = str(exc)
        if any(word in message for word in _DATABASE_FAULTS):
            raise
        raise QueryError(f"malformed search query {query!r}: {message}") from None


@dataclass(frozen=True)
class Window:
    """The newest RANK_WINDOW matches of an expression: from rowid `start`; `oldest` and `newest` are
    the rowids of its first and last match overall."""

    start: int
    oldest: int
    newest: int
    size: int

    def scale(self) -> float:
        """Matches in the whole span per match in the window (at least 1)."""
        return max(1.0, (self.newest - self.oldest + 1) / (self.newest - self.start + 1))


@dataclass(frozen=True)
class Totals:
    """Matching stories and articles; estimates (`approximate`) when counted in a window."""

    stories: int
    articles: int
    window_start: int | None = None  # estimated from the matches from this rowid on

    @property
    def approximate(self) -> bool:
        return self.window_start is not None


def _matching(where: str) -> str:
    """SQL of the rowids matching `search_index MATCH ?` and the article filter `where`."""
    if where == "1":
        return "SELECT rowid FROM search_index WHERE search_index MATCH ?"
    return (
        "SELECT search_index.rowid FROM search_index JOIN articles a ON a.rowid = search_index.rowid "
        f"WHERE search_index MATCH ? AND {where}"
    )


def window_size(cap: int, expr: str) -> int:
    """Matches ranked for a ranking of `cap` articles by `expr`: RANK_WINDOW shared among its phrases
    (BM25 reads each phrase's hits in every ranked row, so the cost grows with matches x phrases; a
    spelling neighbour is a phrase too), and never fewer than `cap`, so that a windowed ranking always
    fills its cap."""
    phrases = max(1, expr.count('"') // 2)
    return max(RANK_WINDOW // phrases, cap)


def match_window(
    conn: sqlite3.Connection,
    expr: str,
    where: str,
    params: Sequence[Any],
    query: str,
    size: int | None = None,
) -> Window | None:
    """The window of `expr`'s newest `size` (RANK_WINDOW) matches under the filter, or None when no
    more than `size` articles match (then everything is ranked). Reads at most `size` + 1 matches."""
    size = size or RANK_WINDOW
    base = _matching(where)
    order = "search_index.rowid" if where != "1" else "rowid"
    args = [expr, *params]
    edge = run_sql(conn, f"{base} ORDER BY {order} DESC LIMIT 2 OFFSET ?", [*args, size - 1], query)
    if len(edge) < 2:
        return None
    newest = run_sql(conn, f"{base} ORDER BY {order} DESC LIMIT 1", args, query)[0][0]
    oldest = run_sql(conn, f"{base} ORDER BY {order} LIMIT 1", args, query)[0][0]
    return Window(int(edge[0][0]), int(oldest), int(newest), size)


def rank_expr(
    conn: sqlite3.Connection,
    expr: str,
    where: str,
    params: Sequence[Any],
    query: str,
    cap: int,
    weights: str,
    window: Window | None = None,
) -> list[tuple[int, float]]:
    """(rowid, BM25 score, higher is better) of the best `cap` matches of `expr` under the filter, best
    first (ties by rowid), within `window` when given.

    Without filters SQLite ranks inside the FTS5 table with a LIMIT (no join); with filters the matches
    join `articles`."""
    bound = " AND rowid >= ?" if window is not None else ""
    lower = [window.start] if window is not None else []
    if where == "1":
        sql = (
            f"SELECT rowid, bm25(search_index, {weights}) AS r FROM search_index "
            f"WHERE search_index MATCH ?{bound} ORDER BY r, rowid LIMIT ?"
        )
    else:
        sql = (
            f"SELECT m.rowid, m.rank FROM (SELECT rowid, bm25(search_index, {weights}) AS rank "
            f"FROM search_index WHERE search_index MATCH ?{bound}) m JOIN articles a ON a.rowid = m.rowid "
            f"WHERE {where} ORDER BY m.rank, m.rowid LIMIT ?"
        )
    rows = run_sql(conn, sql, [expr, *lower, *params, cap], query)
    return [(int(r[0]), -float(r[1])) for r in rows]


def rank_bounded(
    conn: sqlite3.Connection,
    expr: str,
    where: str,
    params: Sequence[Any],
    query: str,
    cap: int,
    weights: str,
) -> list[tuple[int, float]]:
    """The best `cap` matches of `expr`, in its window when more than RANK_WINDOW articles match."""
    window = match_window(conn, expr, where, params, query, window_size(cap, expr))
    return rank_expr(conn, expr, where, params, query, cap, weights, window)


def keyword_ranking(
    conn: sqlite3.Connection,
    found: AnalyzedQuery,
    where: str,
    params: Sequence[Any],
    query: str,
    cap: int,
    weights: str,
) -> list[tuple[int, float]]:
    """The best `cap` articles of a keyword query, best first: those with all the words, then (a plain
    query of several words) those with some of them, the selective words' articles first."""
    ranked = rank_bounded(conn, found.expr, where, params, query, cap, weights)
    if not found.any_expr or len(ranked) >= cap:
        return ranked[:cap]
    seen = {rowid for rowid, _ in ranked}

    def extend(rows: list[tuple[int, float]]) -> None:
        for rowid, score in rows:
            if rowid not in seen:
                seen.add(rowid)
                ranked.append((rowid, score))

    operands = found.operands or [found.any_expr]
    selective = [
        op for op in operands if match_window(conn, op, where, params, query, window_size(cap, op)) is None
    ]
    if len(selective) == len(operands):  # every word is selective: the any-words ranking is exact
        extend(rank_expr(conn, found.any_expr, where, params, query, cap, weights))
    else:
        if selective:
            extend(rank_expr(conn, " OR ".join(selective), where, params, query, cap, weights))
        if len(ranked) < cap:
            extend(rank_bounded(conn, found.any_expr, where, params, query, cap, weights))
    return ranked[:cap]


def keyword_totals(
    conn: sqlite3.Connection,
    found: AnalyzedQuery,
    where: str,
    params: Sequence[Any],
    query: str,
    cap: int = 0,
) -> Totals:
    """Matching stories and articles of a keyword query (any of its words for a plain query of several):
    copies of one cluster are one story. Above RANK_WINDOW (and `cap`) matches, estimated from the
    window of that many.

    Without filters: FTS5 counts the matches (no row is read), and only the clustered articles (through
    `articles_cluster`) are checked against them: stories = matches - clustered matches + their
    distinct clusters. Reading `cluster` of every match would read each article's text pages."""
    expr = found.any_expr or found.expr
    # Counting reads each match once, whatever its phrases: the window is RANK_WINDOW (at least `cap`).
    window = match_window(conn, expr, where, params, query, max(RANK_WINDOW, cap))
    lower = [window.start] if window is not None else []
    inner = "SELECT rowid FROM search_index WHERE search_index MATCH ?" + (" AND rowid >= ?" if lower else "")
    if where != "1":
        sql = (
            "SELECT count(DISTINCT coalesce(a.cluster, 'a' || a.rowid)), count(*) FROM articles a "
            f"WHERE a.rowid IN ({inner}) AND {where}"
        )
        stories, articles = run_sql(conn, sql, [expr, *lower, *params], query)[0]
    else:
        articles = (
            window.size
            if window
            else int(run_sql(conn, f"SELECT count(*) FROM ({inner})", [expr], query)[0][0])
        )
        clustered, clusters = run_sql(
            conn,
            "SELECT count(*), count(DISTINCT cluster) FROM articles INDEXED BY articles_cluster "
            f"WHERE cluster IS NOT NULL AND rowid IN ({inner})",
            [expr, *lower],
            query,
        )[0]
        stories = articles - int(clustered) + int(clusters)
    if window is None:
        return Totals(int(stories), int(articles))
    scale = window.scale()
    return Totals(about(int(stories) * scale), about(int(articles) * scale), window.start)


def about(value: float) -> int:
    """An estimate rounded to two significant digits (87,346 → 87,000; 954 → 950)."""
    n = round(value)
    if n < 100:
        return n
    digits = len(str(n)) - 2
    return int(round(n, -digits))
