"""Tagging speed of the NER step on one core: tokens per second over IL-NER dev (or any token<TAB>tag file).

Run: .venv/bin/python bench/bench_ner.py [FILE] [--ner plain|fast|accurate|all] [--repeat N] [--limit N]

Times are CPU time of this process (time.process_time) pinned to one core, with numpy's BLAS limited to
one thread, so other load on the machine does not count. The first pass starts with empty word caches
(a fresh process, as a one-off `khabar analyze` sees it); later passes show the steady state of a
long-running process. `accurate` runs the encoder over batches of sentences, as `tag_article` does for
an article (its figure includes the encoder). `plain` (the CRF without encoder features, the baseline
of the cross-validation) is not shipped: it is trained first, as `khabar train ner` trains the others
(same seed and passes, all of IL-NER train), into a temporary folder read through an overlay; its
training time is not counted. `all` runs plain, fast and accurate on the same sentences in one process.
Prints JSON: tokens (words) and sentences per CPU second.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy is imported: one BLAS thread
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse
import contextlib
import json
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from khabar.config import shared_data_dir
from khabar.eval.ner import read_tagged_sentences

# sentences per encoder batch in `accurate` mode (about one long article)
ARTICLE_SENTENCES = 32


def measure(sentences: list[list[str]], mode: str, repeat: int) -> dict[str, object]:
    """Tokens per CPU second of the full step (first pass and steady) and of the model alone."""
    from khabar.analysis.ner import _model_spans, find_spans, load_tables

    tokens = sum(len(s) for s in sentences)
    count = len(sentences)
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
        "full_step_sentences_per_s_first_pass": round(count / passes[0], 1),
        "full_step_sentences_per_s_steady": round(count / min(passes), 1),
        "model_only_sentences_per_s_steady": round(count / model_only, 1),
        "cpu_seconds_full_step_passes": [round(p, 2) for p in passes],
    }


@contextlib.contextmanager
def plain_model() -> Iterator[None]:
    """The plain CRF (no vector features) built from all of IL-NER train, readable while the block runs."""
    from khabar.eval.ner import read_tagged_sentences as read
    from khabar.lang.hi import overlay
    from khabar.train import ner as trainer

    data = shared_data_dir()
    train = read(data / "il-ner" / "train.txt")
    with tempfile.TemporaryDirectory(prefix="khabar-bench-plain-") as tmp, overlay(Path(tmp)):
        trainer.build_model(data, train, Path(tmp), trainer.ITERATIONS, trainer.SEED, "plain")
        yield


def run_mode(sentences: list[list[str]], mode: str, repeat: int) -> dict[str, object]:
    """`measure` for one mode (the plain model trained first)."""
    if mode != "plain":
        return measure(sentences, mode, repeat)
    with plain_model():
        return measure(sentences, mode, repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=shared_data_dir() / "il-ner" / "dev.txt")
    parser.add_argument("--ner", default="fast", choices=["plain", "fast", "accurate", "all"])
    parser.add_argument("--repeat", type=int, default=3, help="passes over the file (default 3)")
    parser.add_argument("--limit", type=int, default=0, help="use only the first N sentences")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    sentences = [s.tokens for s in read_tagged_sentences(args.file)]
    if args.limit:
        sentences = sentences[: args.limit]
    modes = ["plain", "fast", "accurate"] if args.ner == "all" else [args.ner]
    result: dict[str, object] = {
        "date": time.strftime("%Y-%m-%d"),
        "file": str(args.file),
        "sentences": len(sentences),
        "tokens": sum(len(s) for s in sentences),
        "load_average_at_start": list(os.getloadavg()),
        "runs": [run_mode(sentences, mode, 1 if mode == "accurate" else args.repeat) for mode in modes],
        "load_average_at_end": list(os.getloadavg()),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
