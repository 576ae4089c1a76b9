"""Server-rendered pages: home, search, article, entities, entity, events, duplicates, analyze."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any
from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup
from starlette.exceptions import HTTPException

from khabar.schema.paging import DEFAULT_LIMITS, MAX_LIMITS
from khabar.serve.api import check_range, parse_day, parse_entity_type
from khabar.serve.app import get_services
from khabar.serve.charts import draw_day_chart, draw_network
from khabar.serve.markup import (
    api_link,
    build_article_view,
    entity_href,
    safe_snippet,
)
from khabar.store import lists

router = APIRouter(include_in_schema=False)

# Page sizes: those of the API and the CLI (khabar.schema.paging); the timeline shows more at once.
PAGE_SIZE = DEFAULT_LIMITS["search"]
ENTITY_PAGE_SIZE = DEFAULT_LIMITS["entities"]
HOME_TOP_ENTITIES = 12
TIMELINE_LIMIT = 500


def flatten_stats(stats: Mapping[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """Statistics as (label, value) rows; nested mappings become "outer inner" labels."""
    rows: list[tuple[str, Any]] = []
    for key, value in stats.items():
        label = f"{prefix}{key}".replace("_", " ")
        if isinstance(value, Mapping):
            rows.extend(flatten_stats(value, prefix=f"{label} · "))
        elif isinstance(value, list | tuple):
            rows.append((label, len(value)))
        else:
            rows.append((label, value))
    return rows


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    """A page from a template (helpers such as `entity_href` are template globals)."""
    return get_services(request).templates.TemplateResponse(request, name, context, status_code=status)


@router.get("/")
async def show_home(request: Request) -> Response:
    """Search box, corpus statistics and the most-mentioned entities."""
    services = get_services(request)
    stats = await services.query(lambda kb: kb.stats())
    top = await services.query(lambda kb: kb.list_entities(limit=HOME_TOP_ENTITIES))
    return render(request, "home.html", {"stats": flatten_stats(stats), "top": top})


@router.get("/search")
async def show_search(
    request: Request,
    q: str = "",
    entity: str = "",
    date_from: Annotated[str, Query(alias="from")] = "",
    date_to: Annotated[str, Query(alias="to")] = "",
    mode: str = "keyword",
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
) -> Response:
    """Search results (one per story) with totals, highlighted snippets, facets and a volume-over-time
    chart; a bad query shows its message with status 400."""
    form = {"q": q, "entity": entity, "from": date_from, "to": date_to, "mode": mode}
    context: dict[str, Any] = {
        "form": form,
        "results": [],
        "error": None,
        "page": page,
        "next_url": None,
        "prev_url": None,
        "total": 0,
        "total_articles": 0,
        "total_approximate": False,
        "used": None,
        "candidates": [],
        "facets": {},
        "chart": "",
    }
    if not q.strip():
        if entity.strip():  # no words, only an entity: its page lists its articles
            return RedirectResponse(entity_href(entity.strip()), status_code=303)
        return render(request, "search.html", context)
    try:
        if mode not in ("keyword", "semantic", "hybrid"):
            raise HTTPException(400, f"mode must be keyword, semantic or hybrid, got {mode!r}")
        d_from, d_to = parse_day(date_from, "from"), parse_day(date_to, "to")
        check_range(d_from, d_to)
        found = await get_services(request).query(
            lambda kb: lists.search_page(
                kb,
                q.strip(),
                entity=entity.strip() or None,
                date_from=d_from,
                date_to=d_to,
                limit=PAGE_SIZE,
                offset=(page - 1) * PAGE_SIZE,
                mode=mode,
                facets=True,
            )
        )
    except HTTPException as exc:
        if exc.status_code not in (400, 404):
            raise
        context["error"] = exc.detail
        return render(request, "search.html", context, status=exc.status_code)
    results = found["items"]
    for row in results:
        row["snippet_html"] = safe_snippet(row.get("snippet"))
    facets = found.get("facets") or {}
    context.update(
        results=results,
        total=found["total"],
        total_articles=found["total_articles"],
        total_approximate=found.get("total_approximate", False),
        used=found.get("entity"),
        candidates=found.get("candidates", []),
        facets=facets,
        chart=_volume_chart(facets.get("dates", [])),
    )
    context["csv_url"] = api_link(
        "/api/search",
        q=q.strip(),
        entity=entity.strip(),
        limit=MAX_LIMITS["search"],
        format="csv",
        **{"from": d_from, "to": d_to},
    )
    if found["next"]:
        context["next_url"] = "/search?" + urlencode({**form, "page": page + 1})
    if page > 1:
        context["prev_url"] = "/search?" + urlencode({**form, "page": page - 1})
    return render(request, "search.html", context)


# Above this many days from the first to the last match, the volume chart has one bar per month.
VOLUME_DAYS = 120


def _volume_chart(dates: list[dict[str, Any]]) -> Markup:
    """Matching articles over time: per day for a short span, else per month."""
    days = [{"day": d["date"], "count": d["articles"]} for d in dates]
    known = sorted(str(d["date"])[:10] for d in dates if d.get("date"))
    try:
        long_span = (
            bool(known) and (date.fromisoformat(known[-1]) - date.fromisoformat(known[0])).days > VOLUME_DAYS
        )
    except ValueError:
        long_span = False
    title = "matching articles per month" if long_span else "matching articles per day"
    return draw_day_chart(days, title=title, by_month=long_span)


@router.get("/articles/{article_id:path}")
async def show_article(request: Request, article_id: str) -> Response:
    """One article: highlighted text, entities, quotes, events, removed blocks."""
    article = await get_services(request).query(lambda kb: kb.get_article(article_id))
    if article is None:
        raise HTTPException(404, f"no article with id {article_id!r}")
    view = build_article_view(article)
    return render(request, "article.html", {"view": view, "analyzed": False})


@router.get("/entities")
async def show_entities(
    request: Request,
    type: str = "",
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
) -> Response:
    """Entities of the knowledge base, most-mentioned first."""
    etype = parse_entity_type(type)
    listing = await get_services(request).query(
        lambda kb: lists.entities_page(kb, etype, ENTITY_PAGE_SIZE, (page - 1) * ENTITY_PAGE_SIZE)
    )
    next_url = None
    if listing["next"]:
        next_url = "/entities?" + urlencode({"type": etype or "", "page": page + 1})
    return render(
        request,
        "entities.html",
        {
            "rows": listing["items"],
            "total": listing["total"],
            "etype": etype,
            "page": page,
            "next_url": next_url,
        },
    )


@router.get("/entities/{entity_id:path}")
async def show_entity(request: Request, entity_id: str) -> Response:
    """One entity: names, roles, mentions over time, co-mention network, articles."""
    entity = await get_services(request).query(lambda kb: kb.get_entity(entity_id))
    if entity is None:
        raise HTTPException(404, f"no entity {entity_id!r}")
    chart = draw_day_chart(entity.get("mentions_per_day") or [])
    network = draw_network(entity, entity.get("co_mentions") or [])
    return render(request, "entity.html", {"e": entity, "chart": chart, "network": network})


@router.get("/events")
async def show_events(
    request: Request,
    entity: str = "",
    date_from: Annotated[str, Query(alias="from")] = "",
    date_to: Annotated[str, Query(alias="to")] = "",
) -> Response:
    """Events by date, with a chart of events per day."""
    d_from, d_to = parse_day(date_from, "from"), parse_day(date_to, "to")
    check_range(d_from, d_to)
    listing = await get_services(request).query(
        lambda kb: lists.events_page(
            kb, entity=entity.strip() or None, date_from=d_from, date_to=d_to, limit=TIMELINE_LIMIT
        )
    )
    rows = listing["items"]
    # one rule with the API and CLI: the date the text gives, else the publication date, marked
    groups: dict[str, list[dict[str, Any]]] = {}
    for ev in sorted(rows, key=lambda e: (not e.get("date_shown"), str(e.get("date_shown") or ""))):
        groups.setdefault(str(ev.get("date_shown") or "undated"), []).append(ev)
    per_day: dict[str, int] = {}
    for label, evs in groups.items():
        day = label[:10]
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
            per_day[day] = per_day.get(day, 0) + len(evs)
    chart_days = [{"day": day, "count": n} for day, n in sorted(per_day.items())]
    chart = draw_day_chart(chart_days, title="events per day")
    form = {"entity": entity, "from": date_from, "to": date_to}
    return render(
        request,
        "events.html",
        {
            "groups": groups,
            "chart": chart,
            "form": form,
            "count": len(rows),
            "total": listing["total"],
            "limit": TIMELINE_LIMIT,
        },
    )


@router.get("/duplicates")
async def show_duplicates(request: Request, page: Annotated[int, Query(ge=1, le=1000)] = 1) -> Response:
    """Clusters of near-duplicate articles, one page at a time."""
    size = DEFAULT_LIMITS["duplicates"]
    listing = await get_services(request).query(lambda kb: lists.duplicates_page(kb, size, (page - 1) * size))
    next_url = f"/duplicates?page={page + 1}" if listing["next"] else None
    return render(
        request,
        "duplicates.html",
        {"clusters": listing["items"], "total": listing["total"], "page": page, "next_url": next_url},
    )


@router.get("/analyze")
async def show_analyze_form(request: Request) -> Response:
    """A form to paste an article."""
    return render(
        request, "analyze.html", {"view": None, "form": {"text": "", "published": ""}, "error": None}
    )


@router.post("/analyze")
async def analyze_pasted(request: Request) -> Response:
    """Analyse a pasted article (form post) and show it like a stored article; nothing is stored."""
    body = await request.body()
    try:
        fields = parse_qs(body.decode("utf-8"), keep_blank_values=True)
    except UnicodeDecodeError:
        raise HTTPException(400, "the form is not UTF-8") from None
    text = (fields.get("text") or [""])[0]
    published = (fields.get("published") or [""])[0]
    form = {"text": text, "published": published}
    context: dict[str, Any] = {"view": None, "form": form, "error": None}
    try:
        if not text.strip():
            raise HTTPException(400, "paste some text first")
        day = parse_day(published, "published")
        article = await get_services(request).analyze(text, date.fromisoformat(day) if day else None)
    except HTTPException as exc:
        if exc.status_code not in (400, 500, 503, 504):
            raise
        context["error"] = exc.detail
        return render(request, "analyze.html", context, status=exc.status_code)
    context["view"] = build_article_view(article, link_entities=False)
    return render(request, "analyze.html", context)
