"""The dates benchmark set and a quality gate on it (khabar only; dateparser runs in bench/)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).resolve().parents[1] / "bench" / "bench_dates.py"
# Pinned baseline: khabar resolved 112/112 of the set on 2026-11-29; fail if it drops below 95%.
MIN_ACCURACY = 0.95


def load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_dates", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_dates"] = module
    spec.loader.exec_module(module)
    return module


def test_gold_set_has_at_least_100_expressions() -> None:
    bench = load_bench()
    cases = bench.read_gold(bench.GOLD)
    assert len(cases) >= 100
    assert {c.category for c in cases} == {"explicit", "weekday", "relative", "month_year"}


def test_khabar_accuracy_on_gold_set_stays_above_baseline() -> None:
    bench = load_bench()
    cases = bench.read_gold(bench.GOLD)
    scores = bench.score(cases, [bench.predict_khabar(c) for c in cases])
    assert scores["all"]["accuracy"] >= MIN_ACCURACY


def test_grain_comparison() -> None:
    bench = load_bench()
    from datetime import date

    assert bench.same_at_grain(date(2026, 1, 8), date(2026, 1, 5), "week")
    assert not bench.same_at_grain(date(2026, 1, 12), date(2026, 1, 5), "week")
    assert bench.same_at_grain(date(2026, 1, 20), date(2026, 1, 1), "month")
