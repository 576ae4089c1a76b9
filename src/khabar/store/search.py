"""Search over the knowledge base: keyword (FTS5 + BM25 through the Hindi analyzer), semantic
(multilingual-e5 vectors) and hybrid (reciprocal-rank fusion of the two).

Keyword queries are analyzed by `khabar.store.search_query` (bare words match folded stems, `"phrases"`
and `=word` match exactly). Copies of one story (a duplicate cluster) are grouped: the best-ranked copy
stands for the story, with `copies` counting the others that matched. A page of hits comes with the
total number of matching stories and articles and, on request, facets (entities, sources, days).

Snippets are HTML-safe: the text is HTML-escaped and each hit is wrapped in `<mark>...</mark>`.
"""

from __future__ import annotations

import html
import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from typing import Any

import numpy as np

from khabar.errors import QueryError
from khabar.store import vectors
from khabar.store.fts_query import DEFAULT_BOUNDS, QueryBounds
from khabar.store.keyword_rank import Totals, keyword_ranking, keyword_totals
from khabar.store.search_index import spelling_neighbours
from khabar.store.search_query import AnalyzedQuery, build_query
from khabar.text.analyzer import index_term, prefold, words

# BM25 column weights (title, lead, text), the same for stem and exact columns: as in news search
# engines, a hit in the headline or the lead says the article is about the term.
TITLE_WEIGHT = 4.0
LEAD_WEIGHT = 2.0
TEXT_WEIGHT = 1.0
_WEIGHTS = ", ".join(str(w) for w in (TITLE_WEIGHT, LEAD_WEIGHT, TEXT_WEIGHT) * 2)
# Words of context in a snippet; hits are looked for in the first SNIPPET_SCAN_CHARS characters first.
SNIPPET_WORDS = 24
SNIPPET_SCAN_CHARS = 6000
# Reciprocal-rank fusion: score = sum 1 / (RRF_K + rank) over the two rankings (Cormack et al. 2009),
# each cut at FUSION_DEPTH.
RRF_K = 60
FUSION_DEPTH = 100
MODES = ("keyword", "semantic", "hybrid")
# Articles ranked per request (copies are grouped within them; at least three per result asked for).
RANK_CAP = 300
FACET_SIZE = 10


def prepare_query(query: str, bounds: QueryBounds = DEFAULT_BOUNDS) -> str:
    """The FTS5 expression of a user query over `search_index`; QueryError on a malformed or too large
    one (bounded by `khabar.store.fts_query`)."""
    return build_query(query, bounds=bounds).expr


def check_date(value: str | None, name: str) -> str | None:
    """A YYYY-MM-DD filter value, or QueryError."""
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise QueryError(f"{name} must be a date as YYYY-MM-DD, got {value!r}") from None


@dataclass
class Filters:
    """Article filters: KB entity ids (any of them), publication dates (inclusive), source."""

    entity_ids: Sequence[str] | None = None
    date_from: str | None = None
    date_to: str | None = None
    source: str | None = None

    def sql(self) -> tuple[str, list[Any]]:
        """A WHERE fragment over `articles a` (or 1) and its parameters."""
        where, params = [], []
        start, end = check_date(self.date_from, "date_from"), check_date(self.date_to, "date_to")
        if start:
            where.append("a.published >= ?")
            params.append(start)
        if end:
            where.append("a.published <= ?")
            params.append(end)
        if self.source:
            where.append("a.source = ?")
            params.append(self.source)
        if self.entity_ids is not None:
            marks = ",".join("?" * len(self.entity_ids)) or "NULL"
            where.append(f"a.id IN (SELECT article_id FROM article_entities WHERE entity_id IN ({marks}))")
            params.extend(self.entity_ids)
        return (" AND ".join(where) or "1"), params


@dataclass
class SearchResult:
    """One page of hits with totals (stories = groups of copies) and optional facets."""

    hits: list[dict[str, Any]]
    total: int
    total_articles: int
    mode: str
    facets: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # True when more than keyword_rank.RANK_WINDOW articles matched: the totals are estimates from the
    # newest RANK_WINDOW matches, which the facets count (the ranking is bounded too: keyword_rank).
    approximate: bool = False


def _keyword_ranking(
    conn: sqlite3.Connection, found: AnalyzedQuery, filters: Filters, query: str, cap: int
) -> list[tuple[int, float]]:
    """(rowid, BM25 score, higher is better) of the best `cap` matching articles, best first (ties by
    rowid): BM25 over at most `keyword_rank.RANK_WINDOW` matches per expression (see there)."""
    where, params = filters.sql()
    return keyword_ranking(conn, found, where, params, query, cap, _WEIGHTS)


def _matches(
    found: AnalyzedQuery, filters: Filters, window_start: int | None = None
) -> tuple[str, list[Any]]:
    """SQL selecting `a.rowid, a.id, a.source, a.published, a.cluster` of every keyword match (from
    rowid `window_start` on, when given)."""
    where, params = filters.sql()
    bound = " AND rowid >= ?" if window_start is not None else ""
    sql = (
        "SELECT a.rowid, a.id, a.source, a.published, a.cluster FROM articles a WHERE a.rowid IN "
        f"(SELECT rowid FROM search_index WHERE search_index MATCH ?{bound}) AND {where}"
    )
    lower = [window_start] if window_start is not None else []
    return sql, [found.any_expr or found.expr, *lower, *params]


def _keyword_totals(
    conn: sqlite3.Connection, found: AnalyzedQuery, filters: Filters, query: str, cap: int = 0
) -> Totals:
    """Stories and articles matching a keyword query (estimates above the window of a ranking of `cap`)."""
    where, params = filters.sql()
    return keyword_totals(conn, found, where, params, query, cap)


def _allowed(conn: sqlite3.Connection, filters: Filters) -> set[int] | None:
    where, params = filters.sql()
    if where == "1":
        return None
    return {r[0] for r in conn.execute(f"SELECT a.rowid FROM articles a WHERE {where}", params)}


def _fuse(rankings: Sequence[Sequence[tuple[int, float]]]) -> list[tuple[int, float]]:
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, (rowid, _) in enumerate(ranking[:FUSION_DEPTH], start=1):
            scores[rowid] = scores.get(rowid, 0.0) + 1.0 / (RRF_K + rank)
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


def rank(
    conn: sqlite3.Connection,
    query: str,
    mode: str = "keyword",
    filters: Filters | None = None,
    query_vector: np.ndarray | None = None,
    neighbours: bool = True,
    cap: int = RANK_CAP,
) -> tuple[list[tuple[int, float]], AnalyzedQuery | None]:
    """The ranked (rowid, score) of the best `cap` matching articles for `mode`, and the analyzed
    keyword query.

    Semantic and hybrid modes need `query_vector` (the query's embedding) and stored vectors; a bare
    word also matches its spelling neighbours in the index unless `neighbours` is False."""
    if mode not in MODES:
        raise QueryError(f"search mode must be one of {', '.join(MODES)}, got {mode!r}")
    filters = filters or Filters()
    if filters.entity_ids is not None and not filters.entity_ids:
        return [], None
    found: AnalyzedQuery | None = None
    keyword: list[tuple[int, float]] = []
    if mode != "semantic":
        found = build_query(
            query, expand=(lambda term: spelling_neighbours(conn, term)) if neighbours else None
        )
        keyword = _keyword_ranking(conn, found, filters, query, cap if mode == "keyword" else FUSION_DEPTH)
        if mode == "keyword":
            return keyword, found
    if query_vector is None:
        raise QueryError("semantic search needs the query's embedding")
    index = vectors.load_index(conn)
    if index.size == 0:
        raise QueryError("no article vectors in this knowledge base: run khabar embed --db FILE first")
    depth = FUSION_DEPTH if mode == "hybrid" else cap
    semantic = index.nearest(query_vector, depth, _allowed(conn, filters))
    if mode == "semantic":
        return semantic, found
    return _fuse([keyword, semantic]), found


def snippet(text: str, found: AnalyzedQuery | None, size: int = SNIPPET_WORDS) -> str:
    """An HTML-safe window of `size` words around the most query hits, hits in <mark> (looked for in
    the first SNIPPET_SCAN_CHARS characters, and in the rest only when those hold none)."""
    if len(text) > SNIPPET_SCAN_CHARS:
        head = snippet(text[:SNIPPET_SCAN_CHARS], found, size)
        if "<mark>" in head or found is None:
            return head if head.endswith("…") else head + "…"
    # Without a keyword query (meaning search) the snippet is the opening: no need to read further.
    spans = list(words(text)) if found is not None else list(islice(words(text), size + 1))
    if not spans:
        return html.escape(text[:200], quote=False)
    hits: list[int] = []
    if found is not None:
        stems, exact, prefixes = found.stems, found.exact, tuple(found.prefixes)
        for i, (_, _, word) in enumerate(spans):
            if index_term(word) in stems:
                hits.append(i)
            elif exact or prefixes:
                low = prefold(word)
                if low in exact or (prefixes and low.startswith(prefixes)):
                    hits.append(i)
    # The window start (a hit) that holds the most hits within `size` words (two pointers).
    best, best_count, j = 0, 0, 0
    for i, start in enumerate(hits):
        while j < len(hits) and hits[j] < start + size:
            j += 1
        if j - i > best_count:
            best, best_count = start, j - i
    if best_count:
        best = max(0, min(best - 2, len(spans) - size))
    marked = set(hits)
    window = range(best, min(best + size, len(spans)))
    out = ["…"] if best else []
    pos = spans[best][0]
    for i in window:
        start, end, _ = spans[i]
        out.append(html.escape(text[pos:start], quote=False))
        piece = html.escape(text[start:end], quote=False)
        out.append(f"<mark>{piece}</mark>" if i in marked else piece)
        pos = end
    if best + size < len(spans):
        out.append("…")
    return "".join(out).strip()


def search(
    conn: sqlite3.Connection,
    query: str,
    *,
    mode: str = "keyword",
    filters: Filters | None = None,
    query_vector: np.ndarray | None = None,
    limit: int = 20,
    offset: int = 0,
    group: bool = True,
    facets: bool = False,
    neighbours: bool = True,
) -> SearchResult:
    """A page of hits, best first: id, headline (the title, else the first sentence), title, source,
    published, score, snippet, cluster, copies; with totals and, when asked, facets."""
    if limit < 0 or offset < 0:
        raise QueryError("limit and offset must not be negative")
    filters = filters or Filters()
    cap = max(RANK_CAP, 3 * (offset + limit))
    ranked, found = rank(conn, query, mode, filters, query_vector, neighbours, cap)
    order = [rowid for rowid, _ in ranked]
    scores = dict(ranked)
    groups = _groups(conn, order) if ranked else {}
    stories: list[int] = []
    copies: dict[int, int] = {}
    seen: dict[str, int] = {}
    for rowid in order:
        key = groups.get(rowid) if group else None
        if key is None:
            stories.append(rowid)
            copies[rowid] = 0
        elif key in seen:
            copies[seen[key]] += 1
        else:
            seen[key] = rowid
            stories.append(rowid)
            copies[rowid] = 0
    page = stories[offset : offset + limit]
    hits = _hits(conn, page, scores, copies, found)
    counted = Totals(len(stories), len(order))
    every_match = mode == "keyword" and found is not None and len(order) >= cap
    if every_match and found is not None:
        counted = _keyword_totals(conn, found, filters, query, cap)
        if not group:
            counted = Totals(counted.articles, counted.articles, counted.window_start)
    result = SearchResult(hits, counted.stories, counted.articles, mode, approximate=counted.approximate)
    if facets and order:
        if every_match and found is not None:
            sql, params = _matches(found, filters, counted.window_start)
            result.facets = facet_counts(conn, order, (sql, params))
        else:
            result.facets = facet_counts(conn, order)
    return result


def _groups(conn: sqlite3.Connection, rowids: Sequence[int]) -> dict[int, str]:
    """rowid → duplicate cluster id for the clustered ones among `rowids`.

    Read from the `articles_cluster` index (cluster, rowid) of the clustered articles only: `cluster` is
    stored after `text`, so reading it from each ranked row walked that row's text pages (11 ms p50,
    70 ms p99 for 300 rows at 100,000 articles on the loaded machine)."""
    if not rowids:
        return {}
    return {
        int(rowid): cluster
        for rowid, cluster in conn.execute(
            "SELECT rowid, cluster FROM articles INDEXED BY articles_cluster "
            "WHERE cluster IS NOT NULL AND rowid IN (SELECT value FROM json_each(?))",
            (json.dumps(list(rowids)),),
        )
    }


def _hits(
    conn: sqlite3.Connection,
    page: Sequence[int],
    scores: dict[int, float],
    copies: dict[int, int],
    found: AnalyzedQuery | None,
) -> list[dict[str, Any]]:
    if not page:
        return []
    marks = ",".join("?" * len(page))
    rows = {
        r[0]: r
        for r in conn.execute(
            "SELECT rowid, id, headline, title, source, published, cluster, text FROM articles "
            f"WHERE rowid IN ({marks})",
            list(page),
        )
    }
    hits = []
    for rowid in page:
        _, aid, headline, title, source, published, cluster, text = rows[rowid]
        hits.append(
            {
                "id": aid,
                "headline": headline,
                "title": title,
                "source": source,
                "published": published,
                "score": float(f"{scores[rowid]:.6g}"),
                "snippet": snippet(text, found),
                "cluster": cluster,
                "copies": copies[rowid],
            }
        )
    return hits


def facet_counts(
    conn: sqlite3.Connection, rowids: Sequence[int], matches: tuple[str, list[Any]] | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Counts over the matching articles (`rowids`, or every row of the `matches` SQL): top entities
    and sources, and articles per day (all days)."""
    if matches is None:
        matched = (
            "SELECT a.rowid, a.id, a.source, a.published FROM articles a "
            "WHERE a.rowid IN (SELECT value FROM json_each(?))"
        )
        args: list[Any] = [json.dumps(list(rowids))]
    else:
        matched, args = matches
    entities = conn.execute(
        f"SELECT e.id, e.name, e.name_en, e.type, count(DISTINCT h.rowid) AS n FROM ({matched}) h "
        "JOIN article_entities ae ON ae.article_id = h.id "
        "JOIN entities e ON e.id = ae.entity_id GROUP BY e.id ORDER BY n DESC, e.id LIMIT ?",
        (*args, FACET_SIZE),
    ).fetchall()
    # Sources and days from one pass over the matches (each pass re-reads every matching row).
    sources: dict[str | None, int] = {}
    days: dict[str, int] = {}
    for source, published, n in conn.execute(
        f"SELECT h.source, h.published, count(*) FROM ({matched}) h GROUP BY h.source, h.published",
        tuple(args),
    ):
        sources[source] = sources.get(source, 0) + n
        if published is not None:
            days[published] = days.get(published, 0) + n
    top_sources = sorted(sources.items(), key=lambda item: (-item[1], item[0] is not None, item[0] or ""))
    return {
        "entities": [
            {"id": r[0], "name": r[1], "name_en": r[2], "type": r[3], "articles": r[4]} for r in entities
        ],
        "sources": [{"source": k, "articles": n} for k, n in top_sources[:FACET_SIZE]],
        "dates": [{"date": k, "articles": n} for k, n in sorted(days.items())],
    }


def search_articles(
    conn: sqlite3.Connection,
    query: str,
    *,
    entity_ids: Sequence[str] | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Keyword hits (one per story), best BM25 first: id, source, title, published, score, snippet, …"""
    filters = Filters(entity_ids=entity_ids, date_from=date_from, date_to=date_to)
    return search(conn, query, filters=filters, limit=limit, offset=offset).hits


def count_articles(
    conn: sqlite3.Connection,
    query: str,
    *,
    entity_ids: Sequence[str] | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
) -> int:
    """How many articles a keyword query finds with these filters (every page, copies counted)."""
    filters = Filters(entity_ids=entity_ids, date_from=date_from, date_to=date_to)
    return len(rank(conn, query, "keyword", filters)[0])
