"""`khabar train search`: the table that reads romanised Hindi queries (lang/hi/roman_words_gen.tsv).

From the Dakshina Hindi romanisation lexicon (Latin, Devanagari, count; all three splits): for each
phonetic key of a Latin spelling (`khabar.store.entity_query.roman_key`, so "baadh" and "badh" meet),
the Devanagari words written that way, most attested first (at most MAX_WORDS). The table is derived
from Dakshina (CC BY-SA 4.0) and carries its licence (NOTICE).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path

from khabar.errors import InputError
from khabar.store.entity_query import roman_key

MAX_WORDS = 3
FILES = ("dakshina-hi.train.tsv", "dakshina-hi.dev.tsv", "dakshina-hi.test.tsv")
TABLE = "roman_words_gen.tsv"
_LATIN = re.compile(r"^[a-z]+$")


def build(data: Path, out: Path) -> dict[str, int]:
    """Write the table into `out` from `data`/translit; returns counts."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    rows = 0
    for name in FILES:
        path = data / "translit" / name
        if not path.is_file():
            raise InputError(f"missing data file {path} (set KHABAR_DATA to the shared data folder)")
        for line in path.read_text(encoding="utf-8").splitlines():
            cells = line.split("\t")
            if len(cells) < 3 or not _LATIN.match(cells[0].lower()):
                continue
            try:
                n = int(cells[2])
            except ValueError:
                continue
            counts[roman_key(cells[0])][cells[1].strip()] += n
            rows += 1
    out.mkdir(parents=True, exist_ok=True)
    lines = [
        "# Romanised Hindi word key -> Devanagari words, most attested first. Built by `khabar train search`",
        "# from the Dakshina dataset (Google, CC BY-SA 4.0); this file is under CC BY-SA 4.0.",
    ]
    for key in sorted(counts):
        words = sorted(counts[key].items(), key=lambda item: (-item[1], item[0]))[:MAX_WORDS]
        lines.append(key + "\t" + " ".join(w for w, _ in words))
    (out / TABLE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {"lexicon_rows": rows, "keys": len(counts)}
