"""Tagging speed of the NER step on one core: tokens per second over IL-NER dev (or any token<TAB>tag file).

Run: .venv/bin/python bench/bench_ner.py [FILE] [--repeat N]

Times are CPU time of this process (time.process_time), so other load on the machine does not count.
The first pass starts with empty word caches (a fresh process, as a one-off `khabar analyze` sees it);
later passes show the steady state of a long-running process. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from khabar.config import shared_data_dir
from khabar.eval.ner import read_tagged_sentences


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=shared_data_dir() / "il-ner" / "dev.txt")
    parser.add_argument("--repeat", type=int, default=3, help="passes over the file (default 3)")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    from khabar.analysis.ner import _model_spans, tag_tokens

    sentences = [s.tokens for s in read_tagged_sentences(args.file)]
    tokens = sum(len(s) for s in sentences)
    tag_tokens(["नमस्ते"])  # load the model and lexicons outside the timing
    passes = []
    for _ in range(args.repeat):
        began = time.process_time()
        for sent in sentences:
            tag_tokens(sent)
        passes.append(time.process_time() - began)
    began = time.process_time()
    for sent in sentences:
        _model_spans(sent)
    model_only = time.process_time() - began
    print(
        json.dumps(
            {
                "file": str(args.file),
                "sentences": len(sentences),
                "tokens": tokens,
                "full_step_tokens_per_s_first_pass": round(tokens / passes[0]),
                "full_step_tokens_per_s_steady": round(tokens / min(passes)),
                "model_only_tokens_per_s_steady": round(tokens / model_only),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
