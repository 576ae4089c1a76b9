"""`KnowledgeBase`: the query API over a khabar SQLite knowledge base (used by the CLI and the web server).

Every method returns JSON-ready dicts and lists. Thread-safe: one connection guarded by a lock. With
`readonly=True` the file is opened with `mode=ro` and nothing is ever written.

Search snippets are HTML-safe: the article text is HTML-escaped and each hit is wrapped in
`<mark>...</mark>`.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

from khabar.article import MODALITIES, Article, event_when, quad_class
from khabar.errors import KhabarError, QueryError, QueryTimeoutError, no_entity
from khabar.store import connection, db
from khabar.store.counts import corpus_counts, duplicate_groups, story_of
from khabar.store.lookup import Resolution, resolve_name
from khabar.store.search import MODES, Filters, check_date
from khabar.store.search import search as run_search
from khabar.text.analyzer import prefold, query_terms

# Most co-mentioned entities returned by get_entity.
CO_MENTIONS_LIMIT = 20
# Documents of an entity's articles (every stored input; an exact copy from two paths counts twice).
_ENTITY_DOCUMENTS = (
    "(SELECT count(*) FROM documents d WHERE d.article_id IN "
    "(SELECT article_id FROM article_entities x WHERE x.entity_id = e.id))"
)
# Most articles listed by get_entity (newest first).
ENTITY_ARTICLES_LIMIT = 500


# SQLite virtual-machine steps between two looks at the deadline (a few hundred microseconds).
PROGRESS_STEPS = 20_000


class KnowledgeBase:
    """A khabar knowledge base file; `readonly=True` opens it read-only (it must exist)."""

    def __init__(self, path: str | Path, readonly: bool = False) -> None:
        self.path = Path(path)
        self.readonly = readonly
        self._conn = connection.connect(self.path, readonly=readonly)
        self._lock = threading.RLock()
        self._deadline_at: float | None = None
        self._conn.set_progress_handler(self._past_deadline, PROGRESS_STEPS)

    def _past_deadline(self) -> int:
        at = self._deadline_at
        return 1 if at is not None and time.monotonic() > at else 0

    @contextmanager
    def deadline(self, seconds: float | None) -> Iterator[None]:
        """Queries run in the body are interrupted by SQLite itself `seconds` from now (QueryTimeoutError),
        so a costly query frees its thread instead of running on after its caller gave up."""
        if seconds is None:
            yield
            return
        with self._lock:
            outer = self._deadline_at
            at = time.monotonic() + seconds
            self._deadline_at = at if outer is None else min(outer, at)
            try:
                yield
            except sqlite3.OperationalError as exc:
                if "interrupted" in str(exc):
                    raise QueryTimeoutError(
                        f"the query took longer than {seconds:g} s and was stopped; narrow it down"
                    ) from None
                raise
            finally:
                self._deadline_at = outer

    def interrupt(self) -> None:
        """Stop the query running on this connection now (from any thread)."""
        self._conn.interrupt()

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @property
    def connection(self) -> sqlite3.Connection:
        """The underlying connection (hold `lock` while using it from several threads)."""
        return self._conn

    @property
    def lock(self) -> threading.RLock:
        """The lock that serialises use of the connection."""
        return self._lock

    def _rows(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def _writable(self) -> None:
        if self.readonly:
            raise KhabarError(f"{self.path}: opened read-only")

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

    def search(
        self,
        query: str,
        *,
        entity: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        limit: int = 20,
        offset: int = 0,
        mode: str = "keyword",
    ) -> list[dict[str, Any]]:
        """Search hits, one per story: [{"id","headline","title","source","published","score","snippet",
        "cluster","copies"}] (`search_results` adds totals, facets and how an English query was read).

        `entity` (KB id or name) keeps articles that mention it; dates (YYYY-MM-DD, inclusive) filter on
        publication. Raises QueryError on a malformed query, NotFoundError for an unknown entity.
        """
        found = self.search_results(
            query, entity=entity, date_from=date_from, date_to=date_to, limit=limit, offset=offset, mode=mode
        )
        hits: list[dict[str, Any]] = found["hits"]
        return hits

    def count_search(
        self,
        query: str,
        *,
        entity: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
    ) -> int:
        """How many stories `search` finds in all (every page)."""
        found = self.search_results(query, entity=entity, date_from=date_from, date_to=date_to, limit=1)
        return int(found["total"])

    def search_results(
        self,
        query: str,
        *,
        entity: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        source: str | None = None,
        limit: int = 20,
        offset: int = 0,
        mode: str = "keyword",
        facets: bool = False,
        group: bool = True,
    ) -> dict[str, Any]:
        """One page of search results: {"hits", "total" (stories), "total_articles", "total_approximate"
        (whether both totals are estimates: more than `keyword_rank.RANK_WINDOW` matches), "mode", "entity"
        (the entity a Latin-script query was read as, or null), "candidates" (other entities it may
        mean), "facets" (when asked: entities, sources, dates)}.

        `mode` is keyword (BM25 over the Hindi analyzer), semantic (multilingual-e5 vectors; needs
        `khabar embed`) or hybrid (reciprocal-rank fusion of both).
        """
        from khabar.store import embedder, entity_query

        ids = self._entity_filter(entity)
        filters = Filters(entity_ids=ids, date_from=date_from, date_to=date_to, source=source)
        keyword_query: str = query
        used: entity_query.EntityCandidate | None = None
        others: list[entity_query.EntityCandidate] = []
        # Encoded before taking the connection's lock: the encoder has its own lock and runs for tens
        # of milliseconds, during which other requests keep using the knowledge base.
        if mode not in MODES:
            raise QueryError(f"search mode must be one of {', '.join(MODES)}, got {mode!r}")
        vector = embedder.embed_query(query) if mode != "keyword" else None
        with self._lock:
            if mode != "semantic" and entity_query.is_latin_query(query):
                used, others, words = entity_query.read_latin_query(self._conn, query, self._count_matches)
                names = entity_query.aliases(self._conn, used.id) if used else []
                if names:
                    keyword_query = " OR ".join(f"({' '.join(query_terms(n, prefold))})" for n in names)
                elif used is None:
                    keyword_query = words or query
            result = run_search(
                self._conn,
                keyword_query,
                mode=mode,
                filters=filters,
                query_vector=vector,
                limit=limit,
                offset=offset,
                group=group,
                facets=facets,
            )
        return {
            "hits": result.hits,
            "total": result.total,
            "total_articles": result.total_articles,
            "total_approximate": result.approximate,
            "mode": result.mode,
            "entity": used.to_dict() if used else None,
            "candidates": [c.to_dict() for c in others],
            **({"facets": result.facets} if facets else {}),
        }

    def _count_matches(self, keyword_query: str) -> int:
        """Articles a keyword query matches in the whole knowledge base (estimated above the window)."""
        return run_search(
            self._conn, keyword_query, mode="keyword", filters=Filters(), limit=1
        ).total_articles

    def _entity_filter(self, entity: str | None) -> list[str] | None:
        """KB ids an entity filter names (None for no filter); NotFoundError when it names none."""
        if not entity:
            return None
        ids = self.resolve_entity(entity)
        if not ids:
            raise no_entity(entity)
        return ids

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

    def resolve(self, query: str, type: str | None = None) -> Resolution:
        """The entity a user's name or id most likely means and the other candidates
        (`khabar.store.lookup.resolve_name`)."""
        with self._lock:
            return resolve_name(self._conn, query, type)

    def resolve_entity(self, id_or_name: str) -> list[str]:
        """The id of the best entity for an id, a Wikidata id, a Hindi or English name, or one word of a
        name (empty when nothing matches); `resolve` also gives the other candidates."""
        best = self.resolve(id_or_name).best
        return [best.id] if best else []

    def list_entities(
        self, type: str | None = None, limit: int = 100, offset: int = 0
    ) -> list[dict[str, Any]]:
        """Top entities by story count (copies of one story count once; see `store.counts`):
        [{"id","type","name","name_en","wikidata","stories","articles","documents","mentions"}]."""
        where, params = _type_filter(type)
        rows = self._rows(
            f"SELECT e.id, e.type, e.name, e.name_en, e.wikidata, count(DISTINCT {story_of('a')}) AS s, "
            f"count(DISTINCT ae.article_id) AS n, {_ENTITY_DOCUMENTS} AS d, "
            "coalesce(sum(ae.mentions), 0) AS m FROM entities e "
            "JOIN article_entities ae ON ae.entity_id = e.id JOIN articles a ON a.id = ae.article_id "
            f"{where} GROUP BY e.id ORDER BY s DESC, n DESC, m DESC, e.name, e.id LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        keys = ("id", "type", "name", "name_en", "wikidata", "stories", "articles", "documents", "mentions")
        return [dict(zip(keys, r, strict=True)) for r in rows]

    def count_entities(self, type: str | None = None) -> int:
        """How many entities `list_entities` lists in all (those mentioned in an article)."""
        where, params = _type_filter(type)
        return int(
            self._rows(
                "SELECT count(DISTINCT e.id) FROM entities e "
                f"JOIN article_entities ae ON ae.entity_id = e.id {where}",
                params,
            )[0][0]
        )

    def get_entity(self, id_or_name: str) -> dict[str, Any] | None:
        """One entity page: aliases, roles, articles, co-mentioned entities, mentions per day, and the
        other `candidates` the name may mean; or None."""
        resolution = self.resolve(id_or_name)
        if resolution.best is None:
            return None
        eid = resolution.best.id
        row = self._rows(
            "SELECT id, type, name, name_en, wikidata, category, country, adm1, lat, lon FROM entities "
            "WHERE id = ?",
            (eid,),
        )[0]
        aliases = [
            r[0] for r in self._rows("SELECT alias FROM aliases WHERE entity_id = ? ORDER BY alias", (eid,))
        ]
        roles = [
            r[0]
            for r in self._rows(
                "SELECT role, count(*) AS n FROM entity_roles WHERE entity_id = ? GROUP BY role "
                "ORDER BY n DESC, role",
                (eid,),
            )
        ]
        articles = [
            dict(zip(("id", "headline", "title", "published", "source"), r, strict=True))
            for r in self._rows(
                "SELECT a.id, a.headline, a.title, a.published, a.source FROM article_entities ae "
                "JOIN articles a ON a.id = ae.article_id WHERE ae.entity_id = ? "
                "GROUP BY a.id ORDER BY a.published IS NULL, a.published DESC, a.id LIMIT ?",
                (eid, ENTITY_ARTICLES_LIMIT),
            )
        ]
        co = [
            dict(zip(("id", "name", "name_en", "type", "count", "articles"), r, strict=True))
            for r in self._rows(
                f"SELECT e.id, e.name, e.name_en, e.type, count(DISTINCT {story_of('a')}) AS s, "
                "count(DISTINCT o.article_id) AS n FROM article_entities me "
                "JOIN article_entities o ON o.article_id = me.article_id AND o.entity_id != me.entity_id "
                "JOIN articles a ON a.id = o.article_id "
                "JOIN entities e ON e.id = o.entity_id WHERE me.entity_id = ? "
                "GROUP BY e.id ORDER BY s DESC, n DESC, e.name, e.id LIMIT ?",
                (eid, CO_MENTIONS_LIMIT),
            )
        ]
        per_day = [
            {"day": r[0], "count": r[1], "stories": r[2]}
            for r in self._rows(
                f"SELECT a.published, sum(ae.mentions), count(DISTINCT {story_of('a')}) FROM article_entities ae "
                "JOIN articles a ON a.id = ae.article_id WHERE ae.entity_id = ? AND a.published IS NOT NULL "
                "GROUP BY a.published ORDER BY a.published",
                (eid,),
            )
        ]
        totals = self._rows(
            f"SELECT count(DISTINCT {story_of('a')}), count(DISTINCT a.id), "
            "(SELECT count(*) FROM documents d WHERE d.article_id IN "
            "(SELECT article_id FROM article_entities x WHERE x.entity_id = ?)) "
            "FROM article_entities ae JOIN articles a ON a.id = ae.article_id WHERE ae.entity_id = ?",
            (eid, eid),
        )[0]
        return {
            "id": row[0],
            "type": row[1],
            "name": row[2],
            "name_en": row[3],
            "wikidata": row[4],
            "category": row[5],
            "country": row[6],
            "adm1": row[7],
            "coordinates": [row[8], row[9]] if row[8] is not None and row[9] is not None else None,
            "aliases": aliases,
            "roles": roles,
            "stories": int(totals[0]),
            "article_count": int(totals[1]),
            "documents": int(totals[2]),
            "articles": articles,
            "co_mentions": co,
            "mentions_per_day": per_day,
            "query": id_or_name,
            "candidates": [c.to_dict() for c in resolution.candidates],
        }

    def list_events(
        self,
        entity: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        limit: int = 100,
        modality: str | None = None,
        offset: int = 0,
    ) -> list[dict[str, Any]]:
        """Events newest first in the event shape of `article.event_dict` (actors, place and
        participants as KB entities); `modality` keeps one modality (e.g. occurred).

        Dates (inclusive) filter on the event date, or the article's publication date when it has none.
        """
        clause, params = self._event_filter(entity, date_from, date_to, modality)
        rows = self._rows(
            "SELECT ev.id, ev.article_id, a.headline, ev.type, ev.cameo, ev.goldstein, ev.trigger_text, "
            "ev.location_entity, le.name, ev.date, ev.root, ev.quad_class, ev.modality, ev.confidence, "
            "ev.actor1_entity, ev.actor1_text, coalesce(e1.name_en, ev.actor1_name_en), ev.actor1_code, e1.type, "
            "ev.actor2_entity, ev.actor2_text, coalesce(e2.name_en, ev.actor2_name_en), ev.actor2_code, e2.type, "
            "ev.date_grain, ev.date_last, a.published, ev.trigger_start, ev.trigger_end, "
            "ev.evidence_start, ev.evidence_end, le.name_en, "
            "CASE WHEN ev.evidence_start IS NULL THEN NULL "
            "ELSE substr(a.text, ev.evidence_start + 1, ev.evidence_end - ev.evidence_start) END, ev.sentence "
            "FROM events ev JOIN articles a ON a.id = ev.article_id "
            "LEFT JOIN entities le ON le.id = ev.location_entity "
            "LEFT JOIN entities e1 ON e1.id = ev.actor1_entity LEFT JOIN entities e2 ON e2.id = ev.actor2_entity "
            f"{clause} ORDER BY coalesce(ev.date, a.published) IS NULL, coalesce(ev.date, a.published) DESC, "
            "ev.article_id, ev.idx LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        out = []
        for r in rows:
            parts = self._rows(
                "SELECT p.entity_id, coalesce(e.name, p.local_entity), e.name_en, e.type, p.role "
                "FROM event_participants p "
                "LEFT JOIN entities e ON e.id = p.entity_id WHERE p.event_id = ? ORDER BY p.position",
                (r[0],),
            )
            out.append(
                {
                    "id": r[0],
                    "article_id": r[1],
                    "article_title": r[2],
                    "type": r[3],
                    "cameo": r[4],
                    "root": r[10] or r[4][:2],
                    "quad_class": r[11] if r[11] is not None else quad_class(r[4]),
                    "goldstein": r[5],
                    "modality": r[12] or "occurred",
                    "confidence": r[13],
                    "actor1": _actor(r[14], r[15], r[16], r[17], r[18]),
                    "actor2": _actor(r[19], r[20], r[21], r[22], r[23]),
                    "others": [_actor(p[0], p[1], p[2], None, p[3]) for p in parts if p[4] == "other"],
                    "place": {"entity": r[7], "text": r[8], "name_en": r[31]} if r[7] else None,
                    **event_when(r[9], r[24], r[25], r[26]),
                    "trigger": {"start": r[27], "end": r[28], "text": r[6]},
                    "evidence": {"start": r[29], "end": r[30], "text": r[32]} if r[29] is not None else None,
                    "participants": [p[0] for p in parts],
                    "location": r[7],
                    "sentence": r[33],
                }
            )
        return out

    def count_events(
        self,
        entity: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        modality: str | None = None,
    ) -> int:
        """How many events `list_events` lists in all."""
        clause, params = self._event_filter(entity, date_from, date_to, modality)
        return int(
            self._rows(
                f"SELECT count(*) FROM events ev JOIN articles a ON a.id = ev.article_id {clause}", params
            )[0][0]
        )

    def _event_filter(
        self, entity: str | None, date_from: str | None, date_to: str | None, modality: str | None
    ) -> tuple[str, list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        start, end = check_date(date_from, "from"), check_date(date_to, "to")
        if start:
            where.append("coalesce(ev.date, a.published) >= ?")
            params.append(start)
        if end:
            where.append("coalesce(ev.date, a.published) <= ?")
            params.append(end)
        ids = self._entity_filter(entity)
        if ids is not None:
            marks = ",".join("?" * len(ids))
            where.append(
                f"(ev.location_entity IN ({marks}) OR ev.id IN "
                f"(SELECT event_id FROM event_participants WHERE entity_id IN ({marks})))"
            )
            params.extend([*ids, *ids])
        if modality:
            if modality not in MODALITIES:
                raise QueryError(f"modality must be one of {', '.join(MODALITIES)}, got {modality!r}")
            where.append("ev.modality = ?")
            params.append(modality)
        return (f"WHERE {' AND '.join(where)}" if where else ""), params

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


def _type_filter(type: str | None) -> tuple[str, list[Any]]:
    """The WHERE clause of an entity type filter; QueryError for an unknown type."""
    if not type:
        return "", []
    kind = type.upper()
    if kind not in ("PERSON", "LOCATION", "ORGANIZATION"):
        raise QueryError(f"entity type must be PERSON, LOCATION or ORGANIZATION, got {type!r}")
    return "WHERE e.type = ?", [kind]


def _actor(
    entity: str | None, text: str | None, name_en: str | None, code: str | None, etype: str | None
) -> dict[str, Any] | None:
    """An event actor in the shape of `article.actor_dict`, with a KB entity id."""
    if entity is None and text is None:
        return None
    return {"entity": entity, "text": text, "name_en": name_en, "code": code, "type": etype}
