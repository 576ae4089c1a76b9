"""Set the romaniser's reranking weights (`khabar.analysis.translit.RerankWeights`) on the dev split.

Coordinate ascent over a grid: each weight in turn takes the grid value that most raises the exact match
of whole names (as `khabar eval romanize` counts it) on the dev split of the name pairs, with the others
fixed, for a few rounds. The test split is never read. Prints the figures per round and the chosen
weights as JSON; the chosen weights are copied into `translit.WEIGHTS` by hand.

    python -m khabar.eval.romanize_tune --rounds 2
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path
from typing import Any

from khabar.analysis.translit import STYLES, WEIGHTS, Reranking
from khabar.train.names import NamePair, read_name_pairs, split_of

GRID: dict[str, tuple[float, ...]] = {
    "own": (0.0, 1.0, 2.0, 3.0, 5.0, 8.0, 12.0, 16.0),
    "other": (0.0, 0.5, 1.0, 2.0, 3.0),
    "english": (0.0, 0.5, 1.0, 2.0, 3.0, 4.0, 6.0),
    "letters": (0.0, 0.2, 0.35, 0.5, 0.75, 1.0),
    "unaligned": (0.0, 5.0, 10.0, 20.0, 40.0),
}


def exact_count(pairs: list[NamePair], weights: Reranking) -> int:
    """Names of `pairs` romanised exactly under `weights`."""
    from khabar.analysis.romanize import romanize
    from khabar.eval.romanize import normalize_latin

    return sum(
        normalize_latin(romanize(p.hindi, weights=weights)) == normalize_latin(p.english) for p in pairs
    )


def tune(
    data: Path, rounds: int = 2, start: Reranking = WEIGHTS, styles: tuple[str, ...] = STYLES
) -> dict[str, Any]:
    """Coordinate ascent of the reranking weights of `styles` on the dev split (JSON-ready)."""
    pairs = [
        p for p in read_name_pairs(data) if p.source != "cricketer-surnames" and split_of(p.hindi) == "dev"
    ]
    weights = start
    best = exact_count(pairs, weights)
    history: list[dict[str, Any]] = [{"round": 0, "exact": best}]
    for number in range(1, rounds + 1):
        for style in styles:
            for field, values in GRID.items():
                for value in values:
                    own = dataclasses.replace(weights.of(style), **{field: value})
                    trial = dataclasses.replace(weights, **{style: own})
                    right = exact_count(pairs, trial)
                    if right > best:
                        best, weights = right, trial
        history.append({"round": number, "exact": best})
    return {
        "split": "dev",
        "pairs": len(pairs),
        "exact_match": round(100 * best / len(pairs), 2) if pairs else 0.0,
        "start": dataclasses.asdict(start),
        "weights": dataclasses.asdict(weights),
        "rounds": history,
    }


def main() -> None:
    """Command line: print the tuning figures as JSON."""
    from khabar.config import shared_data_dir

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--styles", default=",".join(STYLES), help="styles whose weights are tuned")
    args = parser.parse_args()
    styles = tuple(s for s in args.styles.split(",") if s)
    print(json.dumps(tune(args.data or shared_data_dir(), args.rounds, styles=styles), indent=2))


if __name__ == "__main__":
    main()
