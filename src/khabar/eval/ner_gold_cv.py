"""Rule choice by cross-validation on a news gold set (`khabar eval ner --gold-jsonl FILE --cv K --ablate`).

IL-NER's annotation leaves many news organisations untagged (भाजपा never occurs in its train, लोकसभा
is O 23 times out of 23), so rules for organisations are also judged on news paragraphs annotated by
the gold guideline. The paragraphs are dealt round-robin into K folds. The full step and the full step
without each rule are scored on every paragraph; then, for each fold, a rule is kept if it gains
(mention micro F1) on the *other* folds, and the fold is scored with the rules so kept. The pooled
score of those held-out folds is the figure of the choice: what rule selection by this set would give
on paragraphs it did not see. Per rule, the report gives its gain on the whole set, its gain per fold
and in how many folds it was kept.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from khabar.eval.ner_gold import GoldParagraph, Spans, read_gold_paragraphs, score_gold

FULL = "full"
NONE = "-all"  # every rule of `rules` off


def _tagger(mode: str | None) -> Callable[[str, frozenset[str]], tuple[str, Spans]]:
    """Tags a paragraph with some rules off; the foundation analysis is done once per paragraph."""
    from khabar.analysis.ner import tag_article
    from khabar.article import Article
    from khabar.pipeline import FOUNDATION_STEPS, analyze

    done: dict[str, Article] = {}

    def tag(text: str, off: frozenset[str]) -> tuple[str, Spans]:
        article = done.get(text)
        if article is None:
            article = done[text] = analyze(text, steps=FOUNDATION_STEPS)
        article = tag_article(article, mode=mode, off=off) if mode else tag_article(article, off=off)
        spans: Spans = [
            (m.start, m.end, str(m.type))
            for m in article.mentions
            if not (m.name and m.source == "pattern" and m.text != m.name and m.type == "LOCATION")
        ]
        return article.text, spans

    return tag


def _micro(paragraphs: Sequence[GoldParagraph], tagged: Mapping[str, tuple[str, Spans]]) -> dict[str, float]:
    result = score_gold(paragraphs, lambda text: tagged[text])
    mentions = result["mentions"]
    assert isinstance(mentions, dict)
    return {kind: float(values["f1"]) for kind, values in mentions.items()}


def gold_cross_validate(
    path: Path,
    rules: Sequence[str],
    folds: int = 5,
    base: frozenset[str] = frozenset(),
    mode: str | None = None,
) -> dict[str, object]:
    """Whole-set and per-fold gains of each rule in `rules` (on top of `base` off), and the held-out
    score of choosing rules by the other folds."""
    paragraphs = read_gold_paragraphs(path)
    tag = _tagger(mode)
    variants = {FULL: base, **{f"-{rule}": base | {rule} for rule in rules if rule not in base}}
    variants[NONE] = base | frozenset(rules)
    tagged = {name: {p.text: tag(p.text, off) for p in paragraphs} for name, off in variants.items()}
    parts = [[p for k, p in enumerate(paragraphs) if k % folds == f] for f in range(folds)]
    rest = [[p for k, p in enumerate(paragraphs) if k % folds != f] for f in range(folds)]
    whole = {name: _micro(paragraphs, t) for name, t in tagged.items()}
    report: dict[str, object] = {"file": str(path), "paragraphs": len(paragraphs), "folds": folds}
    report["whole_set"] = whole
    gains: dict[str, list[float]] = {rule: [] for rule in rules if rule not in base}
    kept: dict[str, int] = dict.fromkeys(gains, 0)
    chosen_tagged: dict[str, tuple[str, Spans]] = {}
    for f in range(folds):
        full_rest = _micro(rest[f], tagged[FULL])["micro"]
        full_held = _micro(parts[f], tagged[FULL])["micro"]
        kept_off = set(base)
        for rule in gains:
            gains[rule].append(round(full_held - _micro(parts[f], tagged[f"-{rule}"])["micro"], 2))
            if full_rest - _micro(rest[f], tagged[f"-{rule}"])["micro"] > 0:
                kept[rule] += 1
            else:
                kept_off.add(rule)
        for p in parts[f]:
            chosen_tagged[p.text] = tag(p.text, frozenset(kept_off))
    per_rule = {
        rule: {
            "whole_set_gain": round(whole[FULL]["micro"] - whole[f"-{rule}"]["micro"], 2),
            "whole_set_org_gain": round(whole[FULL]["ORGANIZATION"] - whole[f"-{rule}"]["ORGANIZATION"], 2),
            "held_out_gain": gains[rule],
            "kept_in_folds": kept[rule],
        }
        for rule in gains
    }
    report["rules"] = per_rule
    report["chosen_by_other_folds"] = _micro(paragraphs, chosen_tagged)
    return report
