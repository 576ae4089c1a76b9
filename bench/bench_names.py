"""Speed of entity resolution and the romaniser.

- resolution: `resolve_entities` on the NER mentions of the bundled example article, repeated;
- romaniser: `romanize` over every word of Dakshina's Hindi test file (../shared/data/translit), or over
  the example article's words when the shared data is absent.

    python bench/bench_names.py            # prints JSON
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import platform
import time
from pathlib import Path

from khabar.analysis.resolve import resolve_entities
from khabar.analysis.romanize import romanize
from khabar.config import shared_data_dir
from khabar.pipeline import FOUNDATION_STEPS, analyze

SEED = Path(__file__).resolve().parents[1] / "examples" / "000_3ad8789db8de2740.txt"


def bench_resolve(repeat: int) -> dict[str, float]:
    """Milliseconds per article for resolution alone, on the example article's NER mentions."""
    from khabar.analysis.ner import tag_article

    article = tag_article(analyze(SEED.read_text(encoding="utf-8"), steps=FOUNDATION_STEPS))
    mentions = list(article.mentions)
    resolve_entities(dataclasses.replace(article, mentions=list(mentions)))  # warm the table caches
    start = time.perf_counter()
    for _ in range(repeat):
        resolve_entities(dataclasses.replace(article, mentions=list(mentions)))
    elapsed = time.perf_counter() - start
    return {"mentions": len(mentions), "ms_per_article": round(1000 * elapsed / repeat, 3)}


def bench_romanize(repeat: int) -> dict[str, float]:
    """Words per second of `romanize`."""
    path = shared_data_dir() / "translit" / "dakshina-hi.test.tsv"
    if path.is_file():
        words = [
            line.split("\t")[1] for line in path.read_text(encoding="utf-8").splitlines() if "\t" in line
        ]
    else:
        words = SEED.read_text(encoding="utf-8").split()
    romanize(words[0])  # load the tables
    start = time.perf_counter()
    for _ in range(repeat):
        for word in words:
            romanize(word)
    elapsed = time.perf_counter() - start
    return {"words": len(words) * repeat, "words_per_second": round(len(words) * repeat / elapsed)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200, help="resolution passes (romaniser: repeat/20)")
    args = parser.parse_args()
    result = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "resolve": bench_resolve(args.repeat),
        "romanize": bench_romanize(max(1, args.repeat // 20)),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
