"""Parallel ingest: stream documents, analyse them on worker processes, store them from one writer.

- Bounded memory: documents are read one at a time and at most `workers * INFLIGHT_PER_WORKER` are in
  flight; results are written in input order by the main process (the single writer).
- Idempotent and resumable: each article and all its rows are one transaction; a document whose
  (source, raw hash) is stored already is skipped before analysis, and one whose raw hash is stored
  under another source is recorded as another copy without analysis.
- A bad input is recorded in the `errors` table and the batch goes on: an unreadable file, a
  truncated gzip, a line or document over a limit (`khabar.limits.Limits`: size, time, line length,
  decompressed size), an analysis that fails, or an `id` already used by a different article.
- Files are named by their resolved absolute paths, so a folder ingested by a relative and then an
  absolute path (or through a symbolic link) is the same documents.
- The cluster update and the entity-name refresh each record how many articles they cover, so a run
  stopped between them is completed by the next one.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from multiprocessing import get_context
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path

from khabar.article import Article
from khabar.dedup.minhash import Fingerprint
from khabar.errors import InputError, KhabarError
from khabar.ingest.readers import JSONL_SUFFIXES, DocError, RawDoc, iter_documents, iter_paths
from khabar.limits import Limits
from khabar.store import connection, db
from khabar.store.counts import duplicate_groups
from khabar.store.learned import Recleaner, learned_keys

# Articles added before the first refresh of the learned template lines during an ingest (then at
# twice as many, four times, ...): early enough that most of a big first ingest is cleaned with them,
# rare enough that the articles cleaned again stay few.
LEARN_AT = 256
# Documents in flight per worker: enough to keep both cores busy between writes, small enough that
# memory stays flat (each is one article plus its analysis).
INFLIGHT_PER_WORKER = 8

# (source, raw hash, article and fingerprint | error message)
Outcome = tuple[str, str, tuple[Article, Fingerprint] | str]


@dataclass
class IngestSummary:
    """What one ingest run did."""

    documents: int = 0
    added: int = 0
    copies: int = 0
    skipped: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)
    clusters: int = 0
    seconds: float = 0.0
    cluster_seconds: float = 0.0

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready summary."""
        return {
            "documents": self.documents,
            "added": self.added,
            "copies": self.copies,
            "skipped": self.skipped,
            "errors": len(self.errors),
            "clusters": self.clusters,
            "seconds": round(self.seconds, 2),
            "cluster_seconds": round(self.cluster_seconds, 2),
        }


def count_documents(paths: Sequence[str]) -> int | None:
    """How many documents the paths hold (lines of JSONL files, one per other file), for progress;
    None when a `.jsonl.gz` file is among them (it is decompressed only once, while being read)."""
    total = 0
    for item in iter_paths(paths):
        if isinstance(item, DocError):
            total += 1
        elif item.lower().endswith(".gz"):
            return None
        elif item.lower().endswith(JSONL_SUFFIXES):
            try:
                total += _count_lines(item)
            except OSError:
                total += 1
        else:
            total += 1
    return total


def check_inputs(paths: Sequence[str]) -> None:
    """InputError (before anything is written) when no given path exists (no file, folder or glob
    match); with some present, a missing one is recorded as an error and the batch goes on."""
    import glob

    if not paths:
        raise InputError("give at least one file, folder or glob to ingest")
    problems = []
    for given in paths:
        if given == "-" or Path(given).exists():
            return
        if glob.has_magic(given):
            if any(os.path.isfile(p) for p in glob.iglob(given, recursive=True)):
                return
            problems.append(f"{given}: no files match this pattern")
        else:
            problems.append(f"{given}: no such file or directory")
    raise InputError(
        f"{problems[0]}{f' (and {len(problems) - 1} more)' if len(problems) > 1 else ''}; nothing was ingested"
    )


def _count_lines(path: str) -> int:
    """Non-blank lines of a file, read in bounded pieces (a huge line is never held whole)."""
    count, seen = 0, False
    with open(path, "rb") as handle:
        while piece := handle.readline(1 << 20):
            seen = seen or bool(piece.strip())
            if piece.endswith(b"\n"):
                count, seen = count + int(seen), False
    return count + int(seen)


def analyze_for_store(
    doc: RawDoc,
    published: date | None = None,
    limits: Limits | None = None,
    ner: str = "fast",
    learned: frozenset[int] = frozenset(),
) -> tuple[Article, Fingerprint] | str:
    """Analyse one document (within `limits`, removing the learned template lines) and compute its
    dedup fingerprint; an error message on failure."""
    from khabar.pipeline import analyze_doc, dedup_fingerprint

    try:
        article = analyze_doc(doc, published, limits=limits, ner=ner, learned=learned)
        article.raw = ""
        return article, dedup_fingerprint(article)
    except KhabarError as exc:
        return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    except RecursionError:
        return f"{doc.source}: analysis failed: the input is nested too deeply"
    except MemoryError:
        return f"{doc.source}: analysis failed: out of memory"
    except Exception as exc:  # a bug in one step must not stop the batch; it is recorded
        return f"{doc.source}: analysis failed: {type(exc).__name__}: {exc}".splitlines()[0]


Task = tuple[RawDoc, str, date | None, Limits | None, frozenset[int]]


def _work(task: Task, ner: str = "fast") -> Outcome:
    doc, digest, published, limits, learned = task
    return doc.source, digest, analyze_for_store(doc, published, limits, ner, learned)


def _reclean(task: tuple[Article, frozenset[int], str]) -> Article | None:
    from khabar.pipeline import reclean_article

    article, learned, ner = task
    return reclean_article(article, learned, ner=ner)


def recleaner_for(ner: str, pool: Pool | None = None) -> Recleaner:
    """Stored articles cleaned and analysed again (with this NER mode) in the worker pool, or here."""

    def run(articles: Sequence[Article], learned: frozenset[int]) -> list[Article | None]:
        tasks = [(article, learned, ner) for article in articles]
        if pool is None:
            return [_reclean(task) for task in tasks]
        return pool.map(_reclean, tasks)

    return run


def ingest_paths(
    paths: Sequence[str],
    db_path: str | Path,
    *,
    workers: int | None = None,
    published: date | None = None,
    on_document: Callable[[str], None] | None = None,
    published_from_filename: str | None = None,
    limits: Limits | None = None,
    ner: str = "fast",
) -> IngestSummary:
    """Ingest files, folders and globs into the knowledge base at `db_path`, then update the clusters.

    `workers` defaults to the CPU count (1 analyses in this process); `on_document(status)` is called
    once per document with `added`, `copy`, `skipped` or `error`. `published_from_filename` is a
    date pattern (`khabar.ingest.filedates`) for documents whose path carries their date; `limits`
    defaults to `Limits()`; `ner` is the NER mode (`fast` or `accurate`).
    """
    from khabar.ingest.filedates import filename_dater

    dated = filename_dater(published_from_filename)
    check_inputs(paths)
    bounds = limits or Limits()
    started = time.perf_counter()
    n_workers = max(1, workers if workers is not None else (os.cpu_count() or 1))
    conn = connection.connect(db_path)
    summary = IngestSummary()
    # The learned template lines handed to the workers, refreshed (cluster, count, learn, reclean)
    # when the articles added reach each of LEARN_AT, 2 * LEARN_AT, 4 * LEARN_AT, ...
    learned = [learned_keys(conn)]
    next_learn = [LEARN_AT]

    def report(status: str) -> None:
        summary.documents += 1
        if on_document:
            on_document(status)

    def handle(outcome: Outcome) -> None:
        source, digest, result = outcome
        if isinstance(result, str):
            db.record_error(conn, source, result)
            summary.errors.append((source, result))
            report("error")
            return
        article, fp = result
        try:
            stored = db.write_article(conn, article, digest, fp)
        except db.IdConflictError as exc:
            db.record_error(conn, source, str(exc))
            summary.errors.append((source, str(exc)))
            report("error")
            return
        if stored:
            summary.added += 1
            report("added")
            if summary.added >= next_learn[0]:
                next_learn[0] *= 2
                db.update_clusters(conn, recleaner=recleaner[0])
                learned[0] = learned_keys(conn)
        else:
            summary.copies += 1
            report("copy")

    def tasks() -> Iterator[Task]:
        for doc in iter_documents(paths, bounds, canonical=True):
            if isinstance(doc, DocError):
                db.record_error(conn, doc.source, doc.message)
                summary.errors.append((doc.source, doc.message))
                report("error")
                continue
            doc = dated(doc)
            digest = db.raw_hash(doc)
            if db.has_document(conn, doc.source, digest):
                summary.skipped += 1
                report("skipped")
                continue
            known = db.known_document(conn, doc.source, digest)
            if known is not None:
                db.add_document(conn, doc.source, digest, known)
                summary.copies += 1
                report("copy")
                continue
            yield doc, digest, published, bounds, learned[0]

    def finish() -> None:
        clustered = time.perf_counter()
        if summary.added or not db.clusters_current(conn):
            db.update_clusters(conn, recleaner=recleaner[0])
        summary.clusters = duplicate_groups(conn)
        if not db.names_current(conn):
            db.refresh_entity_names(conn)
        summary.cluster_seconds = time.perf_counter() - clustered

    # Stored articles that newly learned lines change are cleaned and analysed again by the workers.
    recleaner = [recleaner_for(ner)]
    try:
        if n_workers == 1:
            for task in tasks():
                handle(_work(task, ner))
            finish()
        else:
            with get_context("fork" if os.name == "posix" else "spawn").Pool(n_workers) as pool:
                recleaner[0] = recleaner_for(ner, pool)
                _run_pool(pool, tasks(), handle, n_workers * INFLIGHT_PER_WORKER, ner)
                finish()
        connection.settle(conn)
    finally:
        conn.close()
    summary.seconds = time.perf_counter() - started
    return summary


def _run_pool(
    pool: Pool,
    tasks: Iterator[Task],
    handle: Callable[[Outcome], None],
    max_inflight: int,
    ner: str = "fast",
) -> None:
    """Submit tasks keeping at most `max_inflight` pending; handle results in input order."""
    pending: deque[AsyncResult[Outcome]] = deque()
    for task in tasks:
        pending.append(pool.apply_async(_work, (task, ner)))
        while len(pending) >= max_inflight or (pending and pending[0].ready()):
            handle(pending.popleft().get())
    while pending:
        handle(pending.popleft().get())
