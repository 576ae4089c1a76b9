"""Every list of the knowledge base as one page in the list envelope (`khabar.schema.paging`).

The CLI, the API and the pages all call these, so a list has the same rows, order, defaults and
`total` whichever way it is asked for. `kb` is a `KnowledgeBase` (or anything with its query API).
"""

from __future__ import annotations

from typing import Any

from khabar.errors import QueryError
from khabar.schema.paging import DEFAULT_LIMITS, MAX_LIMITS, MAX_OFFSET, envelope


def check_page(kind: str, limit: int | None, offset: int | None) -> tuple[int, int]:
    """(limit, offset) of a list, defaults filled in; QueryError when out of bounds."""
    size = DEFAULT_LIMITS[kind] if limit is None else limit
    start = 0 if offset is None else offset
    if not 1 <= size <= MAX_LIMITS[kind]:
        raise QueryError(f"limit must be between 1 and {MAX_LIMITS[kind]}, got {size}")
    if not 0 <= start <= MAX_OFFSET:
        raise QueryError(f"offset must be between 0 and {MAX_OFFSET}, got {start}")
    return size, start


def search_page(
    kb: Any,
    query: str,
    *,
    entity: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    source: str | None = None,
    mode: str = "keyword",
    facets: bool = False,
    limit: int | None = None,
    offset: int | None = None,
) -> dict[str, Any]:
    """A page of search hits, best first, one per story (the `SearchPage` model): the envelope plus
    mode, total_articles, total_approximate, the entity an English name was read as, other candidates, facets."""
    size, start = check_page("search", limit, offset)
    found = kb.search_results(
        query,
        entity=entity,
        date_from=date_from,
        date_to=date_to,
        source=source,
        mode=mode,
        facets=facets,
        limit=size,
        offset=start,
    )
    params = {"q": query, "entity": entity, "from": date_from, "to": date_to, "source": source}
    if mode != "keyword":
        params["mode"] = mode
    if facets:
        params["facets"] = "true"
    page = envelope("search", found["hits"], found["total"], size, start, params)
    page.update(
        mode=found["mode"],
        total_articles=found["total_articles"],
        total_approximate=found.get("total_approximate", False),
        entity=found["entity"],
        candidates=found["candidates"],
        facets=found.get("facets"),
    )
    _with_resolution(kb, page, entity)
    return page


def _with_resolution(kb: Any, page: dict[str, Any], entity: str | None) -> dict[str, Any]:
    """The page with `entity_resolution` (the entity a filter's name was taken to mean, and the other
    candidates) when an entity filter is given."""
    if entity:
        page["entity_resolution"] = kb.resolve(entity).to_dict()
    return page


def entities_page(
    kb: Any, type: str | None = None, limit: int | None = None, offset: int | None = None
) -> dict[str, Any]:
    """A page of entities, most articles first."""
    size, start = check_page("entities", limit, offset)
    items = kb.list_entities(type=type, limit=size, offset=start)
    total = kb.count_entities(type=type)
    return envelope("entities", items, total, size, start, {"type": type.upper() if type else None})


def events_page(
    kb: Any,
    *,
    entity: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    modality: str | None = None,
    limit: int | None = None,
    offset: int | None = None,
) -> dict[str, Any]:
    """A page of events, newest first."""
    size, start = check_page("events", limit, offset)
    filters = {"entity": entity, "date_from": date_from, "date_to": date_to, "modality": modality}
    items = kb.list_events(**filters, limit=size, offset=start)
    total = kb.count_events(**filters)
    params = {"entity": entity, "from": date_from, "to": date_to, "modality": modality}
    return _with_resolution(kb, envelope("events", items, total, size, start, params), entity)


def duplicates_page(kb: Any, limit: int | None = None, offset: int | None = None) -> dict[str, Any]:
    """A page of duplicate clusters, biggest first."""
    size, start = check_page("duplicates", limit, offset)
    items = kb.duplicates(limit=size, offset=start)
    return envelope("duplicates", items, kb.count_duplicates(), size, start)


def articles_page(kb: Any, limit: int | None = None, offset: int | None = None) -> dict[str, Any]:
    """A page of articles, newest first."""
    size, start = check_page("articles", limit, offset)
    items = kb.list_articles(limit=size, offset=start)
    return envelope("articles", items, kb.count_articles(), size, start)
