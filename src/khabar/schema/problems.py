"""Errors as RFC 9457 problem details: `{"type", "title", "status", "detail", "instance"}`.

Every API error (and every error the request middleware answers itself) has this body, sent as
`application/problem+json`; invalid parameters add `errors: [{"name", "message"}]`.
"""

from __future__ import annotations

from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

PROBLEM_MEDIA_TYPE = "application/problem+json"


def status_title(status: int) -> str:
    """The HTTP status phrase (`Not Found`)."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def problem(
    status: int,
    detail: str,
    instance: str | None = None,
    errors: Sequence[tuple[str, str]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A problem-details body; `errors` are (parameter, message) pairs."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": status_title(status),
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    if errors:
        body["errors"] = [{"name": name, "message": message} for name, message in errors]
    body.update(extra)
    return body
