"""Helpers of the reliability suite: the real `khabar` command, a small knowledge base, a live server.

Every input is made by the tests themselves (no large files are committed). Each test bounds its own
time (subprocess timeouts, join timeouts), so a regression fails instead of hanging the suite.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from corpus_support import story
from khabar.pipeline import analyze
from khabar.store.kb import KnowledgeBase

KHABAR = [sys.executable, "-c", "from khabar.cli import main; main()"]
# Articles in the shared knowledge base: enough that a repeated prefix query costs seconds unbounded.
KB_ARTICLES = 300


def khabar(*args: str, timeout: float = 120, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """Run the real `khabar` command; fails the test (TimeoutExpired) instead of hanging."""
    return subprocess.run([*KHABAR, *args], capture_output=True, text=True, timeout=timeout, **kwargs)  # type: ignore[call-overload, no-any-return]


def build_story_kb(path: Path, count: int = KB_ARTICLES) -> Path:
    """A knowledge base of `count` short stories (cleaned, not analysed: fast to build)."""
    with KnowledgeBase(path) as kb:
        for i in range(count):
            kb.add_article(analyze(story(i), source=f"story_{i:04d}.txt", html=False, steps=()))
        kb.update_clusters()
    return path


def free_port() -> int:
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(port: int, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"khabar serve exited with {proc.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.1)
    raise AssertionError("khabar serve did not start")


@contextlib.contextmanager
def live_server(db: Path, *extra: str) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """A real `khabar serve` on a free loopback port; stopped (and reaped) afterwards."""
    port = free_port()
    proc = subprocess.Popen(
        [*KHABAR, "serve", "--db", str(db), "--port", str(port), *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_until_up(port, proc)
        yield port, proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)
        if proc.stderr is not None:
            proc.stderr.close()
