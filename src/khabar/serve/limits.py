"""ASGI middlewares: one bounds every request (body size, wall time), turns any failure into the
documented JSON error and adds security headers; one checks the Host header (DNS rebinding) and refuses
cross-site form posts (CSRF)."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

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
    # same-origin (not no-referrer): browsers then send this server's own Origin on its form posts
    # instead of the opaque "null", so cross-site posts can be told apart.
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
)


LOG = logging.getLogger("khabar.serve")
# Seconds a client has to send its request headers (`khabar.serve.protocol`; nginx and Apache allow
# 60 s, a loopback client needs well under a millisecond).
HEADER_TIMEOUT_S = 10.0


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
        except Exception as exc:  # RecursionError, MemoryError's kin, bugs: the documented error, no trace
            LOG.exception("request to %s failed", scope.get("path"))
            if not started:
                await send_error(
                    send, scope, 500, f"internal error ({type(exc).__name__}); nothing was changed"
                )


# Methods that change state or run work for the caller: refused when a browser says another site sent them.
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def host_name(value: str) -> str:
    """The host of a Host header or URL authority, lower-cased, without port or IPv6 brackets."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1 : value.find("]")] if "]" in value else value[1:]
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


class GuardMiddleware:
    """Refuse requests whose Host header is not one this server answers to (`allowed_hosts`; None
    allows any), and state-changing requests that a browser marks as sent by another site (Sec-Fetch-Site
    cross-site/same-site, or an Origin or Referer of another host). Requests without those headers
    (curl, scripts) pass."""

    def __init__(self, app: ASGIApp, allowed_hosts: tuple[str, ...] | None) -> None:
        self.app = app
        self.allowed = None if allowed_hosts is None else frozenset(host_name(h) for h in allowed_hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {
            name.decode("latin-1").lower(): value.decode("latin-1")
            for name, value in scope.get("headers", [])
        }
        host = headers.get("host", "")
        if self.allowed is not None and host_name(host) not in self.allowed:
            await send_error(
                send,
                scope,
                400,
                f"this server does not answer to the host {host!r}; "
                "start khabar serve with --allow-host to add a name",
            )
            return
        if scope.get("method") in UNSAFE_METHODS and _cross_site(headers, host):
            await send_error(
                send, scope, 403, "cross-site request refused: send it from this server's own pages"
            )
            return
        await self.app(scope, receive, send)


def _cross_site(headers: dict[str, str], host: str) -> bool:
    """Whether a browser says another site sent this request. Sec-Fetch-Site (all current browsers)
    decides when present; else an Origin (or Referer) naming another host, or the opaque Origin "null"."""
    site = headers.get("sec-fetch-site")
    if site is not None:
        return site in ("cross-site", "same-site")
    for name in ("origin", "referer"):
        value = headers.get(name)
        if value is None:
            continue
        if value.strip() == "null":
            return True
        netloc = urlsplit(value.strip()).netloc
        return netloc.lower() != host.strip().lower()
    return False
