"""`khabar eval names`: English names, Wikidata ids and cross-article linking on the entity gold set.

Each gold paragraph is analysed on its own (with its publication date). A gold entity occurrence (one
gid in one paragraph) is *found* when a system mention overlaps one of its gold mentions; the system
entity that overlaps most of them stands for it. Then:

- English names: the system entity's `name_en` against the gold `name_en`, compared on letters and
  digits only, case-insensitive ("J. P. Nadda" = "JP Nadda"); per gold type, over occurrences whose
  entity has a mention with exactly a gold span (`exact_of_matched`, the naming figure), over found
  occurrences (`exact_of_found`, span errors count wrong) and over all (`exact_of_all`, NER misses too);
- Wikidata: share of found occurrences of *prominent* gold entities that get any id (`coverage`), and,
  where the gold gives an id, the share the system matches (`agreement` among those with a system id,
  `correct_of_gold` among all found ones);
- types: share of found occurrences whose system entity has the gold type;
- linking: all paragraphs of the part are ingested into a fresh knowledge base; every occurrence whose
  entity has a mention with exactly a gold span is mapped to its knowledge-base entity, and pairs of
  occurrences are scored: a pair is gold-linked when the gids agree and system-linked when the
  knowledge-base ids agree (pairwise precision and recall; pairs inside one paragraph count too, so a
  wrong merge of two people in one article shows). `linking_all_found` scores every found occurrence
  (a span error such as सीतापुर for "ज़िला अस्पताल सीतापुर" then shows as a false merge with Sitapur).
"""

from __future__ import annotations

import re
import tempfile
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

from khabar.article import Article, Entity
from khabar.clean.normalize import normalize_text
from khabar.eval.entity_gold import EntityGold, GoldMention, GoldParagraph, load_entity_gold

TYPES = ("PERSON", "LOCATION", "ORGANIZATION")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def default_gold_dir() -> Path:
    """`bench/data/gold/entities` of this checkout (or of the current folder)."""
    here = Path("bench/data/gold/entities")
    if here.is_dir():
        return here
    return Path(__file__).resolve().parents[3] / "bench" / "data" / "gold" / "entities"


def english_match_key(name: str | None) -> str:
    """Letters and digits of an English name, lower case, accents dropped: 'J. P. Nadda' → 'jpnadda'."""
    if not name:
        return ""
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _NON_ALNUM.sub("", folded.lower())


@dataclass(slots=True)
class Occurrence:
    """One gold entity in one paragraph and the system entity standing for it (None when missed)."""

    paragraph: str
    gid: str
    entity: Entity | None
    exact_span: bool = False


def locate_mentions(article: Article, mentions: list[GoldMention]) -> list[tuple[GoldMention, int, int]]:
    """Gold mentions located in the article's clean text (normalised surfaces, searched in order)."""
    located: list[tuple[GoldMention, int, int]] = []
    pos = 0
    for mention in mentions:
        surface = normalize_text(mention.text).strip()
        at = article.text.find(surface, pos) if surface else -1
        if at < 0:
            at = article.text.find(surface) if surface else -1
        if at < 0:
            continue
        located.append((mention, at, at + len(surface)))
        pos = at + len(surface)
    return located


def match_occurrences(article: Article, paragraph: GoldParagraph) -> list[Occurrence]:
    """For each gid of the paragraph, the system entity overlapping most of its mentions."""
    spans = [(m.start, m.end, ent) for ent in article.entities for m in ent.mentions]
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    exact: dict[str, set[str]] = defaultdict(set)
    by_id = {ent.id: ent for ent in article.entities}
    order: list[str] = []
    for mention, start, end in locate_mentions(article, paragraph.mentions):
        if mention.gid not in votes:
            order.append(mention.gid)
        votes[mention.gid].update({})
        for s, e, ent in spans:
            if s < end and start < e:
                votes[mention.gid][ent.id] += 1
                if (s, e) == (start, end):
                    exact[mention.gid].add(ent.id)
    for gid in dict.fromkeys(m.gid for m in paragraph.mentions):
        if gid not in votes:
            order.append(gid)
    out: list[Occurrence] = []
    for gid in order:
        counts = votes.get(gid)
        best = counts.most_common(1)[0][0] if counts else None
        out.append(Occurrence(paragraph.id, gid, by_id.get(best) if best else None, best in exact[gid]))
    return out


def _share(numerator: int, denominator: int) -> float:
    return round(100 * numerator / denominator, 2) if denominator else 0.0


def _pairwise(items: list[tuple[str, str]]) -> dict[str, Any]:
    """Pairwise precision/recall of system ids (second) against gold ids (first)."""
    tp = fp = fn = 0
    for (g1, s1), (g2, s2) in combinations(items, 2):
        same_gold, same_sys = g1 == g2, s1 == s2
        tp += same_gold and same_sys
        fp += same_sys and not same_gold
        fn += same_gold and not same_sys
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {
        "items": len(items),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "true_pairs": tp,
        "false_merges": fp,
        "missed_merges": fn,
    }


def _kb_ids(articles: list[Article]) -> dict[tuple[str, str], str]:
    """(article id, local entity id) → knowledge-base entity id, after ingesting into a fresh KB."""
    from khabar.store.kb import KnowledgeBase

    out: dict[tuple[str, str], str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        kb = KnowledgeBase(Path(tmp) / "names-eval.db")
        try:
            for article in articles:
                kb.add_article(article)
            rows = kb.connection.execute("SELECT article_id, local_id, entity_id FROM article_entities")
            out = {(r[0], r[1]): r[2] for r in rows}
        finally:
            kb.close()
    return out


def evaluate_names(
    gold: EntityGold,
    part: str = "dev",
    analyze_fn: Callable[[GoldParagraph], Article] | None = None,
    examples: int = 0,
) -> dict[str, Any]:
    """English-name, Wikidata, type and linking figures on one part of the gold set (JSON-ready)."""
    if analyze_fn is None:
        from khabar.pipeline import analyze

        def analyze_fn(p: GoldParagraph) -> Article:
            return analyze(p.text, published=p.published, source=f"gold:{p.id}")

    paragraphs = gold.part(part)
    articles: list[Article] = []
    occurrences: list[Occurrence] = []
    for paragraph in paragraphs:
        article = analyze_fn(paragraph)
        article.id = f"gold-{paragraph.id}"
        articles.append(article)
        occurrences.extend(match_occurrences(article, paragraph))

    stats: dict[str, Counter[str]] = {t: Counter() for t in TYPES}
    wrong: list[dict[str, Any]] = []
    for occ in occurrences:
        ent = gold.entities[occ.gid]
        row = stats[ent.type]
        row["all"] += 1
        if occ.entity is None:
            continue
        row["found"] += 1
        right = english_match_key(occ.entity.name_en) == english_match_key(ent.name_en)
        row["exact"] += right
        if occ.exact_span:
            row["matched"] += 1
            row["matched_exact"] += right
        row["type_ok"] += occ.entity.type == ent.type
        source = str(getattr(occ.entity, "name_en_source", ""))
        row[f"source:{source}"] += 1
        row[f"exact:{source}"] += right
        if ent.prominent:
            row["prominent"] += 1
            row["prominent_qid"] += bool(occ.entity.wikidata)
        if ent.wikidata:
            row["gold_qid"] += 1
            row["gold_qid_sys"] += bool(occ.entity.wikidata)
            row["gold_qid_ok"] += occ.entity.wikidata == ent.wikidata
        if not right and len(wrong) < examples:
            wrong.append(
                {
                    "paragraph": occ.paragraph,
                    "gid": occ.gid,
                    "gold": ent.name_en,
                    "system": occ.entity.name_en,
                    "source": source,
                    "hindi": occ.entity.name,
                    "type": occ.entity.type,
                    "span_ok": occ.exact_span,
                }
            )

    def figures(rows: list[Counter[str]]) -> dict[str, Any]:
        total: Counter[str] = Counter()
        for r in rows:
            total.update(r)
        sources = {k.split(":", 1)[1]: v for k, v in total.items() if k.startswith("source:")}
        return {
            "occurrences": total["all"],
            "found": total["found"],
            "matched": total["matched"],
            "exact_of_matched": _share(total["matched_exact"], total["matched"]),
            "exact_of_found": _share(total["exact"], total["found"]),
            "exact_of_all": _share(total["exact"], total["all"]),
            "type_agreement": _share(total["type_ok"], total["found"]),
            "wikidata_coverage_prominent": _share(total["prominent_qid"], total["prominent"]),
            "wikidata_agreement": _share(total["gold_qid_ok"], total["gold_qid_sys"]),
            "wikidata_correct_of_gold": _share(total["gold_qid_ok"], total["gold_qid"]),
            "by_source": {
                s: {"entities": n, "exact": _share(total[f"exact:{s}"], n)}
                for s, n in sorted(sources.items())
            },
        }

    kb_of = _kb_ids(articles)

    def items_of(selected: list[Occurrence]) -> list[tuple[str, str]]:
        return [
            (
                occ.gid,
                kb_of.get((f"gold-{occ.paragraph}", occ.entity.id), f"?{occ.paragraph}:{occ.entity.id}"),
            )
            for occ in selected
            if occ.entity is not None
        ]

    matched = [occ for occ in occurrences if occ.exact_span]
    result: dict[str, Any] = {
        "part": part,
        "paragraphs": len(paragraphs),
        "names": {t: figures([stats[t]]) for t in TYPES},
        "all_types": figures(list(stats.values())),
        "linking": _pairwise(items_of(matched)),
        "linking_cross_paragraph": _pairwise_cross(matched, kb_of),
        "linking_all_found": _pairwise(items_of(occurrences)),
    }
    if examples:
        result["errors"] = wrong
    return result


def _pairwise_cross(occurrences: list[Occurrence], kb_of: dict[tuple[str, str], str]) -> dict[str, Any]:
    """Pairwise linking over pairs of occurrences from different paragraphs only."""
    items = [
        (occ.paragraph, occ.gid, kb_of.get((f"gold-{occ.paragraph}", occ.entity.id), ""))
        for occ in occurrences
        if occ.entity is not None
    ]
    tp = fp = fn = 0
    for (p1, g1, s1), (p2, g2, s2) in combinations(items, 2):
        if p1 == p2:
            continue
        tp += g1 == g2 and s1 == s2
        fp += s1 == s2 and g1 != g2
        fn += g1 == g2 and s1 != s2
    return {
        "precision": round(tp / (tp + fp), 4) if tp + fp else 1.0,
        "recall": round(tp / (tp + fn), 4) if tp + fn else 1.0,
        "true_pairs": tp,
        "false_merges": fp,
        "missed_merges": fn,
    }


def run_names_eval(folder: Path | None = None, part: str = "dev", examples: int = 0) -> dict[str, Any]:
    """Load the gold set and evaluate one part; test-part errors are never listed."""
    gold = load_entity_gold(folder or default_gold_dir())
    return evaluate_names(gold, part, examples=examples if part == "dev" else 0)
