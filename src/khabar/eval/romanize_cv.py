"""Cross-validation of the romaniser's settings on the train split of the name pairs.

The train split of `khabar.train.names.split_of` is cut into folds by a second hash of the Hindi name;
for each setting (n-gram order, discount) and fold, the models and word tables are trained on the other
folds (with all of Dakshina's train file and the curated people, as `khabar train names` does) into a
temporary folder, and the held-out fold's name pairs are romanised with them: exact match as in
`khabar eval romanize`. The dev and test splits are never touched, so a setting chosen here can be
reported on them.

    python -m khabar.eval.romanize_cv --folds 3 --orders 3,4,5 --discounts 0.5,0.8
"""

from __future__ import annotations

import argparse
import hashlib
import json
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from khabar.train.names import NamePair, dakshina_words, read_name_pairs, split_of


def fold_of(hindi: str, folds: int) -> int:
    """The CV fold of a train-split name pair (a hash independent of the train/dev/test split)."""
    digest = hashlib.sha256(("cv:" + unicodedata.normalize("NFC", hindi)).encode("utf-8")).hexdigest()
    return int(digest, 16) % folds


@contextmanager
def romanizer_tables(folder: Path) -> Iterator[None]:
    """Make the romaniser read its model, word table and style classifier from `folder` (a
    `khabar.lang.hi.overlay`, with the romaniser's own caches cleared on entry and exit)."""
    from khabar.analysis import english_names, romanize, translit
    from khabar.lang.hi import overlay

    caches = (
        translit.load_models,
        translit.load_style_counts,
        translit.load_style_lexicon,
        translit.candidates,
        english_names.load_english_tokens,
        english_names.load_letter_model,
        english_names.english_logprob,
        translit.load_style_classifier,
        translit.style_scores,
        translit.transliterate,
        romanize.load_lexicon,
    )

    def clear() -> None:
        for fn in caches:
            fn.cache_clear()

    with overlay(folder):
        clear()
        try:
            yield
        finally:
            clear()


def exact_rate(pairs: list[NamePair]) -> tuple[int, int]:
    """(exact, total) of the current romaniser on name pairs (as `khabar eval romanize` counts)."""
    from khabar.analysis.romanize import romanize
    from khabar.eval.romanize import normalize_latin

    exact = sum(normalize_latin(romanize(p.hindi)) == normalize_latin(p.english) for p in pairs)
    return exact, len(pairs)


def cross_validate(
    data: Path, folds: int = 3, orders: tuple[int, ...] = (4,), discounts: tuple[float, ...] = (0.5,)
) -> dict[str, Any]:
    """Exact match per setting, pooled over the folds of the train split (JSON-ready)."""
    from khabar.train.names import _wikidata_rows
    from khabar.train.translit import train_style_classifier, train_translit

    pairs = read_name_pairs(data)
    train = [p for p in pairs if split_of(p.hindi) == "train"]
    dakshina = dakshina_words(data)
    labels = [(hindi, english) for _qid, english, hindi in _wikidata_rows(data)]
    results: list[dict[str, Any]] = []
    for order in orders:
        for discount in discounts:
            exact = total = 0
            for fold in range(folds):
                fit = [p for p in train if fold_of(p.hindi, folds) != fold]
                held = [
                    p for p in train if fold_of(p.hindi, folds) == fold and p.source != "cricketer-surnames"
                ]
                with tempfile.TemporaryDirectory() as tmp:
                    folder = Path(tmp)
                    train_translit(fit, dakshina, folder, order, discount, extra_english=labels)
                    train_style_classifier(fit, data, folder)
                    with romanizer_tables(folder):
                        right, n = exact_rate(held)
                exact += right
                total += n
            results.append(
                {
                    "order": order,
                    "discount": discount,
                    "held_out_pairs": total,
                    "exact_match": round(100 * exact / total, 2) if total else 0.0,
                }
            )
    best = max(results, key=lambda r: r["exact_match"]) if results else None
    return {"folds": folds, "settings": results, "best": best}


def main() -> None:
    """Command line: print the cross-validation figures as JSON."""
    from khabar.config import shared_data_dir

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--orders", default="3,4,5")
    parser.add_argument("--discounts", default="0.5,0.8")
    args = parser.parse_args()
    result = cross_validate(
        args.data or shared_data_dir(),
        args.folds,
        tuple(int(x) for x in args.orders.split(",")),
        tuple(float(x) for x in args.discounts.split(",")),
    )
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
