"""`khabar serve`."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Annotated

import typer

from khabar.errors import InputError
from khabar.serve.limits import HEADER_TIMEOUT_S

LOOPBACK_HOSTS = frozenset({"localhost"})
# Open connections served at once; more get 503 from uvicorn. Four times the 50 clients of the load
# benchmark, which runs with 0 errors.
MAX_CONNECTIONS = 200
# From this many open connections on, the oldest ones still waiting for their request headers are
# closed to make room (idle clients cannot keep out real requests).
EVICT_IDLE_AT = 150
# Seconds SIGTERM/SIGINT waits for requests in flight before it cancels them.
SHUTDOWN_GRACE_S = 3


def allowed_hosts(host: str, extra: list[str] | None) -> tuple[str, ...]:
    """The Host header values the server answers to: its bind address (with the loopback names when it
    binds a loopback or every address) and the names given with --allow-host."""
    names = [host]
    if is_loopback(host) or host in ("0.0.0.0", "::"):
        names += ["127.0.0.1", "localhost", "::1"]
    return tuple(dict.fromkeys([*names, *(extra or [])]))


def is_loopback(host: str) -> bool:
    """Whether `host` is a loopback address (127.0.0.0/8, ::1 or localhost)."""
    if host in LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(
    db: Annotated[
        Path, typer.Option("--db", help="Knowledge base built by `khabar ingest` (opened read-only).")
    ],
    host: Annotated[str, typer.Option(help="Address to bind; loopback by default.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.", min=1, max=65535)] = 8000,
    allow_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-host",
            help="Another name this server may be reached by (Host header), e.g. a proxy's; repeatable.",
        ),
    ] = None,
    header_timeout: Annotated[
        float, typer.Option(help="Seconds a client has to send its request headers.", min=0.1)
    ] = HEADER_TIMEOUT_S,
) -> None:
    """Serve the web UI and JSON API over a knowledge base (read-only).

    Hardened for use on a shared machine: requests naming another Host are refused (DNS rebinding),
    cross-site posts are refused, clients that send no request in --header-timeout seconds are dropped,
    searches are bounded and stopped at a deadline, and SIGTERM stops the server within seconds.

    Pages: / (search, statistics), /articles/ID, /entities/ID, /events, /duplicates, /analyze.
    API: /api/search?q=, /api/articles/ID, /api/entities, /api/events, /api/duplicates,
    POST /api/analyze; OpenAPI at /openapi.json.

    Example: khabar serve --db demo.db --port 8000
    """
    import uvicorn

    from khabar.serve import ServeOptions, create_app
    from khabar.serve.protocol import guarded_protocol

    if not db.is_file():
        raise InputError(f"no knowledge base at {db}; build one with: khabar ingest PATH --db {db}")
    app = create_app(db, ServeOptions(allowed_hosts=allowed_hosts(host, allow_host)))
    if not is_loopback(host):
        typer.echo(f"khabar: warning: serving on {host}, reachable from other machines", err=True)
    typer.echo(f"khabar: serving {db} (read-only) at http://{host}:{port}/", err=True)
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        limit_concurrency=MAX_CONNECTIONS,
        http=guarded_protocol(header_timeout, EVICT_IDLE_AT),
        timeout_graceful_shutdown=SHUTDOWN_GRACE_S,
    )


def register(app: typer.Typer, train_app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add the serve command."""
    app.command("serve")(serve)
