"""The JSON API under /api. Every route only reads the knowledge base."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.exceptions import HTTPException

from khabar.errors import QueryError
from khabar.serve.app import KBReader, get_services

router = APIRouter(prefix="/api", tags=["api"])

ENTITY_TYPES = ("PERSON", "LOCATION", "ORGANIZATION")
# Result pages are bounded so one request cannot ask for the whole corpus.
MAX_SEARCH_LIMIT = 100
MAX_LIST_LIMIT = 1000
MAX_OFFSET = 100_000

_ANALYZE_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["text"],
                    "properties": {
                        "text": {"type": "string", "description": "the article (plain text or HTML)"},
                        "published": {
                            "type": "string",
                            "format": "date",
                            "nullable": True,
                            "description": "publication date; relative dates resolve against it",
                        },
                    },
                }
            },
            "text/plain": {"schema": {"type": "string"}},
        },
    }
}


def parse_day(value: str | None, name: str) -> str | None:
    """An optional YYYY-MM-DD parameter, normalised; HTTP 400 when malformed."""
    if value is None or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise HTTPException(400, f"{name} must be a date as YYYY-MM-DD, got {value!r}") from None


def parse_entity_type(value: str | None) -> str | None:
    """An optional entity type, upper-cased; HTTP 400 when unknown."""
    if value is None or not value.strip():
        return None
    upper = value.strip().upper()
    if upper not in ENTITY_TYPES:
        raise HTTPException(400, f"type must be one of {', '.join(ENTITY_TYPES)}, got {value!r}")
    return upper


def check_range(date_from: str | None, date_to: str | None) -> None:
    """HTTP 400 when `from` is after `to`."""
    if date_from and date_to and date_from > date_to:
        raise HTTPException(400, f"from ({date_from}) is after to ({date_to})")


def run_search(kb: KBReader, query: str, **filters: Any) -> list[dict[str, Any]]:
    """`kb.search`, with SQLite's own complaints about an FTS5 query (e.g. a lone `*`) as QueryError."""
    try:
        return kb.search(query, **filters)
    except sqlite3.OperationalError as exc:
        raise QueryError(f"malformed search query {query!r}: {exc}") from None


@router.get("/health")
async def get_health() -> dict[str, str]:
    """Liveness check."""
    return {"status": "ok"}


@router.get("/stats")
async def get_stats(request: Request) -> dict[str, Any]:
    """Corpus statistics: counts of articles, entities, events, clusters and more."""
    return await get_services(request).query(lambda kb: kb.stats())


@router.get("/search")
async def search_articles(
    request: Request,
    q: Annotated[str, Query(description='FTS5 query: words, "phrases", OR, NOT, prefix*')] = "",
    entity: Annotated[
        str | None, Query(description="only articles mentioning this entity (id or name)")
    ] = None,
    date_from: Annotated[
        str | None, Query(alias="from", description="published on or after YYYY-MM-DD")
    ] = None,
    date_to: Annotated[str | None, Query(alias="to", description="published on or before YYYY-MM-DD")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_SEARCH_LIMIT)] = 20,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> dict[str, Any]:
    """Full-text search ranked by BM25; snippets mark hits with `<mark>` and are otherwise escaped.

    A malformed query (unbalanced quote, stray operator) or date gets 400 with a message.
    """
    d_from, d_to = parse_day(date_from, "from"), parse_day(date_to, "to")
    check_range(d_from, d_to)
    if not q.strip():
        raise HTTPException(400, "give a query q; an entity's articles are at /api/entities/{id}")
    results = await get_services(request).query(
        lambda kb: run_search(
            kb, q.strip(), entity=entity or None, date_from=d_from, date_to=d_to, limit=limit, offset=offset
        )
    )
    return {"query": q, "limit": limit, "offset": offset, "results": results}


@router.get("/articles/{article_id}")
async def get_article(request: Request, article_id: str) -> dict[str, Any]:
    """The full analysis of one article (`Article.to_dict()`), with `kb_entities` and `cluster`."""
    article = await get_services(request).query(lambda kb: kb.get_article(article_id))
    if article is None:
        raise HTTPException(404, f"no article with id {article_id!r}")
    return article


@router.get("/entities")
async def list_entities(
    request: Request,
    type: Annotated[str | None, Query(description="PERSON, LOCATION or ORGANIZATION")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIST_LIMIT)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> dict[str, Any]:
    """Knowledge-base entities, most-mentioned first, with article and mention counts."""
    etype = parse_entity_type(type)
    rows = await get_services(request).query(
        lambda kb: kb.list_entities(type=etype, limit=limit, offset=offset)
    )
    return {"type": etype, "limit": limit, "offset": offset, "entities": rows}


@router.get("/entities/{entity_id}")
async def get_entity(request: Request, entity_id: str) -> dict[str, Any]:
    """One entity (by id or name): aliases, English name, roles, articles, co-mentions, mentions per day."""
    entity = await get_services(request).query(lambda kb: kb.get_entity(entity_id))
    if entity is None:
        raise HTTPException(404, f"no entity {entity_id!r}")
    return entity


@router.get("/events")
async def list_events(
    request: Request,
    entity: Annotated[str | None, Query(description="only events with this participant (id or name)")] = None,
    date_from: Annotated[str | None, Query(alias="from", description="on or after YYYY-MM-DD")] = None,
    date_to: Annotated[str | None, Query(alias="to", description="on or before YYYY-MM-DD")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIST_LIMIT)] = 200,
    modality: Annotated[
        str | None, Query(description="only this modality: occurred, planned, demanded, speculative, negated")
    ] = None,
) -> dict[str, Any]:
    """CAMEO-coded events: source and target actors with English names, code, root, QuadClass,
    Goldstein, modality, place, date with grain (the publication date, marked, when the text gives
    none), evidence sentence and confidence."""
    d_from, d_to = parse_day(date_from, "from"), parse_day(date_to, "to")
    check_range(d_from, d_to)
    rows = await get_services(request).query(
        lambda kb: kb.list_events(
            entity=entity or None, date_from=d_from, date_to=d_to, limit=limit, modality=modality or None
        )
    )
    return {"entity": entity, "from": d_from, "to": d_to, "modality": modality, "events": rows}


@router.get("/duplicates")
async def list_duplicates(request: Request) -> dict[str, Any]:
    """Clusters of two or more near-duplicate articles."""
    clusters = await get_services(request).query(lambda kb: kb.duplicates())
    return {"clusters": clusters}


async def read_analyze_request(request: Request) -> tuple[str, date | None]:
    """The text and publication date of an analysis request (JSON or text/plain)."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    try:
        raw = body.decode("utf-8")
    except UnicodeDecodeError:
        raise HTTPException(400, "the request body is not UTF-8") from None
    published_param: Any = request.query_params.get("published")
    if ctype == "application/json":
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise HTTPException(400, f"invalid JSON: {exc.msg} at line {exc.lineno}") from None
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            raise HTTPException(400, 'send a JSON object {"text": "...", "published": "YYYY-MM-DD"}')
        text = data["text"]
        published_param = data.get("published", published_param)
        if published_param is not None and not isinstance(published_param, str):
            raise HTTPException(400, "published must be a string YYYY-MM-DD")
    elif ctype in ("text/plain", ""):
        text = raw
    else:
        raise HTTPException(415, f"send application/json or text/plain, not {ctype!r}")
    if not text.strip():
        raise HTTPException(400, "the text is empty")
    day = parse_day(published_param, "published")
    return text, date.fromisoformat(day) if day else None


@router.post("/analyze", openapi_extra=_ANALYZE_BODY)
async def analyze_text(request: Request) -> dict[str, Any]:
    """Analyse a posted article and return `Article.to_dict()`; nothing is stored.

    Body: JSON `{"text", "published"}` or `text/plain` (then `?published=YYYY-MM-DD`). Over 1 MB: 413.
    """
    text, published = await read_analyze_request(request)
    return await get_services(request).analyze(text, published)
