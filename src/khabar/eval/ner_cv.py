"""Cross-validation of the whole NER recipe on IL-NER train (`khabar eval ner --cv 5`).

Each fold is scored by a model built exactly as `khabar train ner` builds the shipped one, but from the
other folds only: the lexicons derived from the training labels (common words, training-entity
gazetteer, organisation words), the jackknifed features and the CRF are rebuilt per fold in a folder
of their own, read through `khabar.lang.hi.overlay`, so no held-out label reaches the model or the
rules. Folds are runs of 20 consecutive sentences dealt round-robin (deterministic; a run of one
document's sentences stays in one fold, as on unseen news). Several seeds retrain with other perceptron shuffles; rule variants
(`off` sets of `khabar.analysis.ner.RULES`) are scored on the same fold models. With `dev`, a model
built from all of train is scored on IL-NER dev as well, as a final check beside the CV figure.
"""

from __future__ import annotations

import contextlib
import json
import logging
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from statistics import mean
from typing import Any

from khabar.eval.ner import TYPES, NerScores, TaggedSentence, read_tagged_sentences

log = logging.getLogger(__name__)

FULL = "full"
MODEL = "model"


@dataclass(frozen=True, slots=True)
class CvSettings:
    """What to cross-validate: folds, seeds, perceptron passes, rule variants, NER mode, dev check."""

    folds: int = 5
    seeds: tuple[int, ...] = (1,)
    iterations: int | None = None
    variants: Mapping[str, frozenset[str]] = field(default_factory=lambda: {FULL: frozenset()})
    dev: bool = False
    mode: str = "plain"
    predictions: Path | None = None  # token<TAB>gold<TAB>predicted of the full step, first seed


def _memo(tagger: Callable[[list[str]], list[str]]) -> Callable[[list[str]], list[str]]:
    """The tagger with its answers kept per sentence (rule variants reuse the model's tags)."""
    seen: dict[tuple[str, ...], list[str]] = {}

    def tag(tokens: list[str]) -> list[str]:
        key = tuple(tokens)
        if key not in seen:
            seen[key] = tagger(tokens)
        return list(seen[key])

    return tag


def score_recipe(
    data_dir: Path,
    train: Sequence[TaggedSentence],
    held: Sequence[TaggedSentence],
    settings: CvSettings,
    seed: int,
    work: Path,
    vectors: Mapping[tuple[str, ...], Any] | None = None,
    lines: list[str] | None = None,
) -> dict[str, NerScores]:
    """Build the NER from `train` into `work` and score the model alone and each rule variant on `held`
    (the full step's predictions are appended to `lines` if given)."""
    from khabar.analysis.ner import tag_tokens
    from khabar.lang.hi import data_path, overlay
    from khabar.train import ner as trainer

    if settings.mode != "plain":
        from khabar.analysis.ner_features import fold_key
        from khabar.train.ner_vectors import extra_words, restrict_clusters

        known = {fold_key(t) for s in train for t in s.tokens}
        known |= {fold_key(w) for phrase in extra_words() for w in phrase.split()}
        unseen = {fold_key(t) for s in held for t in s.tokens} - known
        restrict_clusters(data_path("ner_word_clusters_gen.tsv"), work / "ner_word_clusters_gen.tsv", unseen)
    with overlay(work):
        model_path = trainer.build_model(
            data_dir, train, work, settings.iterations, seed, settings.mode, vectors
        )
        model = _memo(trainer.model_tagger(model_path, mode=settings.mode, vectors=vectors))
        scores = {MODEL: NerScores(), **{name: NerScores() for name in settings.variants}}
        for sent in held:
            scores[MODEL].add(sent.tags, model(sent.tokens))
        for name, off in settings.variants.items():
            for sent in held:
                predicted = tag_tokens(sent.tokens, model, off)
                scores[name].add(sent.tags, predicted)
                if name == FULL and lines is not None:
                    lines.extend(
                        f"{t}\t{g}\t{p}" for t, g, p in zip(sent.tokens, sent.tags, predicted, strict=True)
                    )
                    lines.append("")
    return scores


def _f1s(scores: NerScores) -> dict[str, float]:
    return {kind: values["f1"] for kind, values in scores.to_dict().items()}


def _pooled_f1s(pooled: Mapping[str, NerScores]) -> dict[str, dict[str, float]]:
    """F1 per type (and micro) of each variant, rounded, for the progress log."""
    return {name: {kind: round(f, 2) for kind, f in _f1s(sc).items()} for name, sc in pooled.items()}


def _summary(runs: Sequence[Mapping[str, NerScores]]) -> dict[str, dict[str, dict[str, float]]]:
    """Per variant and type: F1 mean, min and max over seeds."""
    out: dict[str, dict[str, dict[str, float]]] = {}
    for name in runs[0]:
        per_seed = [_f1s(run[name]) for run in runs]
        out[name] = {
            kind: {
                "mean": round(mean(f[kind] for f in per_seed), 2),
                "min": min(f[kind] for f in per_seed),
                "max": max(f[kind] for f in per_seed),
            }
            for kind in (*TYPES, "micro")
        }
    return out


def _gains(summary: Mapping[str, Mapping[str, Mapping[str, float]]]) -> dict[str, float]:
    """Mean micro F1 the full step loses without each rule variant (the rule's gain)."""
    full = summary[FULL]["micro"]["mean"]
    return {
        name: round(full - values["micro"]["mean"], 2)
        for name, values in summary.items()
        if name not in (FULL, MODEL)
    }


def cross_validate(data_dir: Path, settings: CvSettings) -> dict[str, object]:
    """Cross-validated (and optionally dev) scores of the recipe, as a JSON-ready dict."""
    began = time.monotonic()
    il_ner = data_dir / "il-ner"
    train = read_tagged_sentences(il_ner / "train.txt")
    from khabar.train.ner import fold_indices

    folds = fold_indices(len(train), settings.folds)
    cv_runs: list[dict[str, NerScores]] = []
    dev_runs: list[dict[str, NerScores]] = []
    dev = read_tagged_sentences(il_ner / "dev.txt") if settings.dev else []
    with contextlib.ExitStack() as stack:
        vectors = _prepare_vectors(settings.mode, train, dev, stack)
        _run_seeds(data_dir, train, dev, folds, settings, vectors, cv_runs, dev_runs)
    return _report(settings, train, cv_runs, dev_runs, began)


def _prepare_vectors(
    mode: str, train: Sequence[TaggedSentence], dev: Sequence[TaggedSentence], stack: contextlib.ExitStack
) -> dict[tuple[str, ...], Any] | None:
    """For `fast`/`accurate`: the vector tables (built from all of train, without labels) read
    through an overlay for the whole run, and for `accurate` the encoder vectors of every sentence."""
    if mode == "plain":
        return None
    from khabar.lang.hi import overlay
    from khabar.train import ner_vectors

    tables = ner_vectors.cached_tables(train, context=mode == "accurate")
    stack.enter_context(overlay(tables))
    if mode != "accurate":
        return None
    return ner_vectors.sentence_vectors([s.tokens for s in (*train, *dev)])


def _run_seeds(
    data_dir: Path,
    train: Sequence[TaggedSentence],
    dev: Sequence[TaggedSentence],
    folds: Sequence[Sequence[int]],
    settings: CvSettings,
    vectors: Mapping[tuple[str, ...], Any] | None,
    cv_runs: list[dict[str, NerScores]],
    dev_runs: list[dict[str, NerScores]],
) -> None:
    lines: list[str] | None = [] if settings.predictions is not None else None
    for seed in settings.seeds:
        pooled: dict[str, NerScores] = {}
        for k, fold in enumerate(folds):
            held_set = set(fold)
            rest = [s for i, s in enumerate(train) if i not in held_set]
            with tempfile.TemporaryDirectory(prefix="khabar-cv-") as tmp:
                held = [train[i] for i in fold]
                scores = score_recipe(data_dir, rest, held, settings, seed, Path(tmp), vectors, lines)
            for name, sc in scores.items():
                pooled.setdefault(name, NerScores()).merge(sc)
            log.info(
                "seed %d fold %d: full %.2f", seed, k, _f1s(scores[FULL])["micro"] if FULL in scores else 0
            )
            # the pooled scores so far, so that a run stopped before its end still reports its folds
            log.info("seed %d folds 0-%d pooled: %s", seed, k, json.dumps(_pooled_f1s(pooled)))
        cv_runs.append(pooled)
        if settings.predictions is not None and lines is not None:
            settings.predictions.write_text("\n".join(lines), encoding="utf-8")
            lines = None
        if dev:
            with tempfile.TemporaryDirectory(prefix="khabar-dev-") as tmp:
                dev_runs.append(score_recipe(data_dir, train, dev, settings, seed, Path(tmp), vectors))


def _report(
    settings: CvSettings,
    train: Sequence[TaggedSentence],
    cv_runs: Sequence[dict[str, NerScores]],
    dev_runs: Sequence[dict[str, NerScores]],
    began: float,
) -> dict[str, object]:
    cv = _summary(cv_runs)
    result: dict[str, object] = {
        "date": time.strftime("%Y-%m-%d"),
        "mode": settings.mode,
        "folds": settings.folds,
        "seeds": list(settings.seeds),
        "sentences": len(train),
        "cv": cv,
        "cv_gain": _gains(cv),
        "cv_runs": [{name: sc.to_dict() for name, sc in run.items()} for run in cv_runs],
    }
    if dev_runs:
        dev_summary = _summary(dev_runs)
        result["dev"] = dev_summary
        result["dev_gain"] = _gains(dev_summary)
    result["seconds"] = round(time.monotonic() - began, 1)
    return result
