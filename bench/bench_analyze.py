"""Benchmark `khabar analyze`: throughput (articles/s) and peak memory on a generated corpus.

The corpus (default 400 articles, about a fifth of them HTML pages) comes from `bench/make_corpus.py`,
which varies the bundled example article and Hindi paragraphs written for this project. The pipeline is
the default one as it stands when the benchmark runs (`khabar.pipeline.default_steps()`), so steps added
later (NER, dates, events, ...) are measured too, each with its own time.

Measured in one run:
- in process: read + clean + every step + JSON, articles/s, seconds per step, peak RSS;
- Python heap peak (tracemalloc) in a second pass;
- the real command `khabar analyze DIR --format jsonl` in a subprocess: wall time and peak RSS;
- on the HTML part: trafilatura's own `extract()` alone against khabar's cleaning (trafilatura inside,
  then block classification) and the whole pipeline, as a time ratio, and how much planted boilerplate
  (teasers, bylines, credits, the © footer) and body text each leaves in its output.

    python bench/bench_analyze.py            # prints JSON
    python bench/bench_analyze.py --n 1000 --out bench/out/analyze.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from khabar.article import Article
from khabar.ingest.readers import DocError, RawDoc, iter_documents
from khabar.pipeline import Step, build_article, default_steps
from make_corpus import CorpusDoc, CorpusOptions, generate


def _maxrss_mib(who: int = resource.RUSAGE_SELF) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)  # KiB on Linux


def _timed_steps(steps: Sequence[Step], totals: dict[str, float]) -> list[Step]:
    def wrap(step: Step) -> Callable[[Article], Article]:
        def run(article: Article) -> Article:
            started = time.perf_counter()
            out = step.run(article)
            totals[step.name] = totals.get(step.name, 0.0) + time.perf_counter() - started
            return out

        return run

    return [Step(s.name, wrap(s), s.requires, s.provides) for s in steps]


def warm_up(docs: list[CorpusDoc]) -> float:
    """Analyse one text and one HTML article first, so that one-off imports and model loads are not
    counted in the throughput (their time is reported apart)."""
    started = time.perf_counter()
    steps = default_steps()
    for kind in ("text", "html"):
        doc = next((d for d in docs if d.kind == kind), None)
        if doc is not None:
            raw = (
                RawDoc(source=doc.id, html=doc.content)
                if kind == "html"
                else RawDoc(source=doc.id, text=doc.content)
            )
            article = build_article(raw)
            for step in steps:
                article = step(article)
    return round(time.perf_counter() - started, 3)


def run_in_process(folder: Path) -> dict[str, Any]:
    """Read, clean, analyse and serialise every file of the folder; time each stage."""
    totals: dict[str, float] = {"read": 0.0, "clean": 0.0, "json": 0.0}
    steps = _timed_steps(default_steps(), totals)
    articles = errors = 0
    chars = 0
    started = time.perf_counter()
    mark = started
    for doc in iter_documents([str(folder)]):
        now = time.perf_counter()
        totals["read"] += now - mark
        if isinstance(doc, DocError):
            errors += 1
            mark = time.perf_counter()
            continue
        article = build_article(doc)
        totals["clean"] += time.perf_counter() - now
        for step in steps:
            article = step(article)
        before_json = time.perf_counter()
        chars += len(json.dumps(article.to_dict(), ensure_ascii=False))
        totals["json"] += time.perf_counter() - before_json
        articles += 1
        mark = time.perf_counter()
    seconds = time.perf_counter() - started
    return {
        "articles": articles,
        "errors": errors,
        "seconds": round(seconds, 3),
        "articles_per_s": round(articles / seconds, 1) if seconds else None,
        "json_mib": round(chars / 2**20, 2),
        "steps": [s.name for s in steps],
        "seconds_by_stage": {k: round(v, 3) for k, v in totals.items()},
        "peak_rss_mib": _maxrss_mib(),
    }


def heap_peak(folder: Path) -> float:
    """Peak Python heap (MiB, tracemalloc) while analysing the folder once more."""
    steps = default_steps()
    tracemalloc.start()
    for doc in iter_documents([str(folder)]):
        if isinstance(doc, RawDoc):
            article = build_article(doc)
            for step in steps:
                article = step(article)
            json.dumps(article.to_dict(), ensure_ascii=False)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return round(peak / 2**20, 1)


def run_cli(folder: Path) -> dict[str, Any]:
    """The real command over the folder, in a subprocess."""
    code = "import sys; from khabar.cli import main; sys.argv[0] = 'khabar'; main()"
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", code, "analyze", str(folder), "--format", "jsonl"],
        capture_output=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    lines = proc.stdout.count(b"\n")
    return {
        "command": f"khabar analyze {folder.name}/ --format jsonl",
        "exit_code": proc.returncode,
        "records": lines,
        "seconds": round(seconds, 3),
        "articles_per_s": round(lines / seconds, 1) if seconds else None,
        "peak_rss_mib": _maxrss_mib(resource.RUSAGE_CHILDREN),
    }


def _coverage(docs: list[CorpusDoc], outputs: list[str]) -> dict[str, float]:
    """Share of planted boilerplate lines and of body blocks found in each output text."""
    planted = found_bp = body = found_body = 0
    for doc, out in zip(docs, outputs, strict=True):
        squeezed = " ".join(out.split())
        for line in doc.boilerplate:
            planted += 1
            found_bp += " ".join(line.split()) in squeezed
        for block in dict.fromkeys(doc.body):
            body += 1
            found_body += " ".join(block.split()) in squeezed
    return {
        "boilerplate_left": round(found_bp / planted, 3) if planted else 0.0,
        "body_kept": round(found_body / body, 3) if body else 0.0,
    }


def compare_trafilatura(docs: list[CorpusDoc]) -> dict[str, Any]:
    """trafilatura.extract() alone vs khabar's cleaning and whole pipeline on the same HTML pages."""
    import trafilatura

    pages = [d for d in docs if d.kind == "html"]
    if not pages:
        return {"note": "no HTML pages in the corpus"}
    raws = [RawDoc(source=d.id, html=d.content) for d in pages]

    started = time.perf_counter()
    traf_out = [trafilatura.extract(d.content) or "" for d in pages]
    traf_s = time.perf_counter() - started

    started = time.perf_counter()
    cleaned = [build_article(r) for r in raws]
    clean_s = time.perf_counter() - started

    steps = default_steps()
    started = time.perf_counter()
    for raw in raws:
        article = build_article(raw)
        for step in steps:
            article = step(article)
    full_s = time.perf_counter() - started
    return {
        "pages": len(pages),
        "trafilatura_extract": {"seconds": round(traf_s, 3), **_coverage(pages, traf_out)},
        "khabar_clean": {
            "seconds": round(clean_s, 3),
            "time_ratio_to_trafilatura": round(clean_s / traf_s, 2) if traf_s else None,
            **_coverage(pages, [a.text for a in cleaned]),
        },
        "khabar_full_pipeline": {
            "seconds": round(full_s, 3),
            "time_ratio_to_trafilatura": round(full_s / traf_s, 2) if traf_s else None,
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark khabar analyze (prints JSON).")
    parser.add_argument("--n", type=int, default=400, help="articles in the corpus (default 400)")
    parser.add_argument("--seed", type=int, default=0, help="corpus random seed (default 0)")
    parser.add_argument("--html", type=float, default=0.2, help="share of HTML pages (default 0.2)")
    parser.add_argument("--no-cli", action="store_true", help="skip the subprocess run of the command")
    parser.add_argument("--out", type=Path, help="also write the JSON to this file")
    args = parser.parse_args(argv)

    options = CorpusOptions(n=args.n, seed=args.seed, html=args.html)
    docs = list(generate(options))
    result: dict[str, Any] = {
        "benchmark": "khabar analyze",
        "when": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),  # noqa: UP017
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(terse=True),
            "cpus": os.cpu_count(),
        },
        "corpus": {
            "articles": len(docs),
            "html": sum(d.kind == "html" for d in docs),
            "planted_duplicates": sum(d.dup_of is not None for d in docs),
            "mib": round(sum(len(d.content.encode("utf-8")) for d in docs) / 2**20, 2),
            "seed": args.seed,
        },
        "rss_before_mib": _maxrss_mib(),
    }
    with tempfile.TemporaryDirectory(prefix="khabar-bench-") as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        for doc in docs:
            (folder / f"{doc.id}{doc.suffix}").write_text(doc.content, encoding="utf-8")
        result["warmup_seconds"] = warm_up(docs)
        result["in_process"] = run_in_process(folder)
        result["in_process"]["python_heap_peak_mib"] = heap_peak(folder)
        if not args.no_cli:
            result["cli"] = run_cli(folder)
    result["html_vs_trafilatura"] = compare_trafilatura(docs)
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
