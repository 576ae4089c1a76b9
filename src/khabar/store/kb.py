"""`KnowledgeBase`: the query API over a khabar SQLite knowledge base (used by the CLI and the web server).

Every method returns JSON-ready dicts and lists. Thread-safe: one connection guarded by a lock. With
`readonly=True` the file is opened with `mode=ro` and nothing is ever written.

Search snippets are HTML-safe: the article text is HTML-escaped and each hit is wrapped in
`<mark>...</mark>`.

The methods are grouped by topic: entities (`kb_entities`), events (`kb_events`) and search
(`kb_search`), over the connection, lock and query deadline of `kb_connection`; this module adds
writing, counts, articles and duplicate groups.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from types import TracebackType
from typing import Any

from khabar.article import Article
from khabar.store import db
from khabar.store.counts import corpus_counts, duplicate_groups
from khabar.store.kb_events import EventQueries
from khabar.store.kb_search import SearchQueries


class KnowledgeBase(SearchQueries, EventQueries):
    """A khabar knowledge base file; `readonly=True` opens it read-only (it must exist)."""

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- writing -------------------------------------------------------------------------------

    def add_article(self, article: Article, raw_digest: str | None = None) -> bool:
        """Store an analysed article (False if its id is stored already); call `update_clusters` after."""
        self._writable()
        with self._lock:
            return db.write_article(self._conn, article, raw_digest or article.id)

    def update_clusters(self, rebuild: bool = False) -> int:
        """Cluster the articles added since the last update (`rebuild`: recompute every cluster and the
        template-line counts), learn template lines, and refresh entity names; returns how many
        duplicate groups there are."""
        self._writable()
        with self._lock:
            db.update_clusters(self._conn, rebuild=rebuild)
            db.refresh_entity_names(self._conn)
            return duplicate_groups(self._conn)

    def reclean(self) -> dict[str, int]:
        """Apply the learned template lines to every stored article (see `store.learned.reclean_all`):
        {"learned_lines", "recleaned", "duplicate_groups"}."""
        from khabar.store import learned

        self._writable()
        with self._lock:
            db.update_clusters(self._conn)
            changed = learned.reclean_all(self._conn)
            if changed:
                db.refresh_entity_names(self._conn)
            return {
                "learned_lines": len(learned.learned_keys(self._conn)),
                "recleaned": len(changed),
                "duplicate_groups": duplicate_groups(self._conn),
            }

    # -- queries -------------------------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        """Counts: articles, documents, entities (total and by type), mentions, events, clusters, errors."""
        by_type = {
            t: n for t, n in self._rows("SELECT type, count(*) FROM entities GROUP BY type ORDER BY type")
        }

        def count(sql: str) -> int:
            return int(self._rows(sql)[0][0] or 0)

        with self._lock:  # the count helpers use the shared connection directly
            groups = duplicate_groups(self._conn)
            stories = corpus_counts(self._conn)["stories"]

        return {
            "schema_version": count("SELECT max(version) FROM schema_version"),
            "articles": count("SELECT count(*) FROM articles"),
            "documents": count("SELECT count(*) FROM documents"),
            "entities": sum(by_type.values()),
            "entities_by_type": by_type,
            "mentions": count("SELECT count(*) FROM mentions"),
            "quotes": count("SELECT count(*) FROM quotes"),
            "events": count("SELECT count(*) FROM events"),
            "clusters": groups,
            "stories": stories,
            "clustered_articles": count("SELECT count(*) FROM articles WHERE cluster IS NOT NULL"),
            "errors": count("SELECT count(*) FROM errors"),
        }

    def get_article(self, article_id: str) -> dict[str, Any] | None:
        """The article's `to_dict()` analysis plus "headline", "cluster", "story" (its cluster, or its
        own id), "representative" (whether it stands for its story), "kb_entities" {local id: KB id}
        and "sources"."""
        rows = self._rows(
            "SELECT x.analysis, a.cluster, a.headline FROM articles a "
            "JOIN article_analysis x ON x.article_id = a.id WHERE a.id = ?",
            (article_id,),
        )
        if not rows:
            return None
        data: dict[str, Any] = json.loads(rows[0][0])
        data["headline"] = rows[0][2]
        data["cluster"] = rows[0][1]
        data["story"] = rows[0][1] or article_id
        data["representative"] = rows[0][1] is None or bool(
            self._rows("SELECT 1 FROM clusters WHERE id = ? AND representative = ?", (rows[0][1], article_id))
        )
        data["kb_entities"] = {
            local: kb
            for local, kb in self._rows(
                "SELECT local_id, entity_id FROM article_entities WHERE article_id = ? ORDER BY local_id",
                (article_id,),
            )
        }
        data["sources"] = [
            r[0]
            for r in self._rows(
                "SELECT source FROM documents WHERE article_id = ? ORDER BY source", (article_id,)
            )
        ]
        return data

    def get_article_object(self, article_id: str) -> Article | None:
        """The stored article rebuilt as an `Article` (without its raw input), or None."""
        data = self.get_article(article_id)
        return Article.from_dict(data) if data else None

    def list_articles(self, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        """Articles newest first: [{"id","headline","title","published","source"}]."""
        rows = self._rows(
            "SELECT id, headline, title, published, source FROM articles "
            "ORDER BY published IS NULL, published DESC, id LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [dict(zip(("id", "headline", "title", "published", "source"), r, strict=True)) for r in rows]

    def count_articles(self) -> int:
        """How many articles are stored."""
        return int(self._rows("SELECT count(*) FROM articles")[0][0])

    def duplicates(self, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        """Groups of two or more copies of one story, biggest first:
        [{"id", "size", "articles": [{"id","source","title","headline"}]}].

        A cluster lists every stored document of its articles (an exact copy ingested from two paths
        is one article with two sources); the representative comes first.
        """
        out = []
        for cid, ids in self._duplicate_groups()[offset : offset + limit]:
            arts = []
            for aid in ids:
                for source, title, head in self._rows(
                    "SELECT d.source, a.title, a.headline FROM documents d JOIN articles a ON a.id = d.article_id "
                    "WHERE d.article_id = ? ORDER BY d.source",
                    (aid,),
                ):
                    arts.append({"id": aid, "source": source, "title": title, "headline": head})
            out.append({"id": cid, "size": len(arts), "articles": arts})
        return out

    def count_duplicates(self) -> int:
        """How many groups `duplicates` lists in all."""
        return len(self._duplicate_groups())

    def _duplicate_groups(self) -> list[tuple[str, list[str]]]:
        """(group id, article ids, representative first) of every cluster, then of every article stored
        from two or more documents outside a cluster."""
        members: dict[str, list[str]] = {}
        for aid, cid in self._rows("SELECT id, cluster FROM articles WHERE cluster IS NOT NULL ORDER BY id"):
            members.setdefault(cid, []).append(aid)
        groups: list[tuple[str, list[str]]] = []
        for cid, rep in self._rows("SELECT id, representative FROM clusters ORDER BY size DESC, id"):
            ids = sorted(members.get(cid, []), key=lambda m: m != rep)
            groups.append((cid, ids))
        for (aid,) in self._rows(
            "SELECT d.article_id FROM documents d JOIN articles a ON a.id = d.article_id "
            "WHERE a.cluster IS NULL GROUP BY d.article_id HAVING count(*) > 1 ORDER BY d.article_id"
        ):
            groups.append((aid, [aid]))
        return groups

    def errors(self, limit: int = 1000) -> list[dict[str, Any]]:
        """Recorded input errors: [{"source","message","at"}], oldest first."""
        rows = self._rows("SELECT source, message, at FROM errors ORDER BY id LIMIT ?", (limit,))
        return [{"source": r[0], "message": r[1], "at": r[2]} for r in rows]

    def iter_articles(self) -> Iterator[dict[str, Any]]:
        """Every stored article's analysis dict with "kb_entities" and "cluster" (streams, ordered by id)."""
        ids = [r[0] for r in self._rows("SELECT id FROM articles ORDER BY id")]
        for aid in ids:
            data = self.get_article(aid)
            if data is not None:
                yield data
