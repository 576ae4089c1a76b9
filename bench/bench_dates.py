"""Hindi date expressions: khabar against dateparser's `search_dates` on the same sentences.

Reads `bench/data/dates_gold.tsv` (category, sentence, publication date, expression, gold ISO value,
grain). Both systems get the same normalised sentence and the publication date (dateparser as
`RELATIVE_BASE`). A gold expression counts as *found* when a prediction overlaps it and as *correct*
when that prediction's date equals the gold one at the gold grain (day; ISO week; month; year).
Speed is expressions per second: `--repeat` timed passes over the whole set, alternating the two
systems in the same run; the medians and the median per-pass ratio are reported.

By default dateparser gets only `RELATIVE_BASE` (as the issue asks); `--dmy` adds DATE_ORDER=DMY, the
Indian day/month order khabar assumes for 7/1/2026.

Example: .venv/bin/python bench/bench_dates.py --repeat 3
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from khabar.analysis.dates import find_dates
from khabar.clean.normalize import normalize_text

GOLD = Path(__file__).resolve().parent / "data" / "dates_gold.tsv"

Prediction = tuple[int, int, date | None]


@dataclass(frozen=True, slots=True)
class Case:
    category: str
    sentence: str
    published: date
    start: int
    end: int
    gold: date
    grain: str


def read_gold(path: Path) -> list[Case]:
    """The gold cases, with the expression located in the normalised sentence."""
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        category, sentence, published, expr, gold, grain = line.split("\t")
        sentence, expr = normalize_text(sentence), normalize_text(expr)
        start = sentence.index(expr)
        cases.append(
            Case(
                category,
                sentence,
                date.fromisoformat(published),
                start,
                start + len(expr),
                date.fromisoformat(gold),
                grain,
            )
        )
    return cases


def predict_khabar(case: Case) -> list[Prediction]:
    """khabar's date expressions for one case."""
    return [
        (d.start, d.end, date.fromisoformat(d.value) if d.value else None)
        for d in find_dates(case.sentence, case.published)
    ]


def predict_dateparser(case: Case, dmy: bool = False) -> list[Prediction]:
    """dateparser's `search_dates` for one case, located in the sentence (`dmy`: DATE_ORDER=DMY)."""
    from dateparser.search import search_dates

    base = datetime(case.published.year, case.published.month, case.published.day, 12, 0)
    settings: dict[str, object] = {"RELATIVE_BASE": base}
    if dmy:
        settings["DATE_ORDER"] = "DMY"
    found = search_dates(case.sentence, languages=["hi"], settings=settings) or []
    out: list[Prediction] = []
    cursor = 0
    for sub, when in found:
        pos = case.sentence.find(sub, cursor)
        if pos < 0:
            pos = case.sentence.find(sub)
        if pos < 0:
            continue
        cursor = pos + len(sub)
        out.append((pos, pos + len(sub), when.date()))
    return out


def same_at_grain(pred: date, gold: date, grain: str) -> bool:
    """Whether two dates agree at a grain."""
    if grain == "week":
        return pred - timedelta(days=pred.weekday()) == gold - timedelta(days=gold.weekday())
    if grain == "month":
        return (pred.year, pred.month) == (gold.year, gold.month)
    if grain == "year":
        return pred.year == gold.year
    return pred == gold


def score(cases: list[Case], predictions: list[list[Prediction]]) -> dict[str, object]:
    """Found/correct counts and accuracy, overall and per category."""
    per: dict[str, list[int]] = {}
    for case, preds in zip(cases, predictions, strict=True):
        hits = [p for p in preds if p[0] < case.end and case.start < p[1]]
        ok = any(v is not None and same_at_grain(v, case.gold, case.grain) for _, _, v in hits)
        for key in ("all", case.category):
            row = per.setdefault(key, [0, 0, 0])
            row[0] += 1
            row[1] += bool(hits)
            row[2] += ok
    return {
        key: {"n": n, "found": found, "correct": correct, "accuracy": round(correct / n, 3)}
        for key, (n, found, correct) in per.items()
    }


def time_pass(system: Callable[[Case], list[Prediction]], cases: list[Case]) -> float:
    """Expressions per second of one pass over the cases."""
    t0 = time.perf_counter()
    for c in cases:
        system(c)
    return len(cases) / (time.perf_counter() - t0)


def compare_speed(
    first: Callable[[Case], list[Prediction]],
    second: Callable[[Case], list[Prediction]],
    cases: list[Case],
    repeat: int,
) -> tuple[float, float, float]:
    """Median expressions/s of each system and the median of per-pass speed ratios; the passes
    alternate so that a busy machine slows both alike."""
    a_rates, b_rates, ratios = [], [], []
    for _ in range(repeat):
        a, b = time_pass(first, cases), time_pass(second, cases)
        a_rates.append(a)
        b_rates.append(b)
        ratios.append(a / b)
    return statistics.median(a_rates), statistics.median(b_rates), statistics.median(ratios)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--repeat", type=int, default=5, help="timed passes over the set (per system)")
    parser.add_argument("--errors", action="store_true", help="also list khabar's wrong cases")
    parser.add_argument("--dmy", action="store_true", help="give dateparser DATE_ORDER=DMY (Indian order)")
    args = parser.parse_args(argv)
    cases = read_gold(args.gold)

    def dateparser_system(c: Case) -> list[Prediction]:
        return predict_dateparser(c, args.dmy)

    k_preds = [predict_khabar(c) for c in cases]  # also the warm-up (tables, dateparser's language data)
    d_preds = [dateparser_system(c) for c in cases]
    k_speed, d_speed, ratio = compare_speed(predict_khabar, dateparser_system, cases, args.repeat)
    import dateparser

    result: dict[str, object] = {
        "expressions": len(cases),
        "khabar": {"scores": score(cases, k_preds), "expressions_per_s": round(k_speed, 1)},
        "dateparser": {
            "version": dateparser.__version__,
            "settings": "RELATIVE_BASE=publication" + (", DATE_ORDER=DMY" if args.dmy else ""),
            "scores": score(cases, d_preds),
            "expressions_per_s": round(d_speed, 1),
        },
        "speed_ratio_khabar_over_dateparser": round(ratio, 1),
        "timed_passes": args.repeat,
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    if args.errors:
        result["khabar_errors"] = [
            {
                "sentence": c.sentence,
                "gold": c.gold.isoformat(),
                "predicted": [(s, e, str(v)) for s, e, v in p],
            }
            for c, p in zip(cases, k_preds, strict=True)
            if not any(
                v is not None and s < c.end and c.start < e and same_at_grain(v, c.gold, c.grain)
                for s, e, v in p
            )
        ]
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
