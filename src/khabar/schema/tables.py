"""Lists as CSV (`?format=csv` on every list of the API, the "CSV" links of the pages): one row per
item, flat columns with English names beside the Hindi ones."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping
from typing import Any

Row = Mapping[str, Any]


def _actor(ev: Row, side: str, key: str) -> Any:
    actor = ev.get(side) or {}
    return actor.get(key) if isinstance(actor, Mapping) else None


def _place(ev: Row, key: str) -> Any:
    place = ev.get("place") or {}
    return place.get(key) if isinstance(place, Mapping) else None


def _keys(*keys: str) -> list[tuple[str, Callable[[Row], Any]]]:
    def getter(key: str) -> Callable[[Row], Any]:
        return lambda row: row.get(key)

    return [(key, getter(key)) for key in keys]


# Per list: (column, value of an item).
COLUMNS: dict[str, list[tuple[str, Callable[[Row], Any]]]] = {
    "search": _keys("id", "headline", "published", "source", "score"),
    "articles": _keys("id", "headline", "published", "source"),
    "entities": _keys("id", "type", "name", "name_en", "wikidata", "articles", "mentions"),
    "events": [
        ("id", lambda e: e.get("id")),
        ("date", lambda e: e.get("date_shown")),
        ("type", lambda e: e.get("type")),
        ("cameo", lambda e: e.get("cameo")),
        ("quad_class", lambda e: e.get("quad_class")),
        ("goldstein", lambda e: e.get("goldstein")),
        ("modality", lambda e: e.get("modality")),
        ("actor1", lambda e: _actor(e, "actor1", "name_en")),
        ("actor1_hi", lambda e: _actor(e, "actor1", "text")),
        ("actor1_entity", lambda e: _actor(e, "actor1", "entity")),
        ("actor2", lambda e: _actor(e, "actor2", "name_en")),
        ("actor2_hi", lambda e: _actor(e, "actor2", "text")),
        ("actor2_entity", lambda e: _actor(e, "actor2", "entity")),
        ("place", lambda e: _place(e, "name_en")),
        ("place_hi", lambda e: _place(e, "text")),
        ("trigger", lambda e: (e.get("trigger") or {}).get("text")),
        ("article_id", lambda e: e.get("article_id")),
        ("article", lambda e: e.get("article_title")),
    ],
}


def to_csv(kind: str, items: Iterable[Row]) -> str:
    """The CSV text (with a header line) of a list's items."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if kind == "duplicates":
        writer.writerow(["cluster", "size", "article_id", "source", "headline"])
        for cluster in items:
            for art in cluster.get("articles") or []:
                writer.writerow(
                    [
                        cluster.get("id"),
                        cluster.get("size"),
                        art.get("id"),
                        art.get("source"),
                        art.get("headline"),
                    ]
                )
        return out.getvalue()
    columns = COLUMNS[kind]
    writer.writerow([name for name, _ in columns])
    for item in items:
        writer.writerow(["" if (v := get(item)) is None else v for _, get in columns])
    return out.getvalue()
