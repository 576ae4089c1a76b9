"""The JSON API under /api. Every route only reads the knowledge base.

Each route declares its response model (`khabar.schema.models`), so `/openapi.json` types every
answer; lists come in the envelope `{"items", "total", "limit", "offset", "next"}` with the same
defaults as the CLI, and errors are RFC 9457 problem details (documented per route).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from starlette.exceptions import HTTPException

from khabar.schema import models as m
from khabar.schema.paging import DEFAULT_LIMITS, MAX_LIMITS, MAX_OFFSET
from khabar.schema.problems import PROBLEM_MEDIA_TYPE
from khabar.serve.app import KBReader, get_services
from khabar.store import lists

router = APIRouter(prefix="/api", tags=["api"])

ENTITY_TYPES = ("PERSON", "LOCATION", "ORGANIZATION")
# Kept for callers of the old names: the bounds are those of `khabar.schema.paging`.
MAX_SEARCH_LIMIT = MAX_LIMITS["search"]
MAX_LIST_LIMIT = MAX_LIMITS["entities"]

EntityType = Literal["PERSON", "LOCATION", "ORGANIZATION"]
ModalityParam = Literal["occurred", "planned", "demanded", "speculative", "negated"]


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for error statuses, each a problem-details body."""
    what = {
        400: "invalid parameters or query",
        404: "no such article or entity (also for an unknown entity filter)",
        413: "request body too large",
        415: "unsupported content type",
        500: "analysis failed",
        503: "the analyser is busy",
        504: "the request or query took too long",
    }
    return {
        s: {"model": m.Problem, "description": what.get(s, "error"), "content": {PROBLEM_MEDIA_TYPE: {}}}
        for s in statuses
    }


CSV_ANSWER: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"text/csv": {"schema": {"type": "string"}}},
        "description": "the page (CSV with ?format=csv)",
    }
}
# Every route can time out (504); every route with parameters can get them wrong (400).
ERRORS = problem_responses(400, 504)
ERRORS_404 = problem_responses(400, 404, 504)
ITEM_ERRORS = problem_responses(404, 504)
LIST_ERRORS = {**CSV_ANSWER, **ERRORS}
LIST_ERRORS_404 = {**CSV_ANSWER, **ERRORS_404}
Format = Annotated[
    Literal["json", "csv"], Query(description="json (the envelope) or csv (the items, with a header line)")
]


def as_format(kind: str, page: dict[str, Any], fmt: str) -> Any:
    """The page itself for JSON; for CSV a text/csv download of its items."""
    if fmt != "csv":
        return page
    from fastapi.responses import Response

    from khabar.schema.tables import to_csv

    return Response(
        to_csv(kind, page["items"]),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="khabar-{kind}.csv"'},
    )


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
                            "type": ["string", "null"],
                            "format": "date",
                            "description": "publication date; relative dates resolve against it",
                        },
                    },
                }
            },
            "text/plain": {"schema": {"type": "string"}},
        },
    }
}

Limit = Annotated[int, Query(ge=1, le=MAX_LIMITS["entities"], description="rows per page")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="rows to skip")]
DateFrom = Annotated[date | None, Query(alias="from", description="on or after this day (YYYY-MM-DD)")]
DateTo = Annotated[date | None, Query(alias="to", description="on or before this day (YYYY-MM-DD)")]
EntityFilter = Annotated[
    str | None, Query(description="an entity id, Wikidata id or name; 404 when it names none")
]


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


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def run_search(kb: KBReader, query: str, **filters: Any) -> list[dict[str, Any]]:
    """`kb.search` (kept for the pages and older callers)."""
    return kb.search(query, **filters)


@router.get("/health", response_model=m.Health)
async def get_health() -> dict[str, str]:
    """Liveness check."""
    return {"status": "ok"}


@router.get("/stats", response_model=m.Stats, responses=problem_responses(504))
async def get_stats(request: Request) -> dict[str, Any]:
    """Corpus statistics: counts of articles, entities, events, clusters and more."""
    return await get_services(request).query(lambda kb: kb.stats())


@router.get("/search", response_model=m.SearchPage, responses=LIST_ERRORS_404)
async def search_articles(
    request: Request,
    q: Annotated[
        str,
        Query(
            description='words (inflections and spellings meet), "exact phrase", =word, OR, NOT, prefix*, '
            "title:word; or an English or romanised name (Modi, Narendra Modi)"
        ),
    ],
    entity: EntityFilter = None,
    source: Annotated[str | None, Query(description="only articles from this source")] = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    mode: Annotated[
        Literal["keyword", "semantic", "hybrid"],
        Query(description="keyword (BM25), semantic (meaning) or hybrid (both)"),
    ] = "keyword",
    facets: Annotated[bool, Query(description="add counts by entity, source and day")] = False,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMITS["search"])] = DEFAULT_LIMITS["search"],
    offset: Offset = 0,
    format: Format = "json",
) -> Any:
    """Search, one result per story (copies counted in `copies`), with `total` stories and
    `total_articles` (estimates when `total_approximate`: a query matching more articles than are
    ranked, whose newest matches are ranked and counted); `entity`/`candidates` say how an English name
    was read; snippets mark hits with `<mark>` and are otherwise escaped. A malformed query or date
    gets 400 with a message.
    """
    d_from, d_to = _day(date_from), _day(date_to)
    check_range(d_from, d_to)
    if not q.strip():
        raise HTTPException(400, "give a query q; an entity's articles are at /api/entities/{id}")
    page = await get_services(request).query(
        lambda kb: lists.search_page(
            kb,
            q.strip(),
            entity=entity or None,
            source=source or None,
            date_from=d_from,
            date_to=d_to,
            mode=mode,
            facets=facets,
            limit=limit,
            offset=offset,
        )
    )
    return as_format("search", page, format)


@router.get("/articles", response_model=m.Page[m.ArticleRef], responses=LIST_ERRORS)
async def list_articles(
    request: Request, limit: Limit = DEFAULT_LIMITS["articles"], offset: Offset = 0, format: Format = "json"
) -> Any:
    """Stored articles, newest first."""
    page = await get_services(request).query(lambda kb: lists.articles_page(kb, limit, offset))
    return as_format("articles", page, format)


@router.get("/articles/{article_id:path}", response_model=m.ArticleRecord, responses=ITEM_ERRORS)
async def get_article(request: Request, article_id: str) -> dict[str, Any]:
    """The full analysis of one article (`Article.to_dict()`), with `kb_entities` and `cluster`.

    Any id is reachable: percent-encode it (`/` as `%2F`)."""
    article = await get_services(request).query(lambda kb: kb.get_article(article_id))
    if article is None:
        raise HTTPException(404, f"no article with id {article_id!r}")
    return article


@router.get("/entities", response_model=m.Page[m.EntitySummary], responses=LIST_ERRORS)
async def list_entities(
    request: Request,
    type: Annotated[EntityType | None, Query(description="PERSON, LOCATION or ORGANIZATION")] = None,
    limit: Limit = DEFAULT_LIMITS["entities"],
    offset: Offset = 0,
    format: Format = "json",
) -> Any:
    """Knowledge-base entities, most-mentioned first, with article and mention counts."""
    page = await get_services(request).query(lambda kb: lists.entities_page(kb, type, limit, offset))
    return as_format("entities", page, format)


@router.get("/entities/{entity_id:path}", response_model=m.EntityDetail, responses=ITEM_ERRORS)
async def get_entity(request: Request, entity_id: str) -> dict[str, Any]:
    """One entity (by id or name): aliases, English name, class, roles, articles, co-mentions, mentions
    per day, and the other `candidates` a name may mean (ranked by type fit and article count)."""
    from khabar.errors import no_entity

    entity = await get_services(request).query(lambda kb: kb.get_entity(entity_id))
    if entity is None:
        raise HTTPException(404, str(no_entity(entity_id)))
    return entity


@router.get("/events", response_model=m.FilteredPage[m.EventRecord], responses=LIST_ERRORS_404)
async def list_events(
    request: Request,
    entity: EntityFilter = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    modality: Annotated[ModalityParam | None, Query(description="only events of this modality")] = None,
    limit: Limit = DEFAULT_LIMITS["events"],
    offset: Offset = 0,
    format: Format = "json",
) -> Any:
    """CAMEO-coded events, newest first: source and target actors with English names, code, root,
    QuadClass, Goldstein, modality, place, date with grain (the publication date, marked, when the
    text gives none), evidence sentence and confidence."""
    d_from, d_to = _day(date_from), _day(date_to)
    check_range(d_from, d_to)
    page = await get_services(request).query(
        lambda kb: lists.events_page(
            kb,
            entity=entity or None,
            date_from=d_from,
            date_to=d_to,
            modality=modality,
            limit=limit,
            offset=offset,
        )
    )
    return as_format("events", page, format)


@router.get("/duplicates", response_model=m.Page[m.Cluster], responses=LIST_ERRORS)
async def list_duplicates(
    request: Request, limit: Limit = DEFAULT_LIMITS["duplicates"], offset: Offset = 0, format: Format = "json"
) -> Any:
    """Clusters of two or more copies of one story, biggest first."""
    page = await get_services(request).query(lambda kb: lists.duplicates_page(kb, limit, offset))
    return as_format("duplicates", page, format)


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
        except RecursionError:
            raise HTTPException(400, "invalid JSON: nested too deeply") from None
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


@router.post(
    "/analyze",
    openapi_extra=_ANALYZE_BODY,
    response_model=m.ArticleDoc,
    responses=problem_responses(400, 413, 415, 500, 503, 504),
)
async def analyze_text(request: Request) -> dict[str, Any]:
    """Analyse a posted article and return `Article.to_dict()`; nothing is stored.

    Body: JSON `{"text", "published"}` or `text/plain` (then `?published=YYYY-MM-DD`). Over 1 MB: 413.
    """
    text, published = await read_analyze_request(request)
    return await get_services(request).analyze(text, published)
