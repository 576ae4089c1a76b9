"""An extractive summary: two or three sentences of the article's kept paragraphs, in text order.

Each paragraph sentence (headings, boilerplate and duplicates are never used; nor are questions or
sentences shorter than `MIN_WORDS` words) gets a score:

- lead position: `LEAD_WEIGHT / (1 + rank)` where rank is the sentence's position among candidates;
- entity centrality: for each distinct entity mentioned, its share of all entity mentions;
- event centrality: for each event mentioned, its share of all event mentions, times `EVENT_WEIGHT`;
- a small bonus for facts (a resolved date, a quantity or a quote).

The best sentences are taken greedily, skipping one whose words overlap a chosen one by more than
`MAX_OVERLAP` (Jaccard), then put back in text order. Three sentences when the article has at least
`LONG_ARTICLE` candidate sentences, else two.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from khabar.analysis._facts import WORD_CHAR, entity_of, mentions_starting_in
from khabar.article import Article, Sentence

# Weights set by hand on the seed article (not fitted): the lead sentence should win unless a later
# one carries clearly more of the story's entities and events.
LEAD_WEIGHT = 1.0
EVENT_WEIGHT = 1.0
FACT_BONUS = 0.1
MIN_WORDS = 6
MAX_OVERLAP = 0.6
LONG_ARTICLE = 8


def _words(article: Article, sent: Sentence) -> set[str]:
    return set(re.findall(rf"{WORD_CHAR}+", article.text[sent.start : sent.end]))


def _candidates(article: Article) -> list[Sentence]:
    kinds = {b.index: b.kind for b in article.blocks}
    out = []
    for sent in article.sentences:
        if sent.block is not None and kinds.get(sent.block) != "paragraph":
            continue
        body = article.text[sent.start : sent.end].strip()
        if body.endswith("?") or len(re.findall(rf"{WORD_CHAR}+", body)) < MIN_WORDS:
            continue
        out.append(sent)
    return out


def score_sentences(article: Article) -> list[tuple[float, Sentence]]:
    """(score, sentence) for each candidate sentence, in text order."""
    cands = _candidates(article)
    ent_count: dict[str, int] = {}
    for m in article.mentions:
        ent = entity_of(article, m)
        if ent:
            ent_count[ent] = ent_count.get(ent, 0) + 1
    total_ent = sum(ent_count.values()) or 1
    total_ev = sum(len(ev.mentions) for ev in article.events) or 1
    fact_starts = sorted(
        [d.start for d in article.dates]
        + [q.start for q in article.quantities]
        + [q.start for q in article.quotes]
    )
    # Each event once per sentence: the sorted starts of its trigger mentions, and which event each is.
    event_marks = sorted((sp.start, k) for k, ev in enumerate(article.events) for sp in ev.mentions)
    event_starts = [start for start, _ in event_marks]
    scored = []
    for rank, sent in enumerate(cands):
        score = LEAD_WEIGHT / (1 + rank)
        ents = {
            e
            for m in mentions_starting_in(article, sent.start, sent.end)
            if (e := entity_of(article, m)) is not None
        }
        score += sum(ent_count[e] for e in ents) / total_ent
        lo, hi = bisect_left(event_starts, sent.start), bisect_left(event_starts, sent.end)
        for k in sorted({k for _, k in event_marks[lo:hi]}):
            score += EVENT_WEIGHT * len(article.events[k].mentions) / total_ev
        first_fact = bisect_left(fact_starts, sent.start)
        if first_fact < len(fact_starts) and fact_starts[first_fact] < sent.end:
            score += FACT_BONUS
        scored.append((score, sent))
    return scored


def summarize(article: Article) -> Article:
    """Set `article.summary` to 2-3 sentence texts chosen from kept paragraphs, in text order."""
    scored = score_sentences(article)
    want = 3 if len(scored) >= LONG_ARTICLE else 2
    chosen: list[Sentence] = []
    for _, sent in sorted(scored, key=lambda x: (-x[0], x[1].start)):
        words = _words(article, sent)
        if any(
            len(words & (other := _words(article, c))) / max(1, len(words | other)) > MAX_OVERLAP
            for c in chosen
        ):
            continue
        chosen.append(sent)
        if len(chosen) == want:
            break
    article.summary = [article.text[s.start : s.end].strip() for s in sorted(chosen, key=lambda s: s.start)]
    return article
