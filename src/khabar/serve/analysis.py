"""Analysis of pasted text in worker processes, so a run past the time limit can be stopped for real.

A thread cannot be stopped, and an analysis that overruns would keep a core busy after its request
got 504. Each worker here is a separate Python process (`WORKER_COMMAND`, about half a second to
start with its models loaded, ~40 MB). It reads one JSON request per line on stdin and
answers one JSON line on its own copy of stdout. Workers are reused. A worker still busy at the time
limit is killed, and the next request starts a fresh one; so is a worker after any failure of its
pipe (a worker is never left behind). The worker applies the time limit itself too
(`khabar.limits`), answering with the limit's error before the kill is needed. Requests travel as ASCII
JSON, so any text (lone surrogates included) reaches the worker, whose reader replaces what UTF-8 cannot
encode. A plain subprocess is used rather than multiprocessing, whose spawn method re-runs the parent's
main script in the child.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import threading
from contextlib import suppress
from datetime import date
from typing import IO, Any

from khabar.errors import InputError, KhabarError

# Time for a new worker to start Python, import the pipeline and load its models (~1 s here;
# generous for a loaded machine). Not counted in the analysis time limit.
WORKER_START_TIMEOUT_S = 60.0
WORKER_COMMAND = "from khabar.serve.analysis import serve_stdio; serve_stdio()"
# Analysed once when a worker starts, so the models are loaded before the first real text.
WARM_UP_TEXT = "प्रधानमंत्री नरेंद्र मोदी ने सोमवार को दिल्ली में 25 लोगों से मुलाकात की."
# Time the parent waits past the limit for the worker's own limit error before killing it.
KILL_GRACE_S = 2.0


class AnalysisTimeoutError(KhabarError):
    """The analysis did not finish in time (its worker was stopped)."""


class AnalysisFailedError(KhabarError):
    """The analysis crashed or its worker could not start."""


def serve_stdio() -> None:
    """A worker's main loop: load the pipeline, say ready, then answer each JSON request line."""
    from khabar.limits import LimitError, Limits
    from khabar.pipeline import analyze

    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stray prints cannot corrupt the answers

    def answer(kind: str, payload: Any) -> None:
        answers.write(json.dumps({"kind": kind, "payload": payload}, ensure_ascii=False).encode() + b"\n")
        answers.flush()

    with suppress(Exception):  # a broken model shows on the first real text, with its message
        analyze(WARM_UP_TEXT)
    answer("ready", None)
    for line in sys.stdin.buffer:
        try:
            task = json.loads(line)
            published = task.get("published")
            limits = Limits(max_bytes=None, max_seconds=task.get("max_seconds"))
            day = date.fromisoformat(published) if published else None
            article = analyze(task["text"], published=day, limits=limits)
            data = article.to_dict()
            data.pop("raw", None)
            answer("ok", data)
        except LimitError as exc:
            answer("timeout" if exc.limit == "max_seconds" else "input", str(exc))
        except KhabarError as exc:
            answer("input", str(exc))
        except Exception as exc:  # RecursionError and the like: this request fails, the worker goes on
            answer("error", f"{type(exc).__name__}: {exc}")


class WorkerProcess:
    """One analysis process and the pipes to it."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", WORKER_COMMAND],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        kind, _ = self._read(WORKER_START_TIMEOUT_S, "start")
        if kind != "ready":
            self.kill()
            raise AnalysisFailedError("the analysis worker did not start")

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def _pipes(self) -> tuple[IO[bytes], IO[bytes]]:
        assert self.process.stdin is not None and self.process.stdout is not None
        return self.process.stdin, self.process.stdout

    def _read(self, timeout_s: float, what: str) -> tuple[str, Any]:
        _, out = self._pipes()
        ready, _, _ = select.select([out], [], [], timeout_s)
        if not ready:
            self.kill()
            if what == "start":
                raise AnalysisFailedError(f"the analysis worker did not start within {timeout_s:g} s")
            raise AnalysisTimeoutError(f"analysis took longer than {timeout_s:g} s; send a shorter text")
        line = out.readline()
        if not line:
            self.kill()
            raise AnalysisFailedError(f"the analysis worker exited (during {what})")
        try:
            message = json.loads(line)
            return str(message["kind"]), message["payload"]
        except (ValueError, KeyError, TypeError):
            self.kill()
            raise AnalysisFailedError(
                f"the analysis worker sent a malformed answer (during {what})"
            ) from None

    def analyze(self, text: str, published: str | None, timeout_s: float) -> tuple[str, Any]:
        """Send one text; `(kind, payload)` back, or AnalysisTimeoutError after killing the worker."""
        stdin, _ = self._pipes()
        task = {"text": text, "published": published, "max_seconds": timeout_s}
        try:
            stdin.write(json.dumps(task).encode("ascii") + b"\n")
            stdin.flush()
        except OSError:
            self.kill()
            raise AnalysisFailedError("the analysis worker died") from None
        return self._read(timeout_s + KILL_GRACE_S, "analysis")

    def kill(self) -> None:
        """Stop the process at once."""
        if self.alive:
            self.process.kill()
        self.process.wait(5)
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                with suppress(OSError):
                    pipe.close()

    def stop(self) -> None:
        """Close its input so it exits; kill it if it does not."""
        stdin, _ = self._pipes()
        with suppress(OSError):
            stdin.close()
        with suppress(subprocess.TimeoutExpired):
            self.process.wait(2)
        self.kill()


class ProcessAnalyzer:
    """Runs analyses on reusable worker processes; `run` blocks, so call it from a thread."""

    def __init__(self, timeout_s: float) -> None:
        self.timeout_s = timeout_s
        self._idle: list[WorkerProcess] = []
        self._started: list[WorkerProcess] = []
        self._lock = threading.Lock()

    def run(self, text: str, published: date | None) -> dict[str, Any]:
        """`Article.to_dict()` (without `raw`) of the text; InputError, AnalysisTimeoutError or
        AnalysisFailedError otherwise."""
        with self._lock:
            worker = self._idle.pop() if self._idle else None
        if worker is None or not worker.alive:
            if worker is not None:
                worker.kill()
            worker = WorkerProcess()
            with self._lock:
                self._started = [w for w in self._started if w.alive] + [worker]
        try:
            kind, payload = worker.analyze(text, published.isoformat() if published else None, self.timeout_s)
        except BaseException:
            worker.kill()  # whatever went wrong, no worker is left running without an owner
            raise
        with self._lock:
            self._idle.append(worker)
        if kind == "ok":
            data: dict[str, Any] = payload
            return data
        if kind == "input":
            raise InputError(str(payload))
        if kind == "timeout":
            raise AnalysisTimeoutError(f"analysis took longer than {self.timeout_s:g} s; send a shorter text")
        raise AnalysisFailedError(f"analysis failed: {payload}")

    def live_workers(self) -> int:
        """How many worker processes are running."""
        with self._lock:
            return sum(1 for w in self._started if w.alive)

    def busy_workers(self) -> int:
        """How many worker processes are analysing a text now."""
        with self._lock:
            return sum(1 for w in self._started if w.alive and w not in self._idle)

    def close(self) -> None:
        """Stop idle workers and kill busy ones."""
        with self._lock:
            idle, self._idle = self._idle, []
            busy = [w for w in self._started if w not in idle]
            self._started = []
        for worker in idle:
            worker.stop()
        for worker in busy:
            worker.kill()
