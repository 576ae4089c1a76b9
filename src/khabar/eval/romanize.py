"""Romaniser quality on held-back name pairs: exact match (case-insensitive) and character error rate.

The pairs are the cricketer and election-candidate names of ../shared/data/names in the `test` split of
`khabar.train.names.split_of` (never used to build the word table or the gazetteer).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

from khabar.analyze.romanize import romanize
from khabar.train.names import edit_distance, read_name_pairs, split_of

_NON_LETTER = re.compile(r"[^a-z0-9]+")


def normalize_latin(name: str) -> str:
    """Lower case, punctuation as spaces, single spaces: 'A.K. SHARMA' → 'a k sharma'."""
    return " ".join(_NON_LETTER.sub(" ", name.lower()).split())


def evaluate_romanizer(
    data: Path, split: str = "test", use_lexicon: bool = True, examples: int = 0
) -> dict[str, Any]:
    """Exact match and CER of `romanize()` on the name pairs of one split (as a JSON-ready dict)."""
    pairs = [
        p for p in read_name_pairs(data) if p.source != "cricketer-surnames" and split_of(p.hindi) == split
    ]
    exact = 0
    errors = 0
    chars = 0
    per_source: Counter[str] = Counter()
    per_source_exact: Counter[str] = Counter()
    wrong: list[dict[str, str]] = []
    for pair in pairs:
        gold = normalize_latin(pair.english)
        guess = normalize_latin(romanize(pair.hindi, use_lexicon=use_lexicon))
        per_source[pair.source] += 1
        if guess == gold:
            exact += 1
            per_source_exact[pair.source] += 1
        elif len(wrong) < examples:
            wrong.append({"hindi": pair.hindi, "gold": pair.english, "romanized": guess})
        errors += edit_distance(guess, gold)
        chars += len(gold)
    result: dict[str, Any] = {
        "split": split,
        "lexicon": use_lexicon,
        "pairs": len(pairs),
        "exact_match": round(100 * exact / len(pairs), 2) if pairs else 0.0,
        "cer": round(100 * errors / chars, 2) if chars else 0.0,
        "exact_match_by_source": {
            s: round(100 * per_source_exact[s] / n, 2) for s, n in sorted(per_source.items())
        },
    }
    if examples:
        result["errors"] = wrong
    return result
