"""Schemathesis against the OpenAPI of the server (bounded examples per operation): no server error,
and every answer matches the documented schema and status codes."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from khabar.serve import ServeOptions, create_app
from reliability_support import KB_ARTICLES, build_story_kb

EXAMPLES = int(os.environ.get("KHABAR_SCHEMATHESIS_EXAMPLES", "25"))
_KB = Path(os.environ.get("TMPDIR", "/tmp")) / f"khabar-schemathesis-{os.getpid()}.db"


def _app() -> Any:
    if not _KB.exists():
        build_story_kb(_KB, KB_ARTICLES // 10)

    def run_analysis(text: str, published: Any) -> Any:  # in-thread: no worker processes to start
        from khabar.pipeline import analyze

        return analyze(text, published=published)

    return create_app(_KB, ServeOptions(analyze_slots=4), analyze_fn=run_analysis)


schema = schemathesis.openapi.from_asgi("/openapi.json", _app())


@pytest.fixture(scope="module", autouse=True)
def _cleanup() -> Any:
    yield
    _KB.unlink(missing_ok=True)


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_answers_every_generated_request_without_a_server_error(case: Any) -> None:
    response = case.call()
    case.validate_response(response, checks=(not_a_server_error,))
