"""Per-document limits (size, analysis time, JSONL line length, decompressed file size) and the hook that
applies them, shared by `khabar analyze`, `khabar ingest`, `/api/analyze` and any other executor.

An executor passes one `Limits` to `pipeline.analyze_doc(doc, limits=...)` (or wraps its own call in
`time_limit`); a document over a limit raises `LimitError`, whose one-line message names the limit and
its option, so a batch records it as that document's error and goes on.

The time limit interrupts the analysis with `SIGALRM` when it runs in a process's main thread (the CLI,
ingest workers, the server's analysis workers, Ray tasks); elsewhere it is checked between steps.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType

from khabar.errors import InputError

# 2 MiB of UTF-8: about 700,000 Devanagari characters, twenty times a long feature article, and
# analysed in about 13 s on the project machine (bench/bench_scaling.py: ~18 µs per character).
MAX_DOCUMENT_BYTES = 2 * 1024 * 1024
# An HTML page may carry this many times `max_bytes` of markup around its text (scripts, styles).
HTML_MARKUP_FACTOR = 8
# Per document, wall time: twice what the largest document allowed by size takes here.
MAX_DOCUMENT_SECONDS = 30.0
# One JSON Lines record: a 2 MiB text written with \\uXXXX escapes takes about 4.2 MB.
MAX_LINE_BYTES = 16 * 1024 * 1024
# One input file, decompressed (.jsonl.gz): past this the rest of the file is an error.
MAX_FILE_BYTES = 8 * 1024 * 1024 * 1024
# A gzip member that expands more than this many times is a bomb (news JSONL compresses 4-15x),
# checked once `GZIP_RATIO_AFTER` bytes have come out.
GZIP_MAX_RATIO = 200
GZIP_RATIO_AFTER = 8 * 1024 * 1024


class LimitError(InputError):
    """A document (or input file) is over one of the limits; `limit` names it (e.g. `max_bytes`)."""

    def __init__(self, message: str, limit: str) -> None:
        super().__init__(message)
        self.limit = limit


@dataclass(frozen=True, slots=True)
class Limits:
    """Limits for one document; None switches a limit off.

    `max_bytes`: UTF-8 bytes of a document's text (its raw markup may be `HTML_MARKUP_FACTOR` times that);
    `max_seconds`: wall time to clean and analyse it; `max_line_bytes`: one JSON Lines record;
    `max_file_bytes`: one input file after decompression.
    """

    max_bytes: int | None = MAX_DOCUMENT_BYTES
    max_seconds: float | None = MAX_DOCUMENT_SECONDS
    max_line_bytes: int | None = MAX_LINE_BYTES
    max_file_bytes: int | None = MAX_FILE_BYTES


NO_LIMITS = Limits(None, None, None, None)
OPTION_NAMES = {
    "max_bytes": "--max-bytes",
    "max_seconds": "--max-seconds",
    "max_line_bytes": "--max-line-bytes",
    "max_file_bytes": "--max-file-bytes",
}


def _over(source: str, what: str, size: int, limit: int, name: str) -> LimitError:
    return LimitError(
        f"{source}: {what} is {size:,} bytes, over the limit of {limit:,} ({OPTION_NAMES[name]})", name
    )


def check_text_size(text: str, source: str, limits: Limits, *, markup: bool = False) -> None:
    """LimitError when a text (or, with `markup`, an HTML page) is over `max_bytes`."""
    if limits.max_bytes is None:
        return
    limit = limits.max_bytes * (HTML_MARKUP_FACTOR if markup else 1)
    # Cheap bounds first: a character takes 1-4 bytes in UTF-8.
    if len(text) <= limit // 4:
        return
    size = len(text) if len(text) > limit else len(text.encode("utf-8", "surrogatepass"))
    if size > limit:
        raise _over(source, "the HTML page" if markup else "the text", size, limit, "max_bytes")


class _Deadline(threading.local):
    at: float | None = None
    seconds: float = 0.0
    source: str = ""


_DEADLINE = _Deadline()


def time_exceeded(source: str, seconds: float) -> LimitError:
    """The error of a document whose analysis ran past `max_seconds`."""
    return LimitError(
        f"{source}: analysis took longer than the time limit of {seconds:g} s ({OPTION_NAMES['max_seconds']})",
        "max_seconds",
    )


def check_deadline() -> None:
    """LimitError when the time limit of the analysis running in this thread has passed (for steps
    and loops that want to stop early where no signal can interrupt them)."""
    at = _DEADLINE.at
    if at is not None and time.monotonic() > at:
        raise time_exceeded(_DEADLINE.source, _DEADLINE.seconds)


@contextmanager
def time_limit(seconds: float | None, source: str = "input") -> Iterator[None]:
    """Run the body under a wall-time limit; past it, LimitError (`max_seconds`).

    In the main thread a `SIGALRM` timer interrupts the body wherever Python code runs; an outer timer
    (e.g. pytest-timeout's) is kept and re-armed afterwards. In other threads only `check_deadline`
    calls (between pipeline steps) stop it.
    """
    if seconds is None or seconds <= 0:
        yield
        return
    outer_at, outer_seconds, outer_source = _DEADLINE.at, _DEADLINE.seconds, _DEADLINE.source
    started = time.monotonic()
    _DEADLINE.at, _DEADLINE.seconds, _DEADLINE.source = started + seconds, seconds, source
    use_signal = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    if not use_signal:
        try:
            yield
        finally:
            _DEADLINE.at, _DEADLINE.seconds, _DEADLINE.source = outer_at, outer_seconds, outer_source
        return
    previous = signal.getsignal(signal.SIGALRM)
    outer_fired = False

    def on_alarm(signum: int, frame: FrameType | None) -> None:
        nonlocal outer_fired
        left = started + seconds - time.monotonic()
        if left <= 0.001:
            raise time_exceeded(source, seconds)
        outer_fired = True  # the outer timer came first: hand it its signal, then wait on
        if callable(previous):
            previous(signum, frame)
        signal.setitimer(signal.ITIMER_REAL, left)

    signal.signal(signal.SIGALRM, on_alarm)
    outer_delay, outer_interval = signal.setitimer(signal.ITIMER_REAL, 0)
    signal.setitimer(signal.ITIMER_REAL, seconds if outer_delay <= 0 else min(seconds, outer_delay))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        _DEADLINE.at, _DEADLINE.seconds, _DEADLINE.source = outer_at, outer_seconds, outer_source
        if outer_delay > 0 and not outer_fired:
            left = outer_delay - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 0.001), outer_interval)
