"""Defect 1: search could take the server down (unbounded FTS5 queries that ran on after their 504)."""

from __future__ import annotations

import http.client
import sqlite3
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

from khabar.errors import QueryError
from khabar.store.kb import KnowledgeBase
from khabar.store.search import prepare_query
from reliability_support import live_server

# The attack of the issue: an OR of one repeated one-letter prefix term (2.5 KB).
ATTACK = " OR ".join(["क*"] * 250)
# A smaller one that fits the length bound: 100 repeats cost ~4 s unbounded on 300 articles.
REPEATED = " OR ".join(["क*"] * 100)


def test_the_issue_query_is_refused_before_sqlite_sees_it() -> None:
    with pytest.raises(QueryError, match="characters long"):
        prepare_query(ATTACK)


@pytest.mark.parametrize(
    "query",
    [
        " OR ".join(f"{ch}*" for ch in "कखगघचछ"),  # six distinct prefix terms
        " ".join(f"शब्द{i}" for i in range(40)),  # forty words
        "(" * 9 + "किसान" + ")" * 9,  # nesting
    ],
)
def test_queries_over_the_bounds_are_refused(query: str) -> None:
    with pytest.raises(QueryError):
        prepare_query(query)


def test_repeated_prefix_terms_cost_one_term(story_kb: Path) -> None:
    assert prepare_query(REPEATED) == prepare_query("क*")  # SQLite sees the term once
    with KnowledgeBase(story_kb, readonly=True) as kb:
        once = kb.search("क*", limit=5)
        # CPU time of this thread (SQLite runs in it), so load from other processes does not count
        started = time.thread_time()
        repeated = kb.search(REPEATED, limit=5)
        took = time.thread_time() - started
    assert [h["id"] for h in repeated] == [h["id"] for h in once]
    assert took < 1.0, f"100 repeats of one prefix term took {took:.1f} s of CPU"


def test_deadline_interrupts_sqlite_and_frees_the_connection(story_kb: Path) -> None:
    from khabar.errors import QueryTimeoutError

    endless = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"
    with KnowledgeBase(story_kb, readonly=True) as kb:
        started = time.perf_counter()
        with pytest.raises(QueryTimeoutError), kb.deadline(0.2):
            kb.connection.execute(endless).fetchone()
        assert time.perf_counter() - started < 10  # endless without the deadline; 0.2 s + load
        assert kb.stats()["articles"] > 0  # the connection works on


def _get(port: int, path: str, timeout: float = 30) -> tuple[int, float]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        conn.close()


@pytest.mark.slow
def test_costly_searches_do_not_stall_the_other_endpoints(story_kb: Path) -> None:
    bad = "/api/search?" + urlencode({"q": " OR ".join(["क*"] * 120)})
    with live_server(story_kb) as (port, _proc):
        results: list[tuple[int, float]] = []
        threads = [
            threading.Thread(target=lambda: results.append(_get(port, bad)), daemon=True) for _ in range(4)
        ]
        for t in threads:
            t.start()
        time.sleep(0.3)
        status, took = _get(port, "/api/stats")
        for t in threads:
            t.join(60)
    assert status == 200 and took < 10.0, f"/api/stats answered {status} after {took:.1f} s"
    assert len(results) == 4 and all(s in (200, 400) for s, _ in results)


def test_a_query_stopped_at_its_deadline_is_not_called_malformed(tmp_path: Path) -> None:
    """The API tells a timeout (504) from a bad query (400)."""
    from fastapi.testclient import TestClient

    from khabar.serve import ServeOptions, create_app

    class SlowKB:
        def __init__(self) -> None:
            self.conn = sqlite3.connect(":memory:", check_same_thread=False)

        def search(self, query: str, **kw: object) -> list[dict[str, object]]:
            self.conn.execute(
                "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"
            ).fetchone()
            return []

        def search_results(self, query: str, **kw: object) -> dict[str, object]:
            return {"hits": self.search(query), "total": 0, "total_articles": 0, "mode": "keyword"}

        def deadline(self, seconds: float) -> object:
            import contextlib

            from khabar.errors import QueryTimeoutError

            conn = self.conn

            @contextlib.contextmanager
            def run() -> object:
                at = time.monotonic() + seconds
                conn.set_progress_handler(lambda: int(time.monotonic() > at), 1000)
                try:
                    yield
                except sqlite3.OperationalError:
                    raise QueryTimeoutError("stopped") from None
                finally:
                    conn.set_progress_handler(None, 0)

            return run()

    app = create_app("unused.db", ServeOptions(query_timeout_s=0.2), open_kb=SlowKB)  # type: ignore[arg-type]
    with TestClient(app) as client:
        response = client.get("/api/search", params={"q": "किसान"})
    assert response.status_code == 504 and response.json()["detail"]
