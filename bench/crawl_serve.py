"""Crawl every page and API answer of `khabar serve` over a knowledge base; report statuses as JSON.

Requests each article page and entity page with their API twins, the list pages, and events and
search filtered by the first 50 entities, through FastAPI's TestClient (no network). Counts status
codes, 5xx answers, HTML pages holding an unescaped `<script>` other than the app's own, and the
slowest requests.

Example: python bench/crawl_serve.py --db demo.db
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi.testclient import TestClient

from khabar.serve import create_app
from khabar.store.kb import KnowledgeBase

FILTERED_ENTITIES = 50
LIST_PAGES = (
    "/",
    "/entities",
    "/entities?type=PERSON",
    "/entities?type=LOCATION",
    "/entities?type=ORGANIZATION",
    "/events",
    "/duplicates",
    "/analyze",
    "/api/events",
    "/api/duplicates",
    "/api/stats",
    "/openapi.json",
)
_FOREIGN_SCRIPT = re.compile(r"<script(?![^>]*src=\"/static/app\.js\")", re.IGNORECASE)


def crawl_urls(db: Path) -> list[str]:
    """Every URL to visit for this knowledge base."""
    with KnowledgeBase(db, readonly=True) as kb:
        articles = [a["id"] for a in kb.list_articles(limit=1_000_000)]
        entities = [e["id"] for e in kb.list_entities(limit=1_000_000)]
    urls = list(LIST_PAGES)
    for aid in articles:
        urls += [f"/articles/{quote(aid)}", f"/api/articles/{quote(aid)}"]
    for eid in entities:
        urls += [f"/entities/{quote(eid)}", f"/api/entities/{quote(eid)}"]
    for eid in entities[:FILTERED_ENTITIES]:
        urls += [
            f"/events?entity={quote(eid)}",
            f"/api/events?entity={quote(eid)}",
            f"/search?q=बैठक&entity={quote(eid)}",
        ]
    return urls


def crawl(db: Path) -> dict[str, Any]:
    """Visit every URL; summarise statuses, failures and timings."""
    statuses: Counter[int] = Counter()
    failures: list[str] = []
    unescaped: list[str] = []
    timings: list[tuple[float, str]] = []
    with TestClient(create_app(db), raise_server_exceptions=False) as client:
        for url in crawl_urls(db):
            began = time.perf_counter()
            answer = client.get(url)
            timings.append(((time.perf_counter() - began) * 1000, url))
            statuses[answer.status_code] += 1
            if answer.status_code >= 500:
                failures.append(url)
            if answer.headers.get("content-type", "").startswith("text/html") and _FOREIGN_SCRIPT.search(
                answer.text
            ):
                unescaped.append(url)
    timings.sort(reverse=True)
    return {
        "requests": sum(statuses.values()),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "server_errors": failures,
        "pages_with_foreign_script": unescaped,
        "slowest_ms": [[round(ms, 1), url] for ms, url in timings[:5]],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    args = parser.parse_args()
    print(json.dumps(crawl(args.db), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
