"""Event queries of the knowledge base: events by entity, date and modality, with their KB actors."""

from __future__ import annotations

from typing import Any

from khabar.article import MODALITIES, event_when, quad_class
from khabar.errors import QueryError
from khabar.store.kb_entities import EntityQueries
from khabar.store.search import check_date


class EventQueries(EntityQueries):
    """The event list, filtered by entity, dates and modality."""

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


def _actor(
    entity: str | None, text: str | None, name_en: str | None, code: str | None, etype: str | None
) -> dict[str, Any] | None:
    """An event actor in the shape of `article.actor_dict`, with a KB entity id."""
    if entity is None and text is None:
        return None
    return {"entity": entity, "text": text, "name_en": name_en, "code": code, "type": etype}
