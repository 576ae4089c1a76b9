"""Write a realistic near-duplicate corpus with bench/realcopies (a generator written blind to khabar).

The base stories are realcopies' own (bench/realcopies/base) plus, with `extra=True`, the 329
articles of the search gold set (bench/data/gold/search/corpus.jsonl, written blind by another
helper), whose same-storyline articles by different outlets are hard negatives of their own. Next-day
follow-ups are added for 30 % of the stories that have no hand-written one. The corpus folder gets
`docs/` and `gold.jsonl` (read by `khabar.dedup.evaluate`).

Usage: python bench/realcopies_corpus.py OUT_DIR [--seed 101] [--no-extra]
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

BENCH = Path(__file__).resolve().parent
GENERATOR = BENCH / "realcopies" / "realcopies.py"
EXTRA_BASES = BENCH / "data" / "gold" / "search" / "corpus.jsonl"
SYNTH_FOLLOWUPS = 0.3


def load_generator() -> ModuleType:
    """bench/realcopies/realcopies.py as a module."""
    spec = importlib.util.spec_from_file_location("realcopies", GENERATOR)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {GENERATOR}")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("realcopies", module)
    spec.loader.exec_module(module)
    return sys.modules["realcopies"]


def write_realcopies(folder: Path, seed: int, extra: bool = True) -> dict[str, Any]:
    """Generate the corpus of one seed into `folder`; returns realcopies' summary of it."""
    rc = load_generator()
    with tempfile.TemporaryDirectory(prefix="khabar-rc-bases-") as tmp:
        dirs = [str(GENERATOR.parent / "base")]
        if extra:
            # realcopies reads every *.jsonl of a folder as base stories: give it the corpus alone.
            shutil.copy(EXTRA_BASES, Path(tmp) / "search_corpus.jsonl")
            dirs.append(tmp)
        stories = rc.load_base(dirs)
    docs = rc.generate(stories, seed, (1, 6), synth_followup_rate=SYNTH_FOLLOWUPS)
    rc.write_corpus(docs, str(folder))
    summary: dict[str, Any] = rc.summarize(docs)
    return summary


def main() -> None:
    """Command line: write the corpus of one seed to a folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=101)
    parser.add_argument("--no-extra", action="store_true", help="Only realcopies' own base stories.")
    args = parser.parse_args()
    summary = write_realcopies(args.out, args.seed, not args.no_extra)
    print(f"wrote {summary['docs']} documents in {summary['groups']} stories to {args.out}")


if __name__ == "__main__":
    main()
