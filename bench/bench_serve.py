"""Load benchmark of `khabar serve`: concurrent clients searching on loopback, bounded in time.

Starts `khabar serve` over a knowledge base (given with --db, or built with --build N from examples/
plus N synthetic articles), runs `--clients` concurrent clients for `--duration` seconds, each sending
GET /api/search with a query from a fixed mix (words, phrases, OR, prefix, date and entity filters),
stops the server and prints JSON: requests, requests/s, latency p50/p90/p99/max in ms, errors.

Example: python bench/bench_serve.py --build 300 --clients 50 --duration 20
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import platform
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx

import serve_support

ROOT = Path(__file__).resolve().parents[1]
# A request slower than this counts as an error (the server's own limit is 30 s).
REQUEST_TIMEOUT_S = 10.0
# The query mix: plain words, a phrase, OR, a prefix, and filtered searches, all valid.
QUERIES: tuple[dict[str, str], ...] = (
    {"q": "जेलेंस्की"},
    {"q": '"युद्ध विराम"'},
    {"q": "मोदी"},
    {"q": "किसानों"},
    {"q": "दिल्ली OR पटना"},
    {"q": "महंगाई"},
    {"q": "बैठक", "from": "2025-12-10", "to": "2025-12-31"},
    {"q": "परियोजना*"},
    {"q": "सरकार", "entity": "नरेंद्र मोदी"},
    {"q": "अमेरिका"},
)


def percentile(values: list[float], share: float) -> float:
    """The `share` quantile (nearest rank) of sorted `values`."""
    if not values:
        return 0.0
    rank = min(len(values) - 1, max(0, round(share * len(values)) - 1))
    return values[rank]


class Connection:
    """One keep-alive HTTP/1.1 connection with a minimal client (httpx's own overhead on the same two
    cores would otherwise cap the measured rate well below what the server can do)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, target: str) -> int:
        """Send a GET and read the whole answer; returns the status code."""
        if self.writer is None or self.reader is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        request = (
            f"GET {target} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nAccept: application/json\r\n\r\n"
        )
        self.writer.write(request.encode("ascii"))
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        length = 0
        close = False
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name.lower() == "content-length":
                length = int(value)
            elif name.lower() == "connection" and value.strip().lower() == "close":
                close = True
        await self.reader.readexactly(length)
        if close:
            await self.close()
        return status

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None


async def run_client(
    host: str, port: int, start: int, deadline: float, latencies: list[float], statuses: Counter[str]
) -> None:
    """One client on its own connection: search in a loop until the deadline."""
    conn = Connection(host, port)
    i = start
    try:
        while time.monotonic() < deadline:
            target = "/api/search?" + urlencode(QUERIES[i % len(QUERIES)])
            i += 1
            began = time.perf_counter()
            try:
                status = await asyncio.wait_for(conn.get(target), REQUEST_TIMEOUT_S)
            except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError) as exc:
                statuses[type(exc).__name__] += 1
                await conn.close()
                continue
            statuses[str(status)] += 1
            latencies.append((time.perf_counter() - began) * 1000)
    finally:
        await conn.close()


async def run_load(base: str, clients: int, duration: float) -> dict[str, Any]:
    """Run the clients against `base` and summarise."""
    url = urlsplit(base)
    host, port = url.hostname or "127.0.0.1", url.port or 80
    latencies: list[float] = []
    statuses: Counter[str] = Counter()
    began = time.monotonic()
    deadline = began + duration
    await asyncio.gather(*(run_client(host, port, n, deadline, latencies, statuses) for n in range(clients)))
    elapsed = time.monotonic() - began
    latencies.sort()
    total = sum(statuses.values())
    return {
        "clients": clients,
        "duration_s": round(elapsed, 2),
        "requests": total,
        "requests_per_s": round(total / elapsed, 1),
        "p50_ms": round(percentile(latencies, 0.50), 1),
        "p90_ms": round(percentile(latencies, 0.90), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1),
        "max_ms": round(latencies[-1], 1) if latencies else 0.0,
        "mean_ms": round(statistics.fmean(latencies), 1) if latencies else 0.0,
        "errors": total - statuses.get("200", 0),
        "statuses": dict(statuses),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="knowledge base to serve (default: build one)")
    parser.add_argument("--build", type=int, default=300, help="synthetic articles when building a KB")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of load")
    args = parser.parse_args()
    if not 1 <= args.clients <= 500 or not 0 < args.duration <= 600:
        parser.error("--clients must be 1..500 and --duration 0..600 s")
    support = serve_support
    with tempfile.TemporaryDirectory(prefix="khabar-bench-") as tmp:
        db = args.db
        if db is None:
            db = support.build_kb(Path(tmp) / "bench.db", args.build, ROOT / "examples")
        proc, base = support.start_server(db)
        try:
            articles = httpx.get(f"{base}/api/stats").json().get("articles")
            httpx.get(f"{base}/api/search", params=QUERIES[0])  # warm-up
            result = asyncio.run(run_load(base, args.clients, args.duration))
        finally:
            support.stop_server(proc)
    result = {
        "endpoint": "/api/search",
        "db_articles": articles,
        **result,
        "machine": f"{platform.machine()} {platform.python_implementation()} {platform.python_version()}",
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
