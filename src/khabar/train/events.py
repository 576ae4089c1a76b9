"""Training and cross-validating the event trigger model (`analysis/event_model.py`) on the facts gold set.

- `prepare(gold)`: each gold article analysed by the pipeline (NER, entities, dates, quotes) once.
- `fit(prepared)`: the learned lexicon (stems of the content words inside gold triggers, by CAMEO code,
  and how often each stem occurs at all) and a logistic regression over the features of every candidate
  of every article. A training article's features use the lexicon without that article's own counts
  (leave-one-article-out), so the weights see the lexicon as it stands on an unseen article.
- `cross_validate(prepared, folds)`: articles split into folds by position; each fold analysed with a
  model fitted on the others; the predictions of all folds scored together by `evaluate_facts`.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from khabar.analysis._facts import track_subjects
from khabar.analysis.event_args import Arg
from khabar.analysis.event_mentions import read_candidates
from khabar.analysis.event_model import (
    WORD,
    TriggerModel,
    content_stems,
    fit_logistic,
    fit_softmax,
    is_content,
    stem,
)
from khabar.analysis.events import extract_events
from khabar.article import Article
from khabar.eval.facts import actor_right, analyze_gold, evaluate_facts, event_pairs
from khabar.eval.facts_gold import GoldArticle, Locator

# Regularisation and threshold chosen by 5-fold cross-validation on the facts gold set (docs/facts.md).
L2 = 1.0
THRESHOLD = 0.6
KEEP_THRESHOLD = 0.5
TARGETS = True
# A learned source ranker over the same candidates (chosen by cross-validation, docs/facts.md).
SOURCES = True


@dataclass(slots=True)
class Prepared:
    """A gold article, its analysis and its gold trigger spans in the analysed text."""

    gold: GoldArticle
    article: Article
    triggers: list[tuple[int, int, str]]  # start, end, CAMEO code
    lexicon: dict[str, Counter[str]]
    seen: Counter[str]


def prepare(gold: Sequence[GoldArticle]) -> list[Prepared]:
    """Analyse each gold article and locate its gold triggers."""
    out = []
    for g in gold:
        art = analyze_gold(g)
        loc = Locator(g.text, art.text)
        spans: list[tuple[int, int, str]] = []
        lex: dict[str, Counter[str]] = {}
        for ev in g.events:
            for t in ev.triggers:
                found = loc.find(t)
                if found:
                    spans.append((found[0], found[1], ev.cameo))
                    for st in content_stems(art.text[found[0] : found[1]]):
                        lex.setdefault(st, Counter())[ev.cameo] += 1
        seen: Counter[str] = Counter()
        for w in WORD.findall(art.text):
            if is_content(w):
                seen[stem(w)] += 1
        out.append(Prepared(g, art, spans, lex, seen))
    return out


def _lexicon(items: Sequence[Prepared], leave_out: Prepared | None = None) -> TriggerModel:
    """A model holding only the lexicon of `items` (minus one article's counts)."""
    lex: dict[str, Counter[str]] = {}
    seen: Counter[str] = Counter()
    for p in items:
        if p is leave_out:
            continue
        for st, codes in p.lexicon.items():
            lex.setdefault(st, Counter()).update(codes)
        seen.update(p.seen)
    return TriggerModel(lexicon={k: dict(v) for k, v in lex.items()}, seen=dict(seen))


def samples(
    items: Sequence[Prepared], full: Sequence[Prepared] | None = None
) -> tuple[list[dict[str, float]], list[int]]:
    """Features and labels of every candidate of `items`, each read with the lexicon of `full` (default
    `items`) without its own article."""
    feats: list[dict[str, float]] = []
    labels: list[int] = []
    for p in items:
        model = _lexicon(full or items, leave_out=p)
        art = p.article
        subjects = track_subjects(art)
        for i in range(len(art.sentences)):
            for cand, f, _ in read_candidates(art, i, subjects, model):
                hit = any(
                    s < cand.span.end and cand.span.start < e and code[:2] == cand.root
                    for s, e, code in p.triggers
                )
                feats.append(f)
                labels.append(int(hit))
    return feats, labels


Groups = tuple[list[list[dict[str, float]]], list[int]]


def target_groups(items: Sequence[Prepared], model: TriggerModel) -> tuple[Groups, Groups]:
    """The role candidates of every predicted event that matches a gold event, for the target and the
    source: each event's candidate features with the index of the candidate naming the gold actor (no
    actor: index 0); events whose gold actor is no candidate are left out of that role's groups."""
    targets: Groups = ([], [])
    sources: Groups = ([], [])
    for p in items:
        art = copy.copy(p.article)
        collected: list[list[tuple[Arg | None, dict[str, float], dict[str, float]]]] = []
        extract_events(art, model, collect=collected)
        loc = Locator(p.gold.text, art.text)
        for gi, pi in event_pairs(art, p.gold, loc):
            gold = p.gold.events[gi]
            cands = collected[pi]
            for want, role, groups in ((gold.actor2, "target", targets), (gold.actor1, "source", sources)):
                hit = next(
                    (
                        k
                        for k, c in enumerate(cands)
                        if actor_right(art, want, c[0].actor() if c[0] else None)
                    ),
                    None,
                )
                if hit is not None:
                    groups[0].append([c[1] if role == "target" else c[2] for c in cands])
                    groups[1].append(hit)
    return targets, sources


def fit(
    items: Sequence[Prepared],
    l2: float = L2,
    threshold: float | None = None,
    targets: bool | None = None,
    keep_threshold: float | None = None,
) -> TriggerModel:
    """The trigger model (and unless `targets` is False the target ranker) fitted on `items`."""
    targets = TARGETS if targets is None else targets
    threshold = THRESHOLD if threshold is None else threshold
    keep_threshold = KEEP_THRESHOLD if keep_threshold is None else keep_threshold
    feats, labels = samples(items)
    weights, bias = fit_logistic(feats, labels, l2=l2)
    model = _lexicon(items)
    model.weights, model.bias, model.threshold = weights, bias, threshold
    model.keep_threshold = keep_threshold
    model.meta = {
        "articles": len(items),
        "candidates": len(labels),
        "positives": sum(labels),
        "l2": l2,
    }
    if targets:
        (groups, gold_index), (sgroups, sgold) = target_groups(items, model)
        model.target_weights = fit_softmax(groups, gold_index, l2=l2)
        model.meta["target_events"] = len(groups)
        if SOURCES:
            model.source_weights = fit_softmax(sgroups, sgold, l2=l2)
            model.meta["source_events"] = len(sgroups)
    return model


def train_event_model(gold_paths: Path | Sequence[Path], out: Path | None = None) -> dict[str, Any]:
    """Fit the trigger model and target ranker on every article of the facts gold set(s) (no held-out
    part: the figure for the recipe is its cross-validation) and write it into the package."""
    from khabar.analysis.event_model import MODEL_FILE
    from khabar.eval.facts_gold import read_gold
    from khabar.lang.hi import data_path

    paths = [gold_paths] if isinstance(gold_paths, Path) else list(gold_paths)
    items = prepare([a for path in paths for a in read_gold(path, "all")])
    model = fit(items)
    model.meta["gold"] = ", ".join(f"{p.parent.name}/{p.name}" for p in paths)
    model.meta["note"] = (
        "trained by `khabar train facts` on the project's own facts gold sets (written blind by "
        "helpers from the annotation guideline only)"
    )
    target = out or data_path("models").joinpath(Path(MODEL_FILE).name)
    model.save(target)
    return {"event_model": str(target), **{k: v for k, v in model.meta.items() if k not in ("note",)}}


def folds_of(items: Sequence[Prepared], k: int) -> list[list[Prepared]]:
    """`k` folds by position in the gold file (article i goes to fold i mod k)."""
    return [[p for n, p in enumerate(items) if n % k == f] for f in range(k)]


def cross_validate(
    items: Sequence[Prepared],
    k: int = 5,
    l2: float = L2,
    threshold: float | None = None,
    rules_only: bool = False,
    errors: bool = False,
    keep_threshold: float | None = None,
    targets: bool | None = None,
) -> dict[str, Any]:
    """Scores of the predictions of `k` folds, each analysed with a model fitted on the others
    (`rules_only`: the rules without a model, the baseline)."""
    preds: dict[str, Article] = {}
    for fold in folds_of(items, k):
        rest = [p for p in items if p not in fold]
        model = (
            None
            if rules_only
            else fit(rest, l2=l2, threshold=threshold, targets=targets, keep_threshold=keep_threshold)
        )
        for p in fold:
            art = copy.copy(p.article)
            extract_events(art, model, rules_only=rules_only)
            preds[p.gold.id] = art
    return evaluate_facts([p.gold for p in items], preds, errors=errors)
