"""Classes of the romaniser's errors on a split of the name pairs (never run it on test to choose anything).

Reads the JSON of `khabar eval romanize --split dev --examples 5000` and sorts each wrong name: a
different number of words on the two sides (initials, joined words, data noise), else each wrong word
by whether its Hindi form was seen in training (name pairs or Dakshina) with the gold spelling among
its spellings (an ambiguous choice: Mandal/Mondal), and otherwise by how the spellings differ (the
schwa, vowel length or quality, o/a, a doubled or dropped consonant, a consonant variant, several).

    khabar eval romanize --split dev --examples 5000 > dev.json
    python bench/romanize_errors.py dev.json
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
from collections import Counter
from pathlib import Path

from khabar.config import shared_data_dir
from khabar.train.names import dakshina_words, name_pair_words, read_name_pairs

_SPLIT = re.compile(r"[\s.।]+")
VOWELS = frozenset("aeiouy")
CONSONANT_VARIANTS = [
    {"s", "sh"}, {"v", "w"}, {"v", "b"}, {"w", "b"}, {"j", "z"}, {"f", "ph"}, {"k", "q"}, {"t", "th"},
    {"d", "dh"}, {"k", "c"}, {"k", "ck"}, {"c", "ch"}, {"s", "ch"}, {"kh", "k"}, {"bh", "b"}, {"bh", "v"},
]  # fmt: skip


def chunk_kind(gold: str, guess: str) -> str:
    """How one differing stretch of the gold spelling and the guess differ."""
    short, long = sorted((gold, guess), key=len)
    if short == "" and long == "a":
        return "schwa (a)"
    if short == "" and all(c in VOWELS for c in long):
        return "vowel added or dropped"
    if {gold, guess} == {"a", "o"}:
        return "o/a (Bengali)"
    if all(c in VOWELS for c in gold + guess):
        if long.startswith(short) or long.endswith(short):
            return "vowel length"
        return "vowel quality (e/ai, u/o, i/y)"
    if short == "" and len(long) == 1:
        return "consonant doubled or dropped (or h)"
    if {gold, guess} in CONSONANT_VARIANTS:
        return "consonant variant (s/sh, v/w/b, j/z, t/th)"
    return "other"


def word_kind(hindi: str, gold: str, guess: str, seen: dict[str, Counter[str]]) -> str:
    """The class of one wrong word."""
    known = seen.get(hindi)
    if known and gold in known:
        return "seen word, gold among its seen spellings (ambiguous)"
    matcher = difflib.SequenceMatcher(None, gold, guess, autojunk=False)
    kinds = [chunk_kind(gold[a:b], guess[c:d]) for op, a, b, c, d in matcher.get_opcodes() if op != "equal"]
    kind = kinds[0] if len(set(kinds)) == 1 else "several"
    return ("seen word, new spelling: " if known else "unseen word: ") + kind


def classify(errors: list[dict[str, str]], seen: dict[str, Counter[str]]) -> dict[str, object]:
    """Counts of wrong names and wrong words per class."""
    names: Counter[str] = Counter()
    words: Counter[str] = Counter()
    for error in errors:
        gold = [
            w.lower()
            for w in _SPLIT.split(re.sub(r"[^A-Za-z .\-]", " ", error["gold"]).replace("-", " "))
            if w
        ]
        guess = error["romanized"].split()
        hindi = [w for w in _SPLIT.split(error["hindi"].replace("-", " ")) if w]
        if not len(gold) == len(guess) == len(hindi):
            names["word counts differ (initials, joined words, data noise)"] += 1
            continue
        names["same word counts"] += 1
        for h, g, r in zip(hindi, gold, guess, strict=True):
            if g != r:
                words[word_kind(h, g, r, seen)] += 1
    return {"wrong_names": dict(names), "wrong_words": dict(words.most_common())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("result", type=Path, help="JSON of khabar eval romanize --examples N")
    parser.add_argument("--data", type=Path, default=None)
    args = parser.parse_args()
    data = args.data or shared_data_dir()
    seen = name_pair_words(read_name_pairs(data))
    for hindi, options in dakshina_words(data).items():
        seen.setdefault(hindi, Counter()).update(options)
    errors = json.loads(args.result.read_text(encoding="utf-8"))["errors"]
    print(json.dumps(classify(errors, seen), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
