"""Search queries of the knowledge base: keyword, semantic or hybrid, a Latin query read as an entity."""

from __future__ import annotations

from typing import Any

from khabar.errors import QueryError
from khabar.store.kb_entities import EntityQueries
from khabar.store.search import MODES, Filters
from khabar.store.search import search as run_search
from khabar.text.analyzer import prefold, query_terms


class SearchQueries(EntityQueries):
    """Search hits, pages of results with totals and facets, and counts."""

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
