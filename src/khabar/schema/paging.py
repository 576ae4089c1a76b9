"""The list envelope `{"items", "total", "limit", "offset", "next"}` and the page sizes of every list.

One table of defaults serves the CLI (`--limit`, `--offset`) and the API (`limit`, `offset`), so a
list holds the same rows whichever way it is asked for.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

# Rows per page when none is asked for, per list.
DEFAULT_LIMITS: dict[str, int] = {
    "search": 20,
    "entities": 50,
    "events": 100,
    "duplicates": 50,
    "articles": 50,
}
# The most rows one page may hold (one request cannot ask for the whole corpus).
MAX_LIMITS: dict[str, int] = {
    "search": 100,
    "entities": 1000,
    "events": 1000,
    "duplicates": 1000,
    "articles": 1000,
}
MAX_OFFSET = 100_000
# The API path of each list (the `next` link points there).
LIST_PATHS: dict[str, str] = {
    "search": "/api/search",
    "entities": "/api/entities",
    "events": "/api/events",
    "duplicates": "/api/duplicates",
    "articles": "/api/articles",
}


def next_link(
    kind: str, params: Mapping[str, Any], total: int, limit: int, offset: int, path: str | None = None
) -> str | None:
    """The API link of the next page (the same filters, the next offset), or None on the last page."""
    if offset + limit >= total:
        return None
    query = {k: v for k, v in params.items() if v not in (None, "") and k not in ("limit", "offset")}
    query.update(limit=limit, offset=offset + limit)
    return f"{path or LIST_PATHS[kind]}?{urlencode(query)}"


def envelope(
    kind: str,
    items: Sequence[Any],
    total: int,
    limit: int,
    offset: int,
    params: Mapping[str, Any] | None = None,
    path: str | None = None,
) -> dict[str, Any]:
    """A list as `{"items", "total", "limit", "offset", "next"}` (`next`: the API link of the next page)."""
    return {
        "items": list(items),
        "total": total,
        "limit": limit,
        "offset": offset,
        "next": next_link(kind, params or {}, total, limit, offset, path),
    }
