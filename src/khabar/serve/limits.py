"""An ASGI middleware that bounds every request (body size, wall time) and adds security headers."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from markupsafe import escape

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Pages and API answers come only from this server: no CDN, no inline script or style.
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        b"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
)


class BodyTooLargeError(Exception):
    """The request body grew past the limit while being read."""


async def send_error(send: Send, scope: Scope, status: int, message: str) -> None:
    """Send a complete error response: problem details (RFC 9457) under /api, a small HTML page
    elsewhere."""
    from khabar.schema.problems import PROBLEM_MEDIA_TYPE, problem

    path = str(scope.get("path", ""))
    if path.startswith("/api"):
        body = json.dumps(problem(status, message, path), ensure_ascii=False).encode("utf-8")
        ctype = PROBLEM_MEDIA_TYPE.encode()
    else:
        body = (
            f'<!doctype html><html lang="hi"><meta charset="utf-8"><title>{status}</title>'
            f'<h1>{status}</h1><p>{escape(message)}</p><p><a href="/">khabar</a></p></html>'
        ).encode()
        ctype = b"text/html; charset=utf-8"
    headers = [(b"content-type", ctype), (b"content-length", str(len(body)).encode()), *SECURITY_HEADERS]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class LimitsMiddleware:
    """Reject bodies over `max_body` bytes with 413 and requests running over `timeout_s` with 504."""

    def __init__(self, app: ASGIApp, max_body: int, timeout_s: float) -> None:
        self.app = app
        self.max_body = max_body
        self.timeout_s = timeout_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await send_error(send, scope, 400, "invalid Content-Length header")
                    return
                if declared > self.max_body:
                    await send_error(send, scope, 413, f"request body over the {self.max_body} byte limit")
                    return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise BodyTooLargeError
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        try:
            await asyncio.wait_for(self.app(scope, limited_receive, guarded_send), self.timeout_s)
        except BodyTooLargeError:
            if not started:
                await send_error(send, scope, 413, f"request body over the {self.max_body} byte limit")
        except TimeoutError:
            if not started:
                await send_error(send, scope, 504, f"request took longer than {self.timeout_s:g} s")
