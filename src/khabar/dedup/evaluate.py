"""Pairwise evaluation of duplicate clustering on a labelled corpus.

A corpus folder holds the documents and `gold.tsv` (`path<TAB>story<TAB>kind`, path relative to the
folder): documents with the same story label are copies of one story. Each document is cleaned by the
pipeline (blocks, boilerplate, duplicate blocks) and clustered on its clean text. Precision and recall
count pairs of documents put in one cluster against pairs with the same story label.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from itertools import combinations
from pathlib import Path
from typing import Any

from khabar.dedup.clusters import Cluster, DedupItem, exact_clusters, find_clusters, plain_lsh_clusters
from khabar.dedup.minhash import fingerprint_text, hashes_from_bytes, minhash_from_bytes
from khabar.errors import InputError
from khabar.ingest.readers import DocError, iter_documents


def read_gold(corpus: Path) -> list[tuple[str, str, str]]:
    """Rows of `gold.tsv`: (path relative to the corpus, story label, variant kind)."""
    gold = corpus / "gold.tsv"
    if not gold.is_file():
        raise InputError(f"{corpus}: no gold.tsv (make one with bench/dedup_corpus.py)")
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


def evaluate_corpus(corpus: str | Path) -> dict[str, Any]:
    """Cluster a labelled corpus with khabar, plain MinHashLSH (datasketch defaults) and exact hashes."""
    from khabar.pipeline import build_article

    folder = Path(corpus)
    rows = read_gold(folder)
    story = {path: label for path, label, _ in rows}
    kinds = {path: kind for path, _, kind in rows}
    texts: dict[str, str] = {}
    items: list[DedupItem] = []
    for doc in iter_documents([str(folder / path) for path, _, _ in rows]):
        if isinstance(doc, DocError):
            raise InputError(doc.message)
        rel = str(Path(doc.source).relative_to(folder))
        text = build_article(doc).text
        texts[rel] = text
        fp = fingerprint_text(text)
        items.append(
            DedupItem(
                rel, fp.text_hash, minhash_from_bytes(fp.minhash), hashes_from_bytes(fp.sentences), fp.words
            )
        )
    by_story: dict[str, list[str]] = defaultdict(list)
    for path, label in story.items():
        by_story[label].append(path)
    gold_pairs = pair_set(list(by_story.values()))
    methods: dict[str, Callable[[], list[Cluster]]] = {
        "khabar": lambda: find_clusters(items, texts.__getitem__),
        "minhash_lsh_default": lambda: plain_lsh_clusters(items),
        "exact_hash": lambda: exact_clusters(items),
    }
    result: dict[str, Any] = {
        "documents": len(items),
        "stories": len(by_story),
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
