"""An event's target (Actor2) chosen by a learned ranker among the arguments around its mentions.

The rules (`event_roles.assign_roles`) take the target from the trigger's own clause by case marker.
Annotators, like GDELT's coders, also take it from context: to whom a demand is addressed, whom a
visit was to, the party an accusation is about, often named in the sentence's other clause or in the
sentence before. The ranker scores every candidate — no target, each argument of the mentions' clauses,
of their whole sentences and of the sentence before the first mention — by features of the candidate
(its case marker and the event's CAMEO root, where it stands, how far, before or after the trigger, its
type, how often the article names it, whether the rules chose it or it is the event's source) and keeps
the best (a conditional logit, `fit_softmax`, trained by `khabar train facts` on the facts gold set).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from khabar.analysis._facts import SentenceSubject
from khabar.analysis.event_roles import Arg, clause_args
from khabar.article import Article, Span

WHERE = ("clause", "sentence", "previous", "dropped")


@dataclass(frozen=True, slots=True)
class TargetCandidate:
    """No target (`arg` None) or an argument, where it was found and its distance in characters to
    the nearest trigger mention."""

    arg: Arg | None
    where: str = ""
    distance: int = 0


def target_candidates(
    article: Article,
    mentions: Sequence[tuple[Span, int, tuple[Arg, ...]]],
    subjects: Sequence[SentenceSubject],
    dropped: Arg | None = None,
) -> list[TargetCandidate]:
    """No target, then the distinct arguments (by actor key) of the mentions' clauses, sentences and
    the sentence before the first mention, each at its nearest place."""
    best: dict[str, TargetCandidate] = {}

    def offer(arg: Arg, where: str, span: Span) -> None:
        dist = min(abs(arg.start - span.end), abs(span.start - arg.end))
        old = best.get(arg.key)
        cand = TargetCandidate(arg, where, dist)
        if old is None or (WHERE.index(where), dist) < (WHERE.index(old.where), old.distance):
            best[arg.key] = cand

    for span, i, args in mentions:
        for a in args:
            offer(a, "clause", span)
        sent = article.sentences[i]
        for a in clause_args(article, sent.start, sent.end, subjects[i]):
            offer(a, "sentence", span)
    if dropped is not None and mentions and dropped.key not in best:
        best[dropped.key] = TargetCandidate(dropped, "dropped", 0)
    if mentions:
        span, i, _ = mentions[0]
        if i > 0:
            prev = article.sentences[i - 1]
            for a in clause_args(article, prev.start, prev.end, subjects[i - 1]):
                offer(a, "previous", span)
    return [TargetCandidate(None), *sorted(best.values(), key=lambda c: c.arg.start if c.arg else 0)]


def _bucket(n: int, cuts: Sequence[int]) -> int:
    return next((k for k, c in enumerate(cuts) if n <= c), len(cuts))


def target_features(
    article: Article,
    cand: TargetCandidate,
    cameo: str,
    rule_target: str | None,
    source: str | None,
    first: Span,
) -> dict[str, float]:
    """Features of one target candidate of an event (`rule_target`: the key of the rules' target,
    `source`: of the event's source)."""
    root = cameo[:2]
    if cand.arg is None:
        f = {"null": 1.0, f"null_root={root}": 1.0}
        if rule_target is None:
            f["null_rules_none"] = 1.0
        return f
    a = cand.arg
    kind = a.etype or ("generic" if a.code else "phrase")
    marker = a.marker or "nom"
    ent = article.entity(a.entity) if a.entity else None
    named = len(ent.mentions) if ent is not None else 0
    f = {
        f"m={marker}": 1.0,
        f"m_root={marker}:{root}": 1.0,
        f"where={cand.where}": 1.0,
        f"where_m={cand.where}:{marker}": 1.0,
        f"type={kind}": 1.0,
        f"type_root={kind}:{root}": 1.0,
        "before" if a.end <= first.start else "after": 1.0,
        f"dist={_bucket(cand.distance, (15, 40, 80, 160))}": 1.0,
        f"named={_bucket(named, (0, 1, 3))}": 1.0,
        "log_distance": math.log1p(cand.distance) / 5.0,
    }
    if rule_target is not None and a.key == rule_target:
        f["rules_target"] = 1.0
    if source is not None and a.key == source:
        f["is_source"] = 1.0
    if a.joined:
        f["joined"] = 1.0
    return f


def choose(weights: dict[str, float], feats: Sequence[dict[str, float]]) -> int:
    """The index of the best-scoring candidate."""
    scores = [sum(weights.get(k, 0.0) * v for k, v in f.items()) for f in feats]
    return max(range(len(scores)), key=lambda k: (scores[k], -k))
