"""Hindi quantities: khabar's extractor against a small hand-written gold set.

Reads `bench/data/quantities_gold.tsv` (sentence, expected `value|op|unit` items). Numbers inside
date expressions are excluded as in the pipeline (publication date 2026-01-06). Prints JSON with
precision/recall/F1 of exact (value, op, unit) triples and of values alone, and the op and unit
accuracy on value matches.

Example: .venv/bin/python bench/bench_quantities.py --errors
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from datetime import date
from pathlib import Path

from khabar.analysis.dates import find_dates
from khabar.analysis.numbers import find_quantities
from khabar.clean.normalize import normalize_text

GOLD = Path(__file__).resolve().parent / "data" / "quantities_gold.tsv"
PUBLISHED = date(2026, 1, 6)

Item = tuple[float, str, str]


def read_gold(path: Path) -> list[tuple[str, list[Item]]]:
    """(normalised sentence, expected items) pairs."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        sentence, _, expected = line.partition("\t")
        items: list[Item] = []
        for part in filter(None, (p.strip() for p in expected.split(";"))):
            value, op, unit = part.split("|")
            items.append((float(value), op, normalize_text(unit)))
        out.append((normalize_text(sentence), items))
    return out


def predict(sentence: str) -> list[Item]:
    """khabar's quantities for one sentence, as (value, op, unit or "-")."""
    exclude = [(d.start, d.end) for d in find_dates(sentence, PUBLISHED)]
    return [(q.value, q.op, q.unit or "-") for q in find_quantities(sentence, exclude=exclude)]


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 1.0
    r = tp / n_gold if n_gold else 1.0
    return {
        "precision": round(p, 3),
        "recall": round(r, 3),
        "f1": round(2 * p * r / (p + r) if p + r else 0.0, 3),
    }


def evaluate(gold: list[tuple[str, list[Item]]]) -> tuple[dict[str, object], list[dict[str, object]]]:
    """Scores over the set and the sentences with any difference."""
    n_pred = n_gold = exact = by_value = op_ok = unit_ok = 0
    errors: list[dict[str, object]] = []
    for sentence, expected in gold:
        got = predict(sentence)
        n_pred += len(got)
        n_gold += len(expected)
        free = list(got)
        for value, op, unit in expected:
            match = next((g for g in free if math.isclose(g[0], value, rel_tol=1e-9)), None)
            if match is None:
                continue
            free.remove(match)
            by_value += 1
            op_ok += match[1] == op
            unit_ok += match[2] == unit
            exact += match[1] == op and match[2] == unit
        if sorted(got) != sorted(expected):
            errors.append({"sentence": sentence, "expected": expected, "predicted": got})
    scores: dict[str, object] = {
        "sentences": len(gold),
        "gold_quantities": n_gold,
        "predicted": n_pred,
        "exact": _prf(exact, n_pred, n_gold),
        "value_only": _prf(by_value, n_pred, n_gold),
        "op_accuracy_on_value_matches": round(op_ok / by_value, 3) if by_value else None,
        "unit_accuracy_on_value_matches": round(unit_ok / by_value, 3) if by_value else None,
    }
    return scores, errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--errors", action="store_true", help="also list the sentences that differ")
    args = parser.parse_args(argv)
    scores, errors = evaluate(read_gold(args.gold))
    if args.errors:
        scores["errors"] = errors
    json.dump(scores, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
