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
import re
from collections.abc import Sequence
from dataclasses import dataclass

from khabar.analysis._facts import WORD_CHAR, SentenceSubject
from khabar.analysis.event_args import GROUP_ENDING, Arg, clause_args
from khabar.analysis.event_model import stem
from khabar.article import Article, Span

WHERE = ("clause", "sentence", "previous", "dropped")
# The marker-by-side, type-by-marker and rank features (chosen by cross-validation, docs/facts.md).
ROLE_CUES = True
# The head noun of a genitive candidate and whether a phrase names a group (round 6).
HEAD_CUES = True


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
    rank: int = 0,
    in_clause: int = 0,
) -> dict[str, float]:
    """Features of one target candidate of an event (`rule_target`: the key of the rules' target,
    `source`: of the event's source; `rank`: the candidate's place among the others by where and
    distance, 0 the nearest; `in_clause`: how many candidates the trigger's own clauses hold)."""
    root = cameo[:2]
    if cand.arg is None:
        f = {"null": 1.0, f"null_root={root}": 1.0, f"null_clause={min(in_clause, 3)}": 1.0}
        if rule_target is None:
            f["null_rules_none"] = 1.0
        return f
    a = cand.arg
    kind = a.etype or ("generic" if a.code else "phrase")
    marker = a.marker or "nom"
    ent = article.entity(a.entity) if a.entity else None
    named = len(ent.mentions) if ent is not None else 0
    side = "before" if a.end <= first.start else "after"
    f = {
        f"m={marker}": 1.0,
        f"m_root={marker}:{root}": 1.0,
        f"where={cand.where}": 1.0,
        f"where_m={cand.where}:{marker}": 1.0,
        f"type={kind}": 1.0,
        f"type_root={kind}:{root}": 1.0,
        side: 1.0,
        f"dist={_bucket(cand.distance, (15, 40, 80, 160))}": 1.0,
        f"named={_bucket(named, (0, 1, 3))}": 1.0,
        "log_distance": math.log1p(cand.distance) / 5.0,
    }
    if ROLE_CUES:
        # dependency-like cues: the case marker read with its side of the trigger and the root
        f[f"m_side={marker}:{side}"] = 1.0
        f[f"m_side_root={marker}:{side}:{root}"] = 1.0
        f[f"type_m={kind}:{marker}"] = 1.0
        f[f"where_root={cand.where}:{root}"] = 1.0
        f[f"rank={min(rank, 3)}"] = 1.0
    if HEAD_CUES and a.marker == "gen":
        # "खरगे के आवास पर बैठक": the noun a genitive qualifies says whether it is a participant
        head = re.match(rf"\s*(?:का|की|के)\s+({WORD_CHAR}+)", article.text[a.end : a.end + 40])
        if head:
            f[f"gen_head={stem(head.group(1))}"] = 1.0
    if HEAD_CUES and kind == "phrase":
        # a group of people ("अभ्यर्थियों पर") against a thing or a body named by a phrase ("कवायदों पर")
        surface = article.text[a.start : a.end].split()
        f[f"phrase_group={bool(surface and GROUP_ENDING.search(surface[-1]))}"] = 1.0
    if rule_target is not None and a.key == rule_target:
        f["rules_target"] = 1.0
    if source is not None and a.key == source:
        f["is_source"] = 1.0
        f[f"is_source_root={root}"] = 1.0
    if a.joined:
        f["joined"] = 1.0
    return f


def ranks(cands: Sequence[TargetCandidate]) -> list[int]:
    """Each candidate's place among the arguments by where it was found, then distance (0 the nearest;
    the no-target candidate gets 0)."""
    order = sorted(
        (k for k, c in enumerate(cands) if c.arg is not None),
        key=lambda k: (WHERE.index(cands[k].where), cands[k].distance),
    )
    out = [0] * len(cands)
    for r, k in enumerate(order):
        out[k] = r
    return out


def choose(
    weights: dict[str, float], feats: Sequence[dict[str, float]], allowed: Sequence[bool] | None = None
) -> int:
    """The index of the best-scoring candidate (among the `allowed` ones; the first, no target, is
    always allowed)."""
    scores = [sum(weights.get(k, 0.0) * v for k, v in f.items()) for f in feats]
    keep = [k for k in range(len(scores)) if allowed is None or allowed[k] or k == 0]
    return max(keep, key=lambda k: (scores[k], -k))
