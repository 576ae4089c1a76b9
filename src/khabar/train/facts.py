"""`khabar train facts`: word lists for the fact extractors derived from ../shared/data.

- `verb_forms_gen.txt`: the word forms UD Hindi PUD tags VERB or AUX more often than anything else
  (हुआ, पहुंचा, बढ़ा …). The quantity step uses it so a verb after a number ("116 हुआ") is not read
  as the counted noun.
- `models/event_triggers.json`: the event trigger model and target ranker (`train/events.py`), fitted
  on the project's facts gold set (`bench/data/gold/facts/articles.jsonl`).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from khabar.clean.normalize import normalize_text
from khabar.errors import InputError
from khabar.lang.hi import data_path

VERB_TAGS = frozenset({"VERB", "AUX"})


def read_verb_forms(conllu: Path) -> list[str]:
    """Forms of a CoNLL-U file tagged VERB/AUX in more than half of their occurrences."""
    verb: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for line in conllu.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) > 3 and cells[0].isdigit():
            form = normalize_text(cells[1])
            total[form] += 1
            if cells[3] in VERB_TAGS:
                verb[form] += 1
    return sorted(
        w for w, n in verb.items() if 2 * n > total[w] and any("\u0900" <= c <= "\u097f" for c in w)
    )


def train_facts(data_dir: Path, out_dir: Path | None = None) -> dict[str, int]:
    """Write the derived fact word lists into `out_dir` (default: the package's lang/hi folder)."""
    conllu = data_dir / "ud-hindi-pud" / "hi_pud-ud-test.conllu"
    if not conllu.is_file():
        raise InputError(f"{conllu}: missing (khabar train facts needs ../shared/data; set KHABAR_DATA)")
    forms = read_verb_forms(conllu)
    target = (out_dir or data_path("verb_forms_gen.txt").parent) / "verb_forms_gen.txt"
    header = (
        "# Word forms UD Hindi PUD (CC BY-SA 3.0) tags VERB or AUX more often than anything else;\n"
        "# built by `khabar train facts` from ../shared/data.\n"
    )
    target.write_text(header + "".join(f"{w}\n" for w in forms), encoding="utf-8")
    return {"verb_forms": len(forms)}
