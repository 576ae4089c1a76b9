"""The web app over a real knowledge base built by `khabar ingest`: read-only, escaped, complete."""

from __future__ import annotations

import asyncio
import hashlib
import re
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from khabar.serve import create_app

ROOT = Path(__file__).resolve().parents[1]
# The people of the user's example article the NER finds, as written in it (one spelling each; जोश
# ग्रुएनबाम, named only after a title, is missed since the title rule lost on news: docs/ner.md).
SEED_PEOPLE = ("जेलेंस्की", "विटकॉफ", "कुशनर", "ग्रिंकेविच", "चार्ल्स कुश्नर", "मैक्रों")


@pytest.fixture(scope="module")
def kb_path(built_kb: Path) -> Path:
    return built_kb


@pytest.fixture(scope="module")
def client(kb_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(kb_path)) as c:
        yield c


def file_state(db: Path) -> tuple[str, int]:
    """The database file's hash and the size of its write-ahead log (where a write would land first)."""
    wal = db.with_name(db.name + "-wal")
    return hashlib.sha256(db.read_bytes()).hexdigest(), wal.stat().st_size if wal.exists() else 0


def seed_id(client: TestClient) -> str:
    results = client.get("/api/search", params={"q": "विटकॉफ"}).json()["items"]
    return next(r["id"] for r in results if "000_3ad8789db8de2740" in (r["source"] or ""))


def test_every_endpoint_leaves_the_database_unchanged(kb_path: Path) -> None:
    before = file_state(kb_path)
    with TestClient(create_app(kb_path)) as c:
        aid = seed_id(c)
        entities = c.get("/api/entities").json()["items"]
        eid = entities[0]["id"] if entities else "none"
        urls = [
            "/",
            "/search?q=जेलेंस्की",
            '/search?q="टूटा',
            f"/articles/{aid}",
            "/articles/missing",
            "/entities",
            "/entities?type=PERSON",
            f"/entities/{eid}",
            "/events",
            "/events?from=2025-12-01&to=2026-01-31",
            "/duplicates",
            "/analyze",
            "/api/stats",
            "/api/search?q=जेलेंस्की&from=2025-01-01&to=2026-12-31&limit=5",
            '/api/search?q="टूटा',
            f"/api/articles/{aid}",
            "/api/entities?type=LOCATION",
            f"/api/entities/{eid}",
            "/api/events",
            "/api/duplicates",
            "/openapi.json",
        ]
        statuses = {url: c.get(url).status_code for url in urls}
        statuses["POST /api/analyze"] = c.post("/api/analyze", json={"text": "दिल्ली में बारिश हुई."}).status_code
        statuses["POST /analyze"] = c.post("/analyze", data={"text": "पटना में बैठक हुई."}).status_code
    assert all(code < 500 for code in statuses.values()), statuses
    assert statuses['/api/search?q="टूटा'] == 400
    assert file_state(kb_path) == before


def test_app_connection_cannot_write(client: TestClient) -> None:
    services = client.app.state.khabar  # type: ignore[attr-defined]
    outcome: list[BaseException] = []

    def try_write() -> None:  # on its own thread: the browser tests may leave an event loop on this one
        try:
            asyncio.run(services.query(lambda kb: kb.connection.execute("DELETE FROM articles")))
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=try_write)
    worker.start()
    worker.join(timeout=30)
    assert len(outcome) == 1 and isinstance(outcome[0], sqlite3.OperationalError), outcome
    assert "readonly" in str(outcome[0])


def test_script_in_stored_article_is_escaped(client: TestClient) -> None:
    hit = client.get("/api/search", params={"q": "साइबर"}).json()["items"][0]
    page = client.get(f"/articles/{hit['id']}").text
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#39;khabar&#39;)&lt;/script&gt;" in page
    assert "<b>साइबर" not in page
    results = client.get("/search", params={"q": "साइबर"}).text
    assert "<script>alert" not in results and "<b>साइबर" not in results


def test_example_article_page_marks_dates_and_removed_blocks(client: TestClient) -> None:
    page = client.get(f"/articles/{seed_id(client)}").text
    assert 'class="val val-DATE"' in page
    assert '<details class="removed"' in page and "ये भी पढ़ें" in page


def test_example_article_page_highlights_its_people(client: TestClient) -> None:
    article_id = seed_id(client)
    page = client.get(f"/articles/{article_id}").text
    linked = re.findall(r'<a class="ent ent-PERSON"[^>]*>(.*?)</a>', page)
    missing = [name for name in SEED_PEOPLE if not any(name in text for text in linked)]
    assert not missing, f"people not highlighted: {missing}; highlighted: {sorted(set(linked))}"
    # every person entity of the analysis is highlighted, not only the ones listed above
    people = [
        e for e in client.get(f"/api/articles/{article_id}").json()["entities"] if e["type"] == "PERSON"
    ]
    assert len(people) >= len(SEED_PEOPLE)
    unlinked = [e["name"] for e in people if not {m["text"] for m in e["mentions"]} & set(linked)]
    assert not unlinked, f"person entities not highlighted: {unlinked}"


def test_api_article_has_kb_links_for_every_entity(client: TestClient) -> None:
    article = client.get(f"/api/articles/{seed_id(client)}").json()
    local_ids = {e["id"] for e in article["entities"]}
    assert set(article["kb_entities"]) == local_ids


@pytest.mark.parametrize("query", ["*", "NOT", "(((", "^", '"जेलेंस्की', "title:", "{nope}:x"])
def test_malformed_fts_queries_are_400_not_500(client: TestClient, query: str) -> None:
    api = client.get("/api/search", params={"q": query})
    assert api.status_code == 400 and api.json()["detail"]
    page = client.get("/search", params={"q": query})
    assert page.status_code == 400 and 'id="error"' in page.text
