"""`khabar serve`."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Annotated

import typer

from khabar.errors import InputError

LOOPBACK_HOSTS = frozenset({"localhost"})
# Open connections served at once; more get 503 from uvicorn. Four times the 50 clients of the load
# benchmark, which runs with 0 errors.
MAX_CONNECTIONS = 200


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
) -> None:
    """Serve the web UI and JSON API over a knowledge base (read-only).

    Pages: / (search, statistics), /articles/ID, /entities/ID, /events, /duplicates, /analyze.
    API: /api/search?q=, /api/articles/ID, /api/entities, /api/events, /api/duplicates,
    POST /api/analyze; OpenAPI at /openapi.json.

    Example: khabar serve --db demo.db --port 8000
    """
    import uvicorn

    from khabar.serve import create_app

    if not db.is_file():
        raise InputError(f"no knowledge base at {db}; build one with: khabar ingest PATH --db {db}")
    app = create_app(db)
    if not is_loopback(host):
        typer.echo(f"khabar: warning: serving on {host}, reachable from other machines", err=True)
    typer.echo(f"khabar: serving {db} (read-only) at http://{host}:{port}/", err=True)
    uvicorn.run(
        app, host=host, port=port, log_level="warning", access_log=False, limit_concurrency=MAX_CONNECTIONS
    )


def register(app: typer.Typer, train_app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add the serve command."""
    app.command("serve")(serve)
