"""Pairwise evaluation of duplicate clustering on a labelled corpus.

A corpus folder holds the documents and `gold.tsv` (`path<TAB>story<TAB>kind`, path relative to the
folder): documents with the same story label are copies of one story. Each document is cleaned by the
pipeline (blocks, boilerplate, duplicate blocks) and clustered on its clean text. Precision and recall
count pairs of documents put in one cluster against pairs with the same story label.
"""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

from khabar.article import Article
from khabar.clean.learned import article_line_keys, learn_keys
from khabar.dedup.baselines import exact_clusters, plain_item, plain_lsh_clusters
from khabar.dedup.clusters import Cluster, DedupItem, find_clusters
from khabar.dedup.minhash import fingerprint_text, hashes_from_bytes, minhash_from_bytes
from khabar.errors import InputError
from khabar.ingest.readers import DocError, iter_documents


def read_gold(corpus: Path) -> list[tuple[str, str, str]]:
    """Rows of `gold.tsv` or `gold.jsonl` ({"file","story","kind"} per line, as bench/realcopies writes):
    (path relative to the corpus, story label, variant kind)."""
    gold = corpus / "gold.tsv"
    if not gold.is_file() and (corpus / "gold.jsonl").is_file():
        return [
            (str(rec["file"]), str(rec["story"]), str(rec.get("kind", "")))
            for line in (corpus / "gold.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()
            for rec in [json.loads(line)]
        ]
    if not gold.is_file():
        raise InputError(f"{corpus}: no gold.tsv or gold.jsonl (make one with bench/dedup_corpus.py)")
    rows = []
    for line in gold.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            path, story, kind = line.split("\t")[:3]
            rows.append((path, story, kind))
    return rows


def pair_set(groups: Sequence[Sequence[str]]) -> set[tuple[str, str]]:
    """Unordered pairs of members within each group."""
    return {tuple(sorted(p)) for g in groups for p in combinations(g, 2)}  # type: ignore[misc]


def pairwise_scores(predicted: set[tuple[str, str]], gold: set[tuple[str, str]]) -> dict[str, float | int]:
    """Pairwise precision, recall and F1."""
    tp = len(predicted & gold)
    precision = tp / len(predicted) if predicted else 1.0
    recall = tp / len(gold) if gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "true_pairs": len(gold),
        "predicted_pairs": len(predicted),
        "correct_pairs": tp,
    }


def dedup_item(item_id: str, text: str) -> DedupItem:
    """The dedup fingerprints of one clean text as `find_clusters` takes them."""
    fp = fingerprint_text(text)
    return DedupItem(
        item_id, fp.text_hash, minhash_from_bytes(fp.minhash), hashes_from_bytes(fp.sentences), fp.words
    )


def cluster_texts(texts: dict[str, str]) -> list[Cluster]:
    """khabar's same-story clusters of a set of clean texts."""
    items = [dedup_item(i, t) for i, t in texts.items()]
    return find_clusters(items, texts.__getitem__)


def stories_of(ids: Sequence[str], clusters: Sequence[Cluster]) -> list[list[str]]:
    """Every id's story: the clusters, and each id in none of them alone."""
    groups = [list(c.members) for c in clusters]
    seen = {m for g in groups for m in g}
    return groups + [[i] for i in ids if i not in seen]


def learn_and_reclean(articles: dict[str, Article]) -> tuple[dict[str, str], frozenset[int]]:
    """What a knowledge base holding these articles learns: the template keys recurring across the
    stories found on their first cleaning, and each article's clean text with them removed."""
    from khabar.pipeline import reclean_blocks

    first = {i: a.text for i, a in articles.items()}
    story_keys = [
        set().union(*(article_line_keys(articles[i].blocks) for i in group))
        for group in stories_of(list(articles), cluster_texts(first))
    ]
    learned = learn_keys(story_keys)
    return {i: reclean_blocks(a, learned)[0] for i, a in articles.items()}, learned


@dataclass
class LabelledCorpus:
    """A labelled corpus read and cleaned once: articles by path, story labels and variant kinds."""

    articles: dict[str, Article]
    story: dict[str, str]
    kinds: dict[str, str]


def load_corpus(corpus: str | Path) -> LabelledCorpus:
    """Read a corpus folder (`gold.tsv` or `gold.jsonl` and the documents) and clean every document."""
    from khabar.pipeline import build_article

    folder = Path(corpus)
    rows = read_gold(folder)
    articles: dict[str, Article] = {}
    for doc in iter_documents([str(folder / path) for path, _, _ in rows]):
        if isinstance(doc, DocError):
            raise InputError(doc.message)
        articles[str(Path(doc.source).relative_to(folder))] = build_article(doc)
    return LabelledCorpus(
        articles, {path: label for path, label, _ in rows}, {path: kind for path, _, kind in rows}
    )


def evaluate_corpus(
    corpus: str | Path | LabelledCorpus, *, learn: bool = True, lsh_thresholds: Sequence[float] = ()
) -> dict[str, Any]:
    """Cluster a labelled corpus with khabar, plain MinHashLSH and exact hashes, and score each.

    khabar clusters the clean texts as a knowledge base does: without the template lines it learns from
    the corpus (`learn` reports how many there are).
    The baselines see the corpus as a user would give it to them after khabar's cleaning (without
    learned template): datasketch MinHashLSH over MinHash signatures of plain word 5-grams, at its
    default threshold and at each of `lsh_thresholds`, and exact hashes of the plain normalised text.
    """
    loaded = corpus if isinstance(corpus, LabelledCorpus) else load_corpus(corpus)
    story, kinds = loaded.story, loaded.kinds
    first = {i: a.text for i, a in loaded.articles.items()}
    # clusters are of the text without learned lines, as in the knowledge base; the learned set is
    # reported (`learn`), it changes the clean texts, not the clusters
    learned = learn_and_reclean(loaded.articles)[1] if learn else frozenset()
    texts = first
    items = [dedup_item(i, t) for i, t in texts.items()]
    plain = [plain_item(i, t) for i, t in first.items()]
    by_story: dict[str, list[str]] = defaultdict(list)
    for path, label in story.items():
        by_story[label].append(path)
    gold_pairs = pair_set(list(by_story.values()))
    methods: dict[str, Callable[[], list[Cluster]]] = {
        "khabar": lambda: find_clusters(items, texts.__getitem__),
        "minhash_lsh_default": lambda: plain_lsh_clusters(plain),
        "exact_hash": lambda: exact_clusters(plain),
    }
    for t in lsh_thresholds:
        methods[f"minhash_lsh_{t:g}"] = lambda t=t: plain_lsh_clusters(plain, threshold=t)  # type: ignore[misc]
    result: dict[str, Any] = {
        "documents": len(items),
        "stories": len(by_story),
        "learned_template_keys": len(learned),
        "kinds": dict(sorted(Counter(kinds.values()).items())),
    }
    for name, run in methods.items():
        started = time.perf_counter()
        clusters = run()
        seconds = time.perf_counter() - started
        predicted = pair_set([c.members for c in clusters])
        scores: dict[str, Any] = dict(pairwise_scores(predicted, gold_pairs))
        scores["seconds"] = round(seconds, 3)
        scores["missed_by_kind"] = _missed_by_kind(gold_pairs - predicted, kinds)
        scores["false_by_kind"] = _missed_by_kind(predicted - gold_pairs, kinds)
        result[name] = scores
    return result


def _missed_by_kind(pairs: set[tuple[str, str]], kinds: dict[str, str]) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for a, b in pairs:
        counts["+".join(sorted({kinds[a], kinds[b]}))] += 1
    return dict(sorted(counts.items()))
