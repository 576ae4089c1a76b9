"""Schema conformance of the whole API: every operation in /openapi.json is called with valid and
invalid parameters over a real knowledge base, and every answer must be a documented status with a
documented content type and a body valid against the documented schema (JSON Schema 2020-12).

The walk reads the OpenAPI document itself, so an endpoint or parameter added later is walked too.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import jsonschema
import pytest
from fastapi.testclient import TestClient

from khabar.schema.paging import DEFAULT_LIMITS
from khabar.serve import create_app

UNKNOWN = "कोई-नहीं-xyz"


@pytest.fixture(scope="module")
def client(built_kb: Path) -> Iterator[TestClient]:
    with TestClient(create_app(built_kb), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="module")
def spec(client: TestClient) -> dict[str, Any]:
    answer = client.get("/openapi.json")
    assert answer.status_code == 200
    document: dict[str, Any] = answer.json()
    return document


def check(spec: dict[str, Any], path: str, method: str, response: Any) -> None:
    """The response's status, content type and body as the operation documents them."""
    operation = spec["paths"][path][method]
    documented = operation["responses"]
    status = str(response.status_code)
    assert status in documented, f"{method.upper()} {response.url}: status {status} is not documented"
    content = documented[status].get("content", {})
    ctype = response.headers.get("content-type", "").split(";")[0]
    assert ctype in content, f"{method.upper()} {response.url}: {ctype} not documented for {status}"
    schema = content[ctype].get("schema")
    if schema is None or not ctype.endswith("json"):
        return
    root = {**schema, "components": spec.get("components", {})}
    try:
        jsonschema.Draft202012Validator(root, format_checker=jsonschema.FormatChecker()).validate(
            response.json()
        )
    except jsonschema.ValidationError as exc:
        raise AssertionError(
            f"{method.upper()} {response.url} ({status}): {exc.message} at {list(exc.path)}"
        ) from None


def sample_ids(client: TestClient) -> dict[str, str]:
    """A real article id and entity id of the test knowledge base."""
    hits = client.get("/api/search", params={"q": "जेलेंस्की"}).json()["items"]
    people = client.get("/api/entities", params={"type": "PERSON"}).json()["items"]
    return {"article_id": hits[0]["id"], "entity_id": people[0]["id"], "entity": people[0]["id"]}


def valid_value(name: str, schema: dict[str, Any], ids: dict[str, str]) -> Any:
    """A valid value of a parameter: known names get a meaningful one, others one from the schema."""
    known = {
        "q": "जेलेंस्की",
        "from": "2026-01-01",
        "to": "2026-12-31",
        "limit": 3,
        "offset": 0,
        "format": "csv",
        **ids,
    }
    if name in known:
        return known[name]
    options = [s for s in schema.get("anyOf", [schema]) if s.get("type") != "null"]
    first = options[0] if options else schema
    if "enum" in first:
        return first["enum"][0]
    return {"integer": 1, "number": 1, "boolean": "true"}.get(first.get("type", "string"), "x")


def invalid_values(name: str, schema: dict[str, Any]) -> list[Any]:
    """Values the API must refuse with a documented error."""
    options = [s for s in schema.get("anyOf", [schema]) if s.get("type") != "null"]
    first = options[0] if options else schema
    bad: list[Any] = []
    if first.get("format") == "date":
        bad += ["kal", "2026-13-45"]
    if first.get("type") == "integer":
        bad += ["many", -1]
        if "maximum" in first:
            bad.append(first["maximum"] + 1)
    if "enum" in first:
        bad.append("NOT-A-CHOICE")
    if name == "entity":
        bad.append(UNKNOWN)
    if name == "q":
        bad += ['"टूटा', ""]
    return bad


def operations(spec: dict[str, Any]) -> list[tuple[str, str]]:
    return [(path, method) for path, item in spec["paths"].items() for method in item]


def test_every_operation_answers_as_documented(client: TestClient, spec: dict[str, Any]) -> None:
    ids = sample_ids(client)
    seen: dict[tuple[str, str], set[str]] = {}
    for path, method in operations(spec):
        operation = spec["paths"][path][method]
        params = operation.get("parameters", [])
        if method == "post":
            bodies = [
                {"json": {"text": "जेलेंस्की ने पेरिस में मैक्रों से मुलाकात की.", "published": "2026-01-06"}},
                {"json": {"txt": "x"}},
                {"content": "नमस्ते", "headers": {"content-type": "image/png"}},
                {"json": {"text": "नमस्ते", "published": "kal"}},
            ]
            for body in bodies:
                response = client.request(method, path, **body)
                check(spec, path, method, response)
                seen.setdefault((path, method), set()).add(str(response.status_code))
            continue
        good_path = {p["name"]: ids.get(p["name"], "x") for p in params if p["in"] == "path"}
        query = {
            p["name"]: valid_value(p["name"], p.get("schema", {}), ids)
            for p in params
            if p["in"] == "query" and (p.get("required") or p["name"] in ("q", "limit"))
        }
        cases = [(good_path, query)]
        for p in params:
            if p["in"] == "query":
                cases.append(
                    (good_path, {**query, p["name"]: valid_value(p["name"], p.get("schema", {}), ids)})
                )
                cases += [
                    (good_path, {**query, p["name"]: bad})
                    for bad in invalid_values(p["name"], p.get("schema", {}))
                ]
            else:
                cases.append(({**good_path, p["name"]: "missing-" + UNKNOWN}, query))
        for path_values, query_values in cases:
            url = path.format(**path_values)
            response = client.request(method, url, params=query_values)
            check(spec, path, method, response)
            seen.setdefault((path, method), set()).add(str(response.status_code))
            body = response.json() if response.headers.get("content-type", "").endswith("json") else None
            pages = 0
            while isinstance(body, dict) and body.get("next") and pages < 3:
                following = urlsplit(body["next"])
                response = client.get(following.path, params=dict(parse_qsl(following.query)))
                check(spec, path, method, response)
                body = response.json()
                pages += 1
    for (path, method), statuses in seen.items():
        assert "200" in statuses, f"{method.upper()} {path} never answered 200: {statuses}"
        documented = set(spec["paths"][path][method]["responses"])
        for status in ("400", "404"):
            if status in documented:
                assert status in statuses, f"{method.upper()} {path}: documented {status} never seen"


def test_lists_share_one_envelope_and_the_defaults(client: TestClient, spec: dict[str, Any]) -> None:
    lists = {"/api/search": "search", "/api/entities": "entities", "/api/events": "events"}
    lists |= {"/api/duplicates": "duplicates", "/api/articles": "articles"}
    for path, kind in lists.items():
        schema = spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        name = schema["$ref"].rsplit("/", 1)[1]
        page = spec["components"]["schemas"][name]
        assert set(page["required"]) == {"items", "total", "limit", "offset"}, path
        # Search adds how the query was read and counted (mode, articles, entity, candidates, facets);
        # search and events, lists an entity filter narrows, what the filter's name resolved to (issue 11).
        extra = {"mode", "total_articles", "total_approximate", "entity", "candidates", "facets"}
        extra = extra if kind == "search" else set()
        extra |= {"entity_resolution"} if kind in ("search", "events") else set()
        assert set(page["properties"]) == {"items", "total", "limit", "offset", "next"} | extra, path
        limit = next(p for p in spec["paths"][path]["get"]["parameters"] if p["name"] == "limit")
        assert limit["schema"]["default"] == DEFAULT_LIMITS[kind], path
    for path, item in spec["paths"].items():
        for p in item.get("get", {}).get("parameters", []):
            if p["name"] in ("from", "to"):
                formats = [s.get("format") for s in p["schema"].get("anyOf", [p["schema"]])]
                assert "date" in formats, (path, p["name"])


def test_paging_walks_every_row_once(client: TestClient) -> None:
    first = client.get("/api/entities", params={"limit": 7}).json()
    seen, page = [], first
    while True:
        seen += [row["id"] for row in page["items"]]
        if not page["next"]:
            break
        following = urlsplit(page["next"])
        page = client.get(following.path, params=dict(parse_qsl(following.query))).json()
    assert len(seen) == len(set(seen)) == first["total"]


def test_errors_are_problem_details(client: TestClient) -> None:
    for url, status in (
        ("/api/entities/nobody-here", 404),
        ("/api/events?from=kal", 400),
        ("/api/nowhere", 404),
    ):
        response = client.get(url)
        assert response.status_code == status
        assert response.headers["content-type"].startswith("application/problem+json")
        body = response.json()
        assert body["status"] == status and body["title"] and body["detail"] and body["type"] == "about:blank"
    bad = client.get("/api/events", params={"from": "kal"}).json()
    assert bad["errors"] == [{"name": "from", "message": "must be a date as YYYY-MM-DD, got 'kal'"}]
    unknown = client.get("/api/search", params={"q": "युद्ध", "entity": UNKNOWN})
    assert unknown.status_code == 404 and UNKNOWN in unknown.json()["detail"]
