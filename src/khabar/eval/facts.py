"""`khabar eval facts`: quotes, events and dates against the facts gold set.

Matching rules (docs/facts.md has the full text):

- quotes: a predicted quote matches a gold quote when their character overlap is at least half of
  the shorter span; matching is one-to-one, largest overlap first. Speaker accuracy is over matched
  quotes: right when both say "no speaker", or the predicted speaker's names (Hindi name, aliases,
  mention texts, English name) match the gold `speaker_name`/`speaker` by name tokens, or one of its
  mentions overlaps the gold speaker span.
- events: a predicted event matches a gold event when one of its trigger mentions overlaps one of the
  gold triggers and the CAMEO roots are equal; one-to-one, so an action split into several events
  counts every extra one as a false positive. Actor1/actor2 accuracy, modality accuracy and code
  accuracy are over matched events (null = null is right).
- dates: a gold date is right when a predicted date overlaps its text with the same value at the gold
  grain (and the same last day for a range).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from khabar.analysis.namekey import name_key
from khabar.article import Actor, Article, DateExpr, Event, Quote, at_grain
from khabar.errors import InputError
from khabar.eval.facts_gold import GoldArticle, GoldDate, GoldQuote, Locator
from khabar.eval.text import Score

Span = tuple[int, int]


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def name_tokens(name: str) -> frozenset[str]:
    """Comparable tokens of a name in either script: the name key's tokens (Devanagari spelling
    variants meet), Latin lower-cased, titles and initials of one letter dropped."""
    key = name_key(re.sub(r"[^\w\s\u0900-\u097f]", " ", name))
    return frozenset(t for t in key.split() if len(t) > 1)


def names_match(gold: str, candidates: Iterable[str]) -> bool:
    """Whether a gold name and one of the candidate names name the same actor: one's tokens are a
    subset of the other's (मोदी ~ नरेंद्र मोदी, Modi ~ Narendra Modi)."""
    g = name_tokens(gold)
    if not g:
        return False
    for cand in candidates:
        c = name_tokens(cand)
        if c and (g <= c or c <= g):
            return True
    return False


def entity_names(article: Article, entity_id: str | None) -> list[str]:
    """Every name an entity goes by in an article (empty for None or an unknown id)."""
    ent = article.entity(entity_id) if entity_id else None
    if ent is None:
        return []
    names = [ent.name, ent.name_en, *ent.aliases]
    names += [m.name or m.text for m in ent.mentions]
    return [n for n in names if n]


def actor_names(article: Article, actor: Actor | None) -> list[str]:
    """The names of an event actor: its entity's names, else its text and English name."""
    if actor is None:
        return []
    names = entity_names(article, actor.entity)
    return names + [n for n in (actor.text, actor.name_en) if n]


def _match(
    gold: Sequence[Any], pred: Sequence[Any], score: Callable[[Any, Any], float]
) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, pred index) with a positive score, best first."""
    cands = sorted(
        ((-s, gi, pi) for gi, g in enumerate(gold) for pi, p in enumerate(pred) if (s := score(g, p)) > 0)
    )  # best score first; on a tie the earlier gold item and the earlier prediction
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, gi, pi in cands:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs.append((gi, pi))
    return sorted(pairs)


@dataclass(slots=True)
class Tally:
    """Counts of one layer over the whole set, plus the error list."""

    gold: int = 0
    predicted: int = 0
    correct: int = 0
    checks: dict[str, list[int]] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def check(self, name: str, ok: bool) -> None:
        right, total = self.checks.setdefault(name, [0, 0])
        self.checks[name] = [right + int(ok), total + 1]

    def to_dict(self) -> dict[str, Any]:
        out = Score(self.gold, self.predicted, self.correct).to_dict()
        for name, (right, total) in sorted(self.checks.items()):
            out[name] = {"accuracy": round(right / total, 4) if total else None, "right": right, "of": total}
        return out


def _speaker_right(article: Article, loc: Locator, g: GoldQuote, q: Quote) -> bool:
    if g.speaker is None and g.speaker_name is None:
        return q.speaker is None and not q.speaker_text
    if q.speaker is None:
        # a named speaker that is no entity (a group, an organisation the NER missed)
        return bool(q.speaker_text) and any(
            names_match(n, [q.speaker_text or ""]) for n in (g.speaker_name, g.speaker) if n
        )
    names = entity_names(article, q.speaker)
    if any(names_match(n, names) for n in (g.speaker_name, g.speaker) if n):
        return True
    span = loc.find(g.speaker)
    ent = article.entity(q.speaker)
    return bool(span and ent and any(_overlap(span, (m.start, m.end)) for m in ent.mentions))


def score_quotes(article: Article, gold: GoldArticle, loc: Locator, tally: Tally) -> None:
    """Add one article's quotes to the tally."""
    spans = [loc.find(g.content) for g in gold.quotes]
    preds = article.quotes

    def overlap(gi: int, pi: int) -> float:
        span, q = spans[gi], preds[pi]
        if span is None:
            return 0.0
        inter = _overlap(span, (q.start, q.end))
        shorter = min(span[1] - span[0], q.end - q.start)
        return inter / shorter if shorter and inter / shorter >= 0.5 else 0.0

    pairs = _match(range(len(gold.quotes)), range(len(preds)), overlap)
    tally.gold += len(gold.quotes)
    tally.predicted += len(preds)
    tally.correct += len(pairs)
    matched_g = {gi for gi, _ in pairs}
    matched_p = {pi for _, pi in pairs}
    for gi, pi in pairs:
        g, q = gold.quotes[gi], preds[pi]
        ok = _speaker_right(article, loc, g, q)
        tally.check("speaker", ok)
        if g.speaker is None and g.speaker_name is None:
            tally.check("source_kind", (g.source_kind or "other") == (q.source_kind or "other"))
        if not ok:
            ent = article.entity(q.speaker) if q.speaker else None
            got = ent.name_en if ent else (q.speaker_text or q.source_kind)
            tally.errors.append(
                {
                    "article": gold.id,
                    "error": "speaker",
                    "quote": g.content[:80],
                    "gold": g.speaker_name,
                    "got": got,
                }
            )
    for gi, g in enumerate(gold.quotes):
        if gi not in matched_g:
            tally.errors.append(
                {"article": gold.id, "error": "missed", "quote": g.content[:80], "cue": g.cue}
            )
    for pi, q in enumerate(preds):
        if pi not in matched_p:
            tally.errors.append({"article": gold.id, "error": "spurious", "quote": q.text[:80], "cue": q.cue})


def _actor_right(article: Article, gold_name: str | None, actor: Actor | None) -> bool:
    if gold_name is None:
        return actor is None
    return names_match(gold_name, actor_names(article, actor))


def _event_text(article: Article, ev: Event) -> str:
    return f"{ev.cameo} {ev.trigger_text} ({len(ev.mentions)} mentions, {ev.modality})"


def event_pairs(
    article: Article, gold: GoldArticle, loc: Locator, same_root: bool = True
) -> list[tuple[int, int]]:
    """Matched (gold event, predicted event) index pairs: a shared trigger mention and, with
    `same_root`, the same CAMEO root; one-to-one, most shared mentions first."""
    gspans = [[s for t in g.triggers if (s := loc.find(t))] for g in gold.events]
    preds = article.events

    def hits(gi: int, pi: int) -> float:
        g, ev = gold.events[gi], preds[pi]
        if same_root and g.root != ev.root:
            return 0.0
        mentions = ev.mentions or (ev.trigger,)
        return float(sum(1 for s in gspans[gi] for m in mentions if _overlap(s, (m.start, m.end))))

    return _match(range(len(gold.events)), range(len(preds)), hits)


def actor_right(article: Article, gold_name: str | None, actor: Actor | None) -> bool:
    """Whether a predicted actor is the gold one (both None, or their names match)."""
    return _actor_right(article, gold_name, actor)


def score_events(article: Article, gold: GoldArticle, loc: Locator, tally: Tally) -> None:
    """Add one article's events to the tally."""
    preds = article.events
    pairs = event_pairs(article, gold, loc)
    tally.gold += len(gold.events)
    tally.predicted += len(preds)
    tally.correct += len(pairs)
    any_root = event_pairs(article, gold, loc, same_root=False)
    tally.checks.setdefault("trigger_only", [0, 0])
    tally.checks["trigger_only"][0] += len(any_root)
    tally.checks["trigger_only"][1] += len(gold.events)
    for gi, pi in pairs:
        g, ev = gold.events[gi], preds[pi]
        a1 = _actor_right(article, g.actor1, ev.actor1)
        a2 = _actor_right(article, g.actor2, ev.actor2)
        tally.check("actor1", a1)
        tally.check("actor2", a2)
        tally.check("actors_both", a1 and a2)
        tally.check("cameo", g.cameo == ev.cameo)
        tally.check("modality", g.modality == ev.modality)
        if not (a1 and a2) or g.modality != ev.modality:
            tally.errors.append(
                {
                    "article": gold.id,
                    "error": "actors" if not (a1 and a2) else "modality",
                    "event": _event_text(article, ev),
                    "gold": f"{g.actor1} -> {g.actor2} ({g.modality})",
                    "got": " -> ".join((a.name_en if a else "None") for a in (ev.actor1, ev.actor2)),
                }
            )
    matched_g = {gi for gi, _ in pairs}
    matched_p = {pi for _, pi in pairs}
    for gi, g in enumerate(gold.events):
        if gi not in matched_g:
            tally.errors.append(
                {"article": gold.id, "error": "missed", "event": f"{g.cameo} {' / '.join(g.triggers)[:80]}"}
            )
    for pi, ev in enumerate(preds):
        if pi not in matched_p:
            tally.errors.append({"article": gold.id, "error": "spurious", "event": _event_text(article, ev)})


def _key(value: str | None, grain: str) -> str | None:
    """A date value cut to its grain (week: the ISO year and week)."""
    return at_grain(value, grain) if value else None


def _date_right(g: GoldDate, d: DateExpr) -> bool:
    if _key(g.value, g.grain) != _key(d.value, g.grain):
        return False
    return g.end is None or _key(g.end, g.grain) == _key(d.last, g.grain)


def score_dates(article: Article, gold: GoldArticle, loc: Locator, tally: Tally) -> None:
    """Add one article's dates to the tally (predicted: those with a value)."""
    spans = [loc.find(g.text) for g in gold.dates]
    preds = [d for d in article.dates if d.value is not None]

    def overlap(gi: int, pi: int) -> float:
        span = spans[gi]
        return float(_overlap(span, (preds[pi].start, preds[pi].end))) if span else 0.0

    pairs = _match(range(len(gold.dates)), range(len(preds)), overlap)
    tally.gold += len(gold.dates)
    tally.predicted += len(preds)
    matched = {gi: pi for gi, pi in pairs}
    for gi, g in enumerate(gold.dates):
        pi = matched.get(gi)
        d = preds[pi] if pi is not None else None
        ok = d is not None and _date_right(g, d)
        tally.correct += int(ok)
        tally.check("resolved", ok)
        if not ok:
            got = f"{d.value}..{d.last} {d.grain} ({d.rule})" if d else None
            tally.errors.append(
                {
                    "article": gold.id,
                    "error": "date",
                    "text": g.text,
                    "gold": f"{g.value}..{g.end} {g.grain}",
                    "got": got,
                }
            )


def analyze_gold(art: GoldArticle, rules_only: bool = False) -> Article:
    """Run the full pipeline on a gold article's text, as a user would with its publication date
    (`rules_only`: events by the rules alone)."""
    from khabar.pipeline import analyze

    article = analyze(art.text, published=art.published, source=art.id, title=art.title, html=False)
    if rules_only:
        from khabar.analysis.events import extract_events

        extract_events(article, rules_only=True)
    return article


def read_predictions(path: Path) -> dict[str, Article]:
    """Analysed articles (`khabar analyze --format jsonl` output) by id or source."""
    out: dict[str, Article] = {}
    with path.open(encoding="utf-8") as handle:
        for n, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                art = Article.from_dict(json.loads(line))
            except (ValueError, KeyError, TypeError) as exc:
                raise InputError(f"{path}:{n}: not an analysed article ({exc})") from None
            out[art.id] = art
            if art.source:
                out.setdefault(art.source, art)
    return out


def evaluate_facts(
    gold: Sequence[GoldArticle],
    predictions: dict[str, Article] | None = None,
    errors: bool = False,
    rules_only: bool = False,
) -> dict[str, Any]:
    """Scores of quotes, events and dates over gold articles; `predictions` (by article id) replace
    running the pipeline."""
    quotes, events, dates = Tally(), Tally(), Tally()
    parts: dict[str, int] = {}
    for art in gold:
        parts[art.part] = parts.get(art.part, 0) + 1
        pred = predictions.get(art.id) if predictions is not None else analyze_gold(art, rules_only)
        if pred is None:
            raise InputError(f"no prediction for gold article {art.id!r}")
        loc = Locator(art.text, pred.text)
        score_quotes(pred, art, loc, quotes)
        score_events(pred, art, loc, events)
        score_dates(pred, art, loc, dates)
    out: dict[str, Any] = {
        "articles": len(gold),
        "parts": parts,
        "quotes": quotes.to_dict(),
        "events": events.to_dict(),
        "dates": dates.to_dict(),
    }
    if errors:
        out["errors"] = {"quotes": quotes.errors, "events": events.errors, "dates": dates.errors}
    return out


def default_gold() -> Path:
    """The facts gold set shipped with the repository."""
    return Path(__file__).resolve().parents[3] / "bench" / "data" / "gold" / "facts" / "articles.jsonl"


def training_golds() -> list[Path]:
    """The facts gold sets the shipped event model is trained on: the first set and `facts2`, both
    scored once untouched before they became training data (docs/facts.md)."""
    base = default_gold().parents[1]
    return [base / "facts" / "articles.jsonl", base / "facts2" / "articles.jsonl"]
