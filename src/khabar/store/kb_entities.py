"""Entity queries of the knowledge base: resolving a name, the list of entities and an entity's page."""

from __future__ import annotations

from typing import Any

from khabar.errors import QueryError, no_entity
from khabar.store.counts import story_of
from khabar.store.kb_connection import KBConnection
from khabar.store.lookup import Resolution, resolve_name

# Most co-mentioned entities returned by get_entity.
CO_MENTIONS_LIMIT = 20
# Documents of an entity's articles (every stored input; an exact copy from two paths counts twice).
_ENTITY_DOCUMENTS = (
    "(SELECT count(*) FROM documents d WHERE d.article_id IN "
    "(SELECT article_id FROM article_entities x WHERE x.entity_id = e.id))"
)
# Most articles listed by get_entity (newest first).
ENTITY_ARTICLES_LIMIT = 500


class EntityQueries(KBConnection):
    """Entities by id or name, the entity list (by story count) and entity pages."""

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

    def _entity_filter(self, entity: str | None) -> list[str] | None:
        """KB ids an entity filter names (None for no filter); NotFoundError when it names none."""
        if not entity:
            return None
        ids = self.resolve_entity(entity)
        if not ids:
            raise no_entity(entity)
        return ids


def _type_filter(type: str | None) -> tuple[str, list[Any]]:
    """The WHERE clause of an entity type filter; QueryError for an unknown type."""
    if not type:
        return "", []
    kind = type.upper()
    if kind not in ("PERSON", "LOCATION", "ORGANIZATION"):
        raise QueryError(f"entity type must be PERSON, LOCATION or ORGANIZATION, got {type!r}")
    return "WHERE e.type = ?", [kind]
