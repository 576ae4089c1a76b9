"""Tagging speed of the NER step on one core: tokens per second over IL-NER dev (or any token<TAB>tag file).

Run: .venv/bin/python bench/bench_ner.py [FILE] [--ner fast|accurate|all] [--repeat N] [--limit N]

Times are CPU time of this process (time.process_time) pinned to one core, with numpy's BLAS limited to
one thread, so other load on the machine does not count. The first pass starts with empty word caches
(a fresh process, as a one-off `khabar analyze` sees it); later passes show the steady state of a
long-running process. `accurate` runs the encoder over batches of sentences, as `tag_article` does for
an article (its figure includes the encoder). Prints JSON.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy is imported: one BLAS thread
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse
import json
import time
from pathlib import Path

from khabar.config import shared_data_dir
from khabar.eval.ner import read_tagged_sentences

# sentences per encoder batch in `accurate` mode (about one long article)
ARTICLE_SENTENCES = 32


def measure(sentences: list[list[str]], mode: str, repeat: int) -> dict[str, object]:
    """Tokens per CPU second of the full step (first pass and steady) and of the model alone."""
    from khabar.analysis.ner import _model_spans, find_spans, load_tables

    tokens = sum(len(s) for s in sentences)
    find_spans(["नमस्ते"], mode=mode)  # load the model and lexicons outside the timing

    def run_pass(model_only: bool) -> float:
        began = time.process_time()
        for start in range(0, len(sentences), ARTICLE_SENTENCES):
            batch = sentences[start : start + ARTICLE_SENTENCES]
            vectors: list[object] = [None] * len(batch)
            if mode == "accurate":
                from khabar.encoder import get_encoder

                vectors = list(get_encoder().word_vectors(batch, load_tables().context_layer))
            for sent, vecs in zip(batch, vectors, strict=True):
                if model_only:
                    _model_spans(sent, mode=mode, vectors=vecs)  # type: ignore[arg-type]
                else:
                    find_spans(sent, mode=mode, vectors=vecs)  # type: ignore[arg-type]
        return time.process_time() - began

    passes = [run_pass(False) for _ in range(repeat)]
    model_only = run_pass(True)
    return {
        "mode": mode,
        "full_step_tokens_per_s_first_pass": round(tokens / passes[0]),
        "full_step_tokens_per_s_steady": round(tokens / min(passes)),
        "model_only_tokens_per_s_steady": round(tokens / model_only),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=shared_data_dir() / "il-ner" / "dev.txt")
    parser.add_argument("--ner", default="fast", choices=["fast", "accurate", "all"])
    parser.add_argument("--repeat", type=int, default=3, help="passes over the file (default 3)")
    parser.add_argument("--limit", type=int, default=0, help="use only the first N sentences")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    sentences = [s.tokens for s in read_tagged_sentences(args.file)]
    if args.limit:
        sentences = sentences[: args.limit]
    modes = ["fast", "accurate"] if args.ner == "all" else [args.ner]
    result: dict[str, object] = {
        "date": time.strftime("%Y-%m-%d"),
        "file": str(args.file),
        "sentences": len(sentences),
        "tokens": sum(len(s) for s in sentences),
        "runs": [measure(sentences, mode, args.repeat if mode == "fast" else 1) for mode in modes],
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
