"""Benchmark: analysis time against article length, 10k to 1M characters (issue 16: linear time).

One document of each length is analysed in process with the full default pipeline, after a warm-up,
and the time per character is printed for each length with the ratio of the largest to the smallest
(the goal: within 1.5x), in wall time and in CPU time of the process (on a shared machine the CPU
ratio is the one to read; the load average is printed with each row). Text sources, both run by default:

- `real`: real Hindi sentences in their own order, five to a paragraph: UD Hindi PUD and IL-NER train
  and dev from ../shared/data (about 1.5 M characters; skipped with a note when the folder is absent);
- `templated`: paragraphs of random sentences from bench/make_corpus.py's templates with random names and
  numbers. Far more repetitive than news (each sentence recurs hundreds of times at 1 M characters),
  which stresses the near-duplicate search over blocks.

    python bench/bench_scaling.py                       # prints JSON
    python bench/bench_scaling.py --sizes 10000,100000,1000000 --source real --repeat 2
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from khabar.config import shared_data_dir
from khabar.pipeline import analyze, warm_up
from make_corpus import TOPICS, _Filler, example_parts


def real_sentences(root: Path) -> list[str]:
    """Sentences of UD Hindi PUD (raw text) and IL-NER (tokens joined by spaces), in file order."""
    out: list[str] = []
    pud = root / "ud-hindi-pud" / "hi_pud-ud-test.conllu"
    for line in pud.read_text(encoding="utf-8").splitlines():
        if line.startswith("# text = "):
            out.append(line[9:].strip())
    for name in ("train.txt", "dev.txt"):
        tokens: list[str] = []
        for line in (root / "il-ner" / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                tokens.append(line.split("\t")[0])
            elif tokens:
                out.append(" ".join(tokens))
                tokens = []
        if tokens:
            out.append(" ".join(tokens))
    return out


def template_sentences() -> list[str]:
    """The sentences of the generator's paragraph templates and of the example article."""
    out: list[str] = []
    paragraphs = [p for _h, _s, paras in TOPICS.values() for p in paras] + example_parts()[0]
    for p in paragraphs:
        out += [s.strip() for s in re.split(r"(?<=[।?!])\s+", p) if s.strip()]
    return out


def real_text(sentences: list[str], size: int) -> str:
    parts: list[str] = []
    total = i = 0
    while total < size and i < len(sentences):
        para = " ".join(sentences[i : i + 5])
        i += 5
        parts.append(para)
        total += len(para) + 2
    if total < size:
        raise SystemExit(f"only {total} characters of real sentences for a {size}-character document")
    return "\n\n".join(parts)[:size]


def templated_text(size: int, seed: int = 0) -> str:
    rng = random.Random(seed)
    pool = template_sentences()
    parts: list[str] = []
    total = 0
    while total < size:
        fill = _Filler(rng)
        para = " ".join(fill(rng.choice(pool)) for _ in range(rng.randint(3, 6)))
        parts.append(para)
        total += len(para) + 2
    return "\n\n".join(parts)[:size]


def measure(text: str, repeat: int) -> dict[str, Any]:
    """Wall and CPU time of the fastest of `repeat` analyses (CPU time of this process: on a shared
    machine the wall clock also counts the time other processes run)."""
    best = best_cpu = float("inf")
    article = None
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        article = analyze(text)
        best = min(best, time.perf_counter() - started)
        best_cpu = min(best_cpu, time.process_time() - started_cpu)
    assert article is not None
    return {
        "chars": len(text),
        "clean_chars": len(article.text),
        "sentences": len(article.sentences),
        "mentions": len(article.mentions),
        "seconds": round(best, 3),
        "us_per_char": round(best / len(text) * 1e6, 2),
        "cpu_seconds": round(best_cpu, 3),
        "cpu_us_per_char": round(best_cpu / len(text) * 1e6, 2),
        "load_average": round(os.getloadavg()[0], 1),
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--source", choices=["real", "templated", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=1, help="runs per size (the fastest is kept)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    warm_up()
    results: dict[str, Any] = {
        "date": datetime.now(UTC).date().isoformat(),
        "machine": f"{platform.machine()} {platform.system()}, Python {platform.python_version()}",
        "sources": {},
    }
    sources = ["real", "templated"] if args.source == "both" else [args.source]
    for source in sources:
        if source == "real":
            root = shared_data_dir()
            if not (root / "il-ner" / "train.txt").is_file():
                results["sources"]["real"] = {"skipped": f"needs {root} (IL-NER, UD Hindi PUD)"}
                continue
            sentences = real_sentences(root)
            texts = {n: real_text(sentences, n) for n in sizes}
        else:
            texts = {n: templated_text(n) for n in sizes}
        rows = [measure(texts[n], args.repeat) for n in sizes]
        ratio = rows[-1]["us_per_char"] / rows[0]["us_per_char"]
        cpu_ratio = rows[-1]["cpu_us_per_char"] / rows[0]["cpu_us_per_char"]
        results["sources"][source] = {
            "rows": rows,
            "largest_over_smallest_per_char": round(ratio, 2),
            "largest_over_smallest_per_char_cpu": round(cpu_ratio, 2),
        }
        print(json.dumps({source: results["sources"][source]}, ensure_ascii=False), file=sys.stderr)
    print(json.dumps(results, ensure_ascii=False, indent=2))
    return results


if __name__ == "__main__":
    main()
