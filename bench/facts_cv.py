"""Cross-validated choices for the event model over both facts gold sets (its training data).

Prepares every article once (the pipeline up to the events), then scores each setting of the event
model's regularisation and thresholds by `k`-fold cross-validation (`train.events.cross_validate`,
article i in fold i mod k) and prints one JSON line per setting:

    .venv/bin/python bench/facts_cv.py                      # the grid
    .venv/bin/python bench/facts_cv.py --l2 1 --threshold 0.5 --keep 0.5
"""

from __future__ import annotations

import argparse
import itertools
import json
import time

from khabar.eval.facts import training_golds
from khabar.eval.facts_gold import read_gold
from khabar.train.events import cross_validate, prepare


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--l2", type=float, nargs="*", default=[0.3, 1.0, 3.0])
    ap.add_argument("--threshold", type=float, nargs="*", default=[0.4, 0.5])
    ap.add_argument("--keep", type=float, nargs="*", default=[0.4, 0.5])
    args = ap.parse_args()
    started = time.time()
    items = prepare([a for path in training_golds() for a in read_gold(path, "all")])
    for l2, threshold, keep in itertools.product(args.l2, args.threshold, args.keep):
        r = cross_validate(items, k=args.folds, l2=l2, threshold=threshold, keep_threshold=keep)
        ev = r["events"]
        row = {
            "l2": l2,
            "threshold": threshold,
            "keep": keep,
            "events_p": ev["precision"],
            "events_r": ev["recall"],
            "events_f1": ev["f1"],
            "actor1": ev["actor1"]["accuracy"],
            "actor2": ev["actor2"]["accuracy"],
            "modality": ev["modality"]["accuracy"],
        }
        print(json.dumps(row), flush=True)
    print(json.dumps({"articles": len(items), "folds": args.folds, "seconds": round(time.time() - started)}))


if __name__ == "__main__":
    main()
