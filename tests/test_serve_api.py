"""The web app over a small in-memory knowledge base: API answers, pages, escaping, limits."""

from __future__ import annotations

import re
import threading
import time
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from khabar.article import Article, Block, DateExpr, Entity, Event, Mention, Quantity, Quote, Span
from khabar.errors import QueryError
from khabar.serve import ServeOptions, create_app
from khabar.serve.markup import Mark, markup_spans, safe_snippet
from khabar.store.lookup import Candidate, Resolution

TEXT = (
    "राष्ट्रपति वोलोदिमिर जेलेंस्की ने पेरिस में 25 देशों से बात की.\n"
    "जेलेंस्की ने कहा कि युद्ध विराम जरूरी है. <script>alert(1)</script>"
)


def make_article() -> Article:
    """A small analysed article, built by hand with every layer."""
    first_end = TEXT.index("\n")
    zel = TEXT.index("वोलोदिमिर")
    zel2 = TEXT.index("जेलेंस्की", first_end)
    paris = TEXT.index("पेरिस")
    num = TEXT.index("25 देशों")
    quote_start = TEXT.index("युद्ध")
    m1 = Mention(zel, zel + len("वोलोदिमिर जेलेंस्की"), "वोलोदिमिर जेलेंस्की", "PERSON", role="राष्ट्रपति", entity="e1")
    m2 = Mention(zel2, zel2 + len("जेलेंस्की"), "जेलेंस्की", "PERSON", entity="e1")
    m3 = Mention(paris, paris + len("पेरिस"), "पेरिस", "LOCATION", entity="e2")
    return Article(
        text=TEXT,
        id="a1",
        source="examples/a1.txt",
        title="जेलेंस्की <b>पेरिस</b> में",
        published=date(2026, 1, 6),
        blocks=[
            Block(0, "paragraph", TEXT[:first_end], TEXT[:first_end], 0, first_end),
            Block(1, "paragraph", TEXT[first_end + 1 :], TEXT[first_end + 1 :], first_end + 1, len(TEXT)),
            Block(
                2, "boilerplate", "ये भी पढ़ें: <i>रूस</i> का हमला", "ये भी पढ़ें: <i>रूस</i> का हमला", rule="read-also"
            ),
        ],
        mentions=[m1, m3, m2],
        entities=[
            Entity(
                "e1",
                "PERSON",
                "वोलोदिमिर जेलेंस्की",
                "Volodymyr Zelenskyy",
                "gazetteer",
                "Q3881",
                ("राष्ट्रपति",),
                (m1, m2),
            ),
            Entity("e2", "LOCATION", "पेरिस", "Paris", "gazetteer", "Q90", (), (m3,)),
        ],
        dates=[DateExpr(0, 0, "", None, "day", "none")],
        quantities=[Quantity(num, num + 2, "25", 25.0, "=", "देश")],
        quotes=[Quote(quote_start, TEXT.index(" <script>"), "युद्ध विराम जरूरी है.", "e1", "कहा", "reported")],
        events=[Event("consult", "040", 1.0, Span(zel2 + 11, zel2 + 14), "कहा", ("e1",), "e2", "2026-01-06")],
    )


class FakeKB:
    """The knowledge-base query API over one article, recording whether anything tried to write."""

    def __init__(self, calls: list[str] | None = None) -> None:
        self.article = make_article()
        self.calls = calls if calls is not None else []

    def stats(self) -> dict[str, Any]:
        return {
            "schema_version": 3,
            "articles": 1,
            "documents": 1,
            "entities": 2,
            "entities_by_type": {"PERSON": 1, "LOCATION": 1},
            "mentions": 3,
            "quotes": 1,
            "events": 1,
            "clusters": 0,
            "stories": 1,
            "clustered_articles": 0,
            "errors": 0,
        }

    def search(self, query: str, **kw: Any) -> list[dict[str, Any]]:
        self.calls.append(f"search {query} {kw}")
        if query.count('"') % 2:
            raise QueryError("unbalanced quote in the query")
        if "जेलेंस्की" not in query:
            return []
        return [
            {
                "id": "a1",
                "source": "examples/a1.txt",
                "headline": self.article.title,
                "title": self.article.title,
                "published": "2026-01-06",
                "score": 3.5,
                "snippet": "राष्ट्रपति <mark>जेलेंस्की</mark> &lt;script&gt;alert(2)&lt;/script&gt; <img src=x>",
            }
        ]

    def count_search(self, query: str, **kw: Any) -> int:
        return len(self.search(query, **kw))

    def count_entities(self, type: str | None = None) -> int:
        return len(self.list_entities(type))

    def count_events(self, **kw: Any) -> int:
        return len(self.list_events(**kw))

    def count_duplicates(self) -> int:
        return len(self.duplicates())

    def list_articles(self, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        return [{"id": "a1", "headline": self.article.title, "title": self.article.title}][offset:][:limit]

    def count_articles(self) -> int:
        return 1

    def search_results(self, query: str, **kw: Any) -> dict[str, Any]:
        limit, offset = kw.pop("limit", 20), kw.pop("offset", 0)
        for key in ("mode", "facets", "source", "group"):
            kw.pop(key, None)
        hits = self.search(query, limit=limit, offset=offset, **kw)
        return {
            "mode": "keyword",
            "total": len(hits),
            "total_articles": len(hits),
            "entity": None,
            "candidates": [],
            "hits": hits,
            "facets": {"entities": [], "sources": [], "dates": []},
        }

    def get_article(self, article_id: str) -> dict[str, Any] | None:
        if article_id != "a1":
            return None
        data = self.article.to_dict()
        data.pop("raw")
        return {
            **data,
            "headline": self.article.title,
            "kb_entities": {"e1": "P1", "e2": "L1"},
            "cluster": None,
        }

    def list_entities(
        self, type: str | None = None, limit: int = 100, offset: int = 0
    ) -> list[dict[str, Any]]:
        rows = [
            {
                "id": "P1",
                "type": "PERSON",
                "name": "वोलोदिमिर जेलेंस्की",
                "name_en": "Volodymyr Zelenskyy",
                "wikidata": "Q3881",
                "stories": 1,
                "articles": 1,
                "documents": 1,
                "mentions": 2,
            },
            {
                "id": "L1",
                "type": "LOCATION",
                "name": "पेरिस",
                "name_en": "Paris",
                "wikidata": "Q90",
                "stories": 1,
                "articles": 1,
                "documents": 1,
                "mentions": 1,
            },
        ]
        return [r for r in rows if type is None or r["type"] == type][offset : offset + limit]

    def get_entity(self, id_or_name: str) -> dict[str, Any] | None:
        if id_or_name not in ("P1", "वोलोदिमिर जेलेंस्की"):
            return None
        return {
            "id": "P1",
            "type": "PERSON",
            "name": "वोलोदिमिर जेलेंस्की",
            "name_en": "Volodymyr Zelenskyy",
            "wikidata": "Q3881",
            "aliases": ["जेलेंस्की"],
            "roles": ["राष्ट्रपति"],
            "articles": [
                {
                    "id": "a1",
                    "headline": "जेलेंस्की <b>पेरिस</b> में",
                    "title": "जेलेंस्की <b>पेरिस</b> में",
                    "published": "2026-01-06",
                }
            ],
            "co_mentions": [{"id": "L1", "name": "पेरिस", "name_en": "Paris", "type": "LOCATION", "count": 1}],
            "mentions_per_day": [{"day": "2026-01-05", "count": 1}, {"day": "2026-01-06", "count": 2}],
        }

    def resolve(self, query: str, type: str | None = None) -> Resolution:
        self.calls.append(f"resolve {query}")
        if query not in ("P1", "वोलोदिमिर जेलेंस्की", "जेलेंस्की"):
            return Resolution(query, None)
        best = Candidate("P1", "PERSON", "वोलोदिमिर जेलेंस्की", "Volodymyr Zelenskyy", "Q3881", 1, "name", True)
        return Resolution(query, best)

    def list_events(
        self,
        entity: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        limit: int = 100,
        modality: str | None = None,
        offset: int = 0,
    ) -> list[dict[str, Any]]:
        self.calls.append(f"events {entity} {date_from} {date_to}")
        zelensky = {
            "entity": "P1",
            "text": "जेलेंस्की",
            "name_en": "Volodymyr Zelensky",
            "code": None,
            "type": "PERSON",
        }
        unknown = {
            "entity": None,
            "text": "अज्ञात <b>नेता</b>",
            "name_en": "अज्ञात <b>नेता</b>",
            "code": None,
            "type": None,
        }
        return [
            {
                "id": 1,
                "article_id": "a1",
                "article_title": "जेलेंस्की <b>पेरिस</b> में",
                "type": "consult",
                "cameo": "040",
                "root": "04",
                "quad_class": 1,
                "goldstein": 1.0,
                "modality": "occurred",
                "confidence": 0.8,
                "actor1": zelensky,
                "actor2": unknown,
                "others": [],
                "place": {"entity": "L1", "text": "पेरिस", "name_en": "Paris"},
                "date": "2026-01-06",
                "date_grain": "day",
                "date_last": None,
                "date_shown": "2026-01-06",
                "date_source": "text",
                "trigger": {"start": 0, "end": 3, "text": "कहा"},
                "evidence": None,
                "participants": ["P1", None],
                "location": "L1",
                "sentence": 0,
            }
        ][offset:][:limit]

    def duplicates(self, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        return [
            {
                "id": "7",
                "size": 2,
                "articles": [
                    {"id": "a1", "source": "x.txt", "title": "<u>copy</u>", "headline": "<u>copy</u>"},
                    {"id": "a2", "source": "y.txt", "title": "copy 2", "headline": "copy 2"},
                ],
            }
        ][offset:][:limit]


def slow_analysis(text: str, published: date | None) -> Article:
    """An analyser that never finishes in time."""
    time.sleep(1.0)
    return make_article()


@pytest.fixture
def client() -> TestClient:
    calls: list[str] = []
    app = create_app("unused.db", open_kb=lambda: FakeKB(calls))
    app.state.calls = calls
    with TestClient(app) as c:
        yield c


def test_search_returns_results_with_marked_snippet(client: TestClient) -> None:
    r = client.get("/api/search", params={"q": "जेलेंस्की", "from": "2026-01-01", "limit": 5})
    assert r.status_code == 200
    body = r.json()
    assert body["items"][0]["id"] == "a1"
    assert "<mark>" in body["items"][0]["snippet"]


def test_unbalanced_quote_is_400_with_message(client: TestClient) -> None:
    r = client.get("/api/search", params={"q": '"जेलेंस्की'})
    assert r.status_code == 400
    assert "unbalanced" in r.json()["detail"]
    page = client.get("/search", params={"q": '"जेलेंस्की'})
    assert page.status_code == 400
    assert "unbalanced quote" in page.text


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x", "from": "2026-13-01"},
        {"q": "x", "limit": "0"},
        {"q": "x", "from": "2026-02-01", "to": "2026-01-01"},
        {},
    ],
)
def test_bad_search_parameters_are_400(client: TestClient, params: dict[str, str]) -> None:
    r = client.get("/api/search", params=params)
    assert r.status_code == 400
    assert r.json()["detail"]


def test_entity_only_search_page_goes_to_the_entity(client: TestClient) -> None:
    r = client.get("/search", params={"entity": "P1"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/entities/P1"


def test_dates_reach_the_store_normalised(client: TestClient) -> None:
    client.get("/api/events", params={"entity": "P1", "from": "2026-01-01", "to": "2026-01-31"})
    assert "events P1 2026-01-01 2026-01-31" in client.app.state.calls  # type: ignore[attr-defined]


def test_missing_ids_are_404(client: TestClient) -> None:
    assert client.get("/api/articles/nope").status_code == 404
    assert client.get("/api/entities/nope").status_code == 404
    page = client.get("/articles/nope")
    assert page.status_code == 404 and "text/html" in page.headers["content-type"]
    assert client.get("/entities/nope").status_code == 404


def test_entity_type_filter_is_checked(client: TestClient) -> None:
    assert [e["id"] for e in client.get("/api/entities", params={"type": "LOCATION"}).json()["items"]] == [
        "L1"
    ]
    assert client.get("/api/entities", params={"type": "ANIMAL"}).status_code == 400


def test_every_json_endpoint_answers(client: TestClient) -> None:
    assert client.get("/api/articles/a1").json()["kb_entities"] == {"e1": "P1", "e2": "L1"}
    assert client.get("/api/entities/P1").json()["name_en"] == "Volodymyr Zelenskyy"
    assert client.get("/api/events").json()["items"][0]["cameo"] == "040"
    assert len(client.get("/api/duplicates").json()["items"]) == 1
    assert client.get("/api/stats").json()["articles"] == 1
    spec = client.get("/openapi.json").json()
    for path in (
        "/api/search",
        "/api/articles/{article_id}",
        "/api/entities",
        "/api/entities/{entity_id}",
        "/api/events",
        "/api/duplicates",
        "/api/analyze",
    ):
        assert path in spec["paths"], path


def test_no_cdn_docs_pages(client: TestClient) -> None:
    assert client.get("/docs").status_code == 404


def test_article_page_links_mentions_to_entity_pages(client: TestClient) -> None:
    page = client.get("/articles/a1").text
    links = re.findall(r'<a class="ent ent-PERSON"[^>]*href="/entities/P1"', page)
    assert len(links) == 2
    assert 'class="ent ent-LOCATION"' in page and 'href="/entities/L1"' in page
    assert 'class="val val-QUANTITY"' in page
    assert 'class="quote"' in page
    assert "<details" in page and "read-also" in page


def test_article_text_script_is_shown_as_text(client: TestClient) -> None:
    page = client.get("/articles/a1").text
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>पेरिस</b>" not in page and "<i>रूस</i>" not in page


def test_search_page_keeps_only_mark_tags(client: TestClient) -> None:
    page = client.get("/search", params={"q": "जेलेंस्की"}).text
    assert "<mark>जेलेंस्की</mark>" in page
    assert "<script>alert(2)" not in page and "<img src=x>" not in page
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page


def test_every_page_renders(client: TestClient) -> None:
    for url in (
        "/",
        "/search",
        "/search?q=जेलेंस्की",
        "/articles/a1",
        "/entities",
        "/entities?type=PERSON",
        "/entities/P1",
        "/events",
        "/events?entity=P1",
        "/duplicates",
        "/analyze",
        "/static/style.css",
        "/static/app.js",
    ):
        r = client.get(url)
        assert r.status_code == 200, url
    entity = client.get("/entities/P1").text
    assert '<svg class="chart"' in entity and '<svg class="network"' in entity
    assert "<u>copy</u>" not in client.get("/duplicates").text
    events = client.get("/events").text
    assert "अज्ञात &lt;b&gt;नेता&lt;/b&gt;" in events and 'href="/entities/None"' not in events


def test_pages_forbid_inline_and_foreign_scripts(client: TestClient) -> None:
    for url in (
        "/",
        "/search?q=जेलेंस्की",
        "/articles/a1",
        "/entities",
        "/entities/P1",
        "/events",
        "/duplicates",
        "/analyze",
        "/articles/missing",
    ):
        r = client.get(url)
        assert "script-src 'self'" in r.headers["content-security-policy"], url
        assert not re.search(r'(src|action)="(https?:)?//', r.text), url  # no foreign assets or forms
        assert not re.search(r'<link[^>]*href="(https?:)?//', r.text), url
        # links out (Wikidata) are plain links that open nothing of theirs here
        for link in re.findall(r'<a [^>]*href="(?:https?:)?//[^"]*"[^>]*>', r.text):
            assert 'href="https://www.wikidata.org/wiki/Q' in link and "noopener" in link, link
        assert re.findall(r"<script[^>]*>", r.text) == [
            '<script src="/static/view.js">',
            '<script src="/static/app.js" defer>',
        ], url
        assert " style=" not in r.text, url


def test_analyze_accepts_json_and_plain_text(client: TestClient) -> None:
    text = "प्रधानमंत्री नरेंद्र मोदी ने सोमवार को दिल्ली में बैठक की."
    r = client.post("/api/analyze", json={"text": text, "published": "2026-01-05"})
    assert r.status_code == 200
    assert r.json()["text"] == text and r.json()["published"] == "2026-01-05"
    r = client.post(
        "/api/analyze?published=2026-01-05", content=text.encode(), headers={"content-type": "text/plain"}
    )
    assert r.status_code == 200 and r.json()["text"] == text


def test_analyze_rejects_bad_bodies(client: TestClient) -> None:
    assert client.post("/api/analyze", json={"txt": "x"}).status_code == 400
    assert client.post("/api/analyze", json={"text": "  "}).status_code == 400
    assert client.post("/api/analyze", json={"text": "नमस्ते", "published": "kal"}).status_code == 400
    assert (
        client.post("/api/analyze", content=b"\xff\xfe", headers={"content-type": "text/plain"}).status_code
        == 400
    )
    r = client.post("/api/analyze", content=b"<x/>", headers={"content-type": "application/xml"})
    assert r.status_code == 415


def test_body_over_one_megabyte_is_413(client: TestClient) -> None:
    big = "क" * 400_000  # 1.2 MB of UTF-8
    r = client.post("/api/analyze", json={"text": big})
    assert r.status_code == 413
    assert "limit" in r.json()["detail"]


def test_streamed_body_over_limit_is_413() -> None:
    app = create_app("unused.db", ServeOptions(max_body_bytes=1000), open_kb=FakeKB)

    def chunks() -> Any:
        for _ in range(5):
            yield b"x" * 400

    with TestClient(app) as c:
        r = c.post("/api/analyze", content=chunks(), headers={"content-type": "text/plain"})
    assert r.status_code == 413


def test_slow_analysis_times_out_with_504() -> None:
    app = create_app(
        "unused.db",
        ServeOptions(analyze_timeout_s=0.2, analyze_slots=1),
        open_kb=FakeKB,
        analyze_fn=slow_analysis,
    )
    with TestClient(app) as c:
        r = c.post("/api/analyze", json={"text": "नमस्ते दुनिया"})
        assert r.status_code == 504
        busy = c.post("/api/analyze", json={"text": "नमस्ते दुनिया"})
        assert busy.status_code == 503  # the timed-out analysis still holds the only slot


def test_analyze_page_shows_the_article_view(client: TestClient) -> None:
    text = "राष्ट्रपति जेलेंस्की ने कहा <script>alert(3)</script>"
    r = client.post("/analyze", data={"text": text, "published": "2026-01-06"})
    assert r.status_code == 200
    assert 'id="doc"' in r.text
    assert "<script>alert(3)" not in r.text


def test_crossing_spans_nest_validly() -> None:
    text = "अबकडइ"
    marks = [
        Mark(0, 3, 1, markupsafe_tag("<a>"), markupsafe_tag("</a>")),
        Mark(2, 5, 2, markupsafe_tag("<i>"), markupsafe_tag("</i>")),
    ]
    assert str(markup_spans(text, 0, 5, marks)) == "<a>अब<i>क</i></a><i>डइ</i>"


def test_snippet_with_raw_markup_is_escaped() -> None:
    assert str(safe_snippet("<b>x</b> <mark>y")) == "&lt;b&gt;x&lt;/b&gt; <mark>y</mark>"


def markupsafe_tag(tag: str) -> Any:
    from markupsafe import Markup

    return Markup(tag)


def test_kb_calls_run_off_the_event_loop_on_few_threads() -> None:
    threads: set[str] = set()

    class ThreadKB(FakeKB):
        def stats(self) -> dict[str, Any]:
            threads.add(threading.current_thread().name)
            return super().stats()

    app = create_app("unused.db", ServeOptions(kb_threads=2), open_kb=ThreadKB)
    with TestClient(app) as c:
        for _ in range(10):
            c.get("/api/stats")
    assert threads and all(name.startswith("khabar-kb") for name in threads) and len(threads) <= 2


def test_serve_without_database_is_one_line_error(tmp_path: Any) -> None:
    import subprocess
    import sys
    from pathlib import Path

    khabar = Path(sys.executable).with_name("khabar")
    done = subprocess.run(
        [str(khabar), "serve", "--db", str(tmp_path / "missing.db")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("khabar: error: no knowledge base at") and done.stderr.count("\n") == 1


def test_only_loopback_hosts_count_as_local() -> None:
    from khabar.cli.serve_cmd import is_loopback

    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")


def test_overrunning_analysis_is_killed_and_frees_its_slot() -> None:
    sentences = [f"राज्य {i} के मुख्यमंत्री ने जिला {i % 97} में {i} नई सड़कों का उद्घाटन किया." for i in range(3000)]
    long_text = "\n".join(" ".join(sentences[i : i + 5]) for i in range(0, len(sentences), 5))
    assert 300_000 < len(long_text.encode()) < 1_000_000
    app = create_app("unused.db", ServeOptions(analyze_timeout_s=1.0, analyze_slots=1), open_kb=FakeKB)
    services = app.state.khabar
    with TestClient(app) as c:
        assert c.post("/api/analyze", json={"text": long_text}).status_code == 504
        # stopped at the limit (by its own time limit, or killed), not left running
        assert services.busy_analysis_workers() == 0 and services.live_analysis_workers() <= 1
        short = c.post("/api/analyze", json={"text": "पटना में सोमवार को बैठक हुई."})
        assert short.status_code == 200  # and the only slot is free again
        assert services.live_analysis_workers() == 1
    assert services.live_analysis_workers() == 0
