"""Romaniser quality on held-back data: exact match (case-insensitive) and character error rate (CER).

- names: the cricketer and election-candidate names of ../shared/data/names in the `test` (or `dev`)
  split of `khabar.train.names.split_of`, never used to build the word table, akshara table or gazetteer;
- dakshina: the words of Dakshina's own test (or dev) file that no training source contains (so only the
  learned model can help), romanised in the Hindi style (as words of place and organisation names are;
  names of people get the style of their name); a word is exact when the output is any attested
  romanisation, and CER is against its most frequent one.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

from khabar.analysis.romanize import romanize
from khabar.train.names import edit_distance, read_name_pairs, split_of, training_words

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
    result["dakshina"] = evaluate_dakshina(data, split, use_lexicon)
    if examples:
        result["errors"] = wrong
    return result


def evaluate_dakshina(data: Path, split: str = "test", use_lexicon: bool = True) -> dict[str, Any]:
    """Exact match and CER on Dakshina words of one split that no training source contains."""
    path = data / "translit" / f"dakshina-hi.{split}.tsv"
    if not path.is_file():
        return {"words": 0, "note": f"{path} not found"}
    seen = training_words(data, read_name_pairs(data))
    gold: dict[str, Counter[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) >= 2 and cells[1] not in seen and cells[0].isascii() and cells[0].isalpha():
            count = int(cells[2]) if len(cells) > 2 and cells[2].isdigit() else 1
            gold.setdefault(cells[1], Counter())[cells[0].lower()] += count
    exact = errors = chars = 0
    for hindi, options in gold.items():
        guess = normalize_latin(romanize(hindi, use_lexicon=use_lexicon, style="hindi"))
        best = options.most_common(1)[0][0]
        exact += guess in options
        errors += edit_distance(guess, best)
        chars += len(best)
    return {
        "words": len(gold),
        "exact_match": round(100 * exact / len(gold), 2) if gold else 0.0,
        "cer": round(100 * errors / chars, 2) if chars else 0.0,
    }
