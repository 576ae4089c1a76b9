"""Defects 7 and 9 on the server: idle clients, SIGTERM, ids with any characters, deep JSON, Host
header, cross-site posts, and every failure as the documented JSON error."""

from __future__ import annotations

import http.client
import json
import signal
import socket
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from corpus_support import story
from khabar.pipeline import analyze
from khabar.store.kb import KnowledgeBase
from reliability_support import live_server

ODD_ID = "feeds/2026 01/खबर?x=1#a%b"


def _request(
    port: int, method: str, path: str, headers: dict[str, str] | None = None, body: bytes | None = None
) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@pytest.mark.slow
def test_idle_connections_cannot_keep_requests_out(story_kb: Path) -> None:
    with live_server(story_kb) as (port, _proc):
        idle = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(200)]
        idle[0].sendall(b"GET /api/health HTTP/1.1\r\nHo")  # and one that never finishes its headers
        try:
            time.sleep(0.5)
            statuses = [_request(port, "GET", "/api/health")[0] for _ in range(20)]
        finally:
            for sock in idle:
                sock.close()
    assert statuses == [200] * 20


@pytest.mark.slow
def test_a_client_that_sends_no_headers_is_dropped_after_the_header_timeout(story_kb: Path) -> None:
    with live_server(story_kb, "--header-timeout", "1") as (port, _proc):
        slow = socket.create_connection(("127.0.0.1", port), timeout=10)
        slow.sendall(b"GET /api/health HTTP/1.1\r\n")
        started = time.monotonic()
        for _ in range(3):  # a byte now and then does not keep it open
            time.sleep(0.3)
            slow.sendall(b"X")
        assert slow.recv(1024) == b""  # closed by the server
        assert time.monotonic() - started < 8  # 1 s header timeout + load; open for good without it
        slow.close()


@pytest.mark.slow
def test_sigterm_stops_the_server_within_seconds_with_requests_in_flight(story_kb: Path) -> None:
    with live_server(story_kb) as (port, proc):
        stuck = socket.create_connection(("127.0.0.1", port), timeout=10)
        stuck.sendall(  # a body that never comes: the request waits in the app
            b"POST /api/analyze HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
            b"Content-Length: 100000\r\n\r\n" + "पटना".encode()
        )
        idle = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(20)]
        time.sleep(0.5)
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        proc.wait(20)
        took = time.monotonic() - started
        for sock in [stuck, *idle]:
            sock.close()
    assert took < 8, f"SIGTERM took {took:.1f} s"


@pytest.mark.slow
def test_host_header_and_cross_site_posts_are_checked(story_kb: Path) -> None:
    with live_server(story_kb) as (port, _proc):
        assert _request(port, "GET", "/api/health")[0] == 200
        assert _request(port, "GET", "/api/health", {"Host": f"localhost:{port}"})[0] == 200
        status, body = _request(port, "GET", "/api/stats", {"Host": "attacker.example"})
        assert status == 400 and "host" in json.loads(body)["detail"]
        form = b"text=%E0%A4%AA%E0%A4%9F%E0%A4%A8%E0%A4%BE"
        cross = {"Content-Type": "application/x-www-form-urlencoded", "Origin": "http://attacker.example"}
        assert _request(port, "POST", "/analyze", cross, form)[0] == 403
        fetch = {"Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "cross-site"}
        assert _request(port, "POST", "/analyze", fetch, form)[0] == 403
        same = {"Content-Type": "application/x-www-form-urlencoded", "Origin": f"http://127.0.0.1:{port}"}
        assert _request(port, "POST", "/analyze", same, b"text=")[0] == 400  # reached the form: empty text
        browser = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": "null",
            "Sec-Fetch-Site": "same-origin",
        }
        assert _request(port, "POST", "/analyze", browser, b"text=")[0] == 400
        assert _request(port, "POST", "/analyze", {**browser, "Sec-Fetch-Site": "none"}, b"text=")[0] == 400


@pytest.fixture(scope="module")
def odd_kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("odd") / "odd.db"
    with KnowledgeBase(path) as kb:
        art = analyze(story(3), source="feed.jsonl:1")
        art.id = ODD_ID
        kb.add_article(art)
        kb.update_clusters()
    return path


def test_ids_with_any_characters_are_reachable(odd_kb: Path) -> None:
    from khabar.serve import create_app
    from khabar.serve.markup import article_href

    with TestClient(create_app(odd_kb)) as client:
        api = client.get("/api/articles/" + quote(ODD_ID, safe=""))
        assert api.status_code == 200 and api.json()["id"] == ODD_ID
        page = client.get(article_href(ODD_ID))
        assert page.status_code == 200
        entity = api.json()["kb_entities"]
        if entity:
            kb_id = next(iter(entity.values()))
            assert client.get("/api/entities/" + quote(str(kb_id), safe="")).status_code == 200


def test_deeply_nested_json_is_a_400_not_a_500(story_kb: Path) -> None:
    from khabar.serve import create_app

    body = '{"text": ' + "[" * 100_000 + "]" * 100_000 + "}"
    with TestClient(create_app(story_kb), raise_server_exceptions=False) as client:
        response = client.post("/api/analyze", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400 and "nested" in response.json()["detail"]


def test_any_failure_is_the_documented_json_error(story_kb: Path) -> None:
    from khabar.serve import create_app

    def broken(text: str, published: Any) -> Any:
        raise RecursionError("maximum recursion depth exceeded")

    with TestClient(create_app(story_kb, analyze_fn=broken), raise_server_exceptions=False) as client:
        response = client.post("/api/analyze", json={"text": "पटना में बारिश हुई."})
        assert response.status_code == 500
        assert response.headers["content-type"].startswith("application/problem+json")
        assert "RecursionError" in response.json()["detail"]
        assert "content-security-policy" in response.headers
        assert client.get("/api/health").status_code == 200
