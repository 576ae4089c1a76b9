"""uvicorn's HTTP/1.1 protocol (h11) with a deadline for request headers and room kept for new clients.

uvicorn times out a connection only while it is idle *after* a response (keep-alive). A client that
connects and sends nothing, or sends its headers a byte at a time, holds its connection for ever, and
uvicorn's `limit_concurrency` counts such connections: 200 of them made every request a 503. Here:

- a connection waiting for its request headers is closed after `header_timeout_s` (from the moment it
  opened or its last response ended; bytes trickling in do not extend it);
- when connections reach `evict_at`, the oldest ones still waiting for headers are closed, so idle
  connections cannot keep out a client with a real request.

Request bodies and handlers are bounded by the app's own timeout (`LimitsMiddleware`).
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

from khabar.serve.limits import HEADER_TIMEOUT_S


class GuardedH11Protocol(H11Protocol):
    """H11Protocol with a header deadline and eviction of idle connections (see the module)."""

    header_timeout_s: float = HEADER_TIMEOUT_S
    evict_at: int = 150

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._header_timer: asyncio.TimerHandle | None = None
        self._opened_at = 0.0

    def waiting_for_headers(self) -> bool:
        """Whether no request is being handled on this connection (its next request has not arrived)."""
        return self.cycle is None or self.cycle.response_complete

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._opened_at = self.loop.time()
        self._arm_header_timer()
        if len(self.connections) >= self.evict_at:
            self._evict_idle()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_header_timer()
        super().connection_lost(exc)

    def handle_events(self) -> None:
        before = self.cycle
        super().handle_events()
        if self.cycle is not None and self.cycle is not before:
            self._cancel_header_timer()  # the request's headers are in

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and self.waiting_for_headers():
            self._arm_header_timer()

    def _arm_header_timer(self) -> None:
        self._cancel_header_timer()
        self._header_timer = self.loop.call_later(self.header_timeout_s, self._on_header_timeout)

    def _cancel_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _on_header_timeout(self) -> None:
        self._header_timer = None
        if self.waiting_for_headers() and not self.transport.is_closing():
            self.transport.close()

    def _evict_idle(self) -> None:
        """Close the oldest connections waiting for headers until there is room again."""
        idle = sorted(
            (
                c
                for c in self.connections
                if isinstance(c, GuardedH11Protocol)
                and c is not self
                and c.waiting_for_headers()
                and not c.transport.is_closing()
            ),
            key=lambda c: c._opened_at,
        )
        live = sum(1 for c in self.connections if not c.transport.is_closing())
        excess = live - self.evict_at + 1
        for conn in idle[: max(0, excess)]:
            conn.transport.close()


def guarded_protocol(header_timeout_s: float, evict_at: int) -> type[GuardedH11Protocol]:
    """A protocol class for `uvicorn.run(http=...)` with these settings."""
    return type(
        "KhabarH11Protocol",
        (GuardedH11Protocol,),
        {"header_timeout_s": header_timeout_s, "evict_at": evict_at},
    )
