"""NER evaluation: read token<TAB>tag files, tag them with the full NER step, score entity spans.

Tags are BIO with IL-NER codes (NEP, NEL, NEO) or names (PERSON, LOCATION, ORGANIZATION); every other
type and every malformed tag counts as O. An I- tag that does not continue an entity of its type starts
one (the usual CoNLL reading). Scores are entity-level, exact span and type.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from khabar.errors import InputError

TYPES = ("PERSON", "LOCATION", "ORGANIZATION")
CODE_TO_TYPE = {
    "NEP": "PERSON",
    "NEL": "LOCATION",
    "NEO": "ORGANIZATION",
    "PER": "PERSON",
    "LOC": "LOCATION",
    "ORG": "ORGANIZATION",
    "PERSON": "PERSON",
    "LOCATION": "LOCATION",
    "ORGANIZATION": "ORGANIZATION",
}


@dataclass(slots=True)
class TaggedSentence:
    """One gold sentence: tokens, normalised BIO tags, and the 1-based line of its first token."""

    tokens: list[str]
    tags: list[str]
    line: int = 0


@dataclass(slots=True)
class NerScores:
    """Counts per type of gold, predicted and correct entities."""

    gold: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TYPES, 0))
    predicted: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TYPES, 0))
    correct: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TYPES, 0))

    def add(self, gold_tags: Sequence[str], predicted_tags: Sequence[str]) -> None:
        """Count one sentence."""
        gold = set(spans_from_bio(gold_tags))
        pred = set(spans_from_bio(predicted_tags))
        for _, _, kind in gold:
            self.gold[kind] += 1
        for _, _, kind in pred:
            self.predicted[kind] += 1
        for _, _, kind in gold & pred:
            self.correct[kind] += 1

    def merge(self, other: NerScores) -> None:
        """Add another set of counts (e.g. of one cross-validation fold)."""
        for kind in TYPES:
            self.gold[kind] += other.gold[kind]
            self.predicted[kind] += other.predicted[kind]
            self.correct[kind] += other.correct[kind]

    def to_dict(self) -> dict[str, dict[str, float]]:
        """Per-type and micro precision, recall and F1 (in percent) with the counts."""
        out = {kind: prf(self.correct[kind], self.gold[kind], self.predicted[kind]) for kind in TYPES}
        out["micro"] = prf(sum(self.correct.values()), sum(self.gold.values()), sum(self.predicted.values()))
        return out


def prf(correct: int, gold: int, predicted: int, right: int | None = None) -> dict[str, float]:
    """Precision, recall and F1 in percent with the counts: `correct` gold items found, of `gold`;
    `right` predicted items correct (`correct` when they are the same count), of `predicted`."""
    p = (correct if right is None else right) / predicted if predicted else 0.0
    r = correct / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "precision": round(100 * p, 2),
        "recall": round(100 * r, 2),
        "f1": round(100 * f, 2),
        "gold": gold,
        "predicted": predicted,
        "correct": correct,
    }


def normalize_tag(tag: str) -> str:
    """A BIO tag with its type as PERSON/LOCATION/ORGANIZATION, or O."""
    tag = tag.strip()
    if len(tag) < 3 or tag[1] != "-" or tag[0] not in "BI":
        return "O"
    kind = CODE_TO_TYPE.get(tag[2:].upper())
    return f"{tag[0]}-{kind}" if kind else "O"


def repair_bio(tags: Sequence[str]) -> list[str]:
    """Tags where an I- that does not continue its type becomes B-."""
    out: list[str] = []
    prev = "O"
    for tag in tags:
        if tag.startswith("I-") and prev[2:] != tag[2:]:
            tag = "B-" + tag[2:]
        out.append(tag)
        prev = tag
    return out


def spans_from_bio(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Entity spans `(start, end, type)` in token indices (end exclusive)."""
    spans: list[tuple[int, int, str]] = []
    start = -1
    kind = ""
    for i, tag in enumerate([*tags, "O"]):
        continues = tag.startswith("I-") and tag[2:] == kind and start >= 0
        if continues:
            continue
        if start >= 0:
            spans.append((start, i, kind))
            start, kind = -1, ""
        if tag.startswith(("B-", "I-")):
            start, kind = i, tag[2:]
    return spans


def read_tagged_sentences(path: Path) -> list[TaggedSentence]:
    """Sentences of a token<TAB>tag file (blank line between sentences), tags normalised."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, expected a token<TAB>tag file") from None
    sentences: list[TaggedSentence] = []
    current = TaggedSentence([], [])
    for number, line in enumerate(lines, 1):
        if not line.strip():
            if current.tokens:
                sentences.append(current)
            current = TaggedSentence([], [])
            continue
        token, _, tag = line.rstrip("\n").partition("\t")
        if not token.strip():
            continue
        if not current.tokens:
            current.line = number
        current.tokens.append(token.strip())
        current.tags.append(normalize_tag(tag))
    if current.tokens:
        sentences.append(current)
    if not sentences:
        raise InputError(f"{path}: no token<TAB>tag lines found")
    for sent in sentences:
        sent.tags = repair_bio(sent.tags)
    return sentences


def evaluate_ner(
    sentences: Iterable[TaggedSentence],
    tagger: Callable[[list[str]], list[str]] | None = None,
    predictions: Path | None = None,
) -> dict[str, dict[str, float]]:
    """Score a tagger (default: the full NER step) on gold sentences; optionally write predictions."""
    if tagger is None:
        from khabar.analysis.ner import tag_tokens

        tagger = tag_tokens
    scores = NerScores()
    out_lines: list[str] = []
    for sent in sentences:
        predicted = tagger(sent.tokens)
        scores.add(sent.tags, predicted)
        if predictions is not None:
            out_lines.extend(
                f"{t}\t{g}\t{p}" for t, g, p in zip(sent.tokens, sent.tags, predicted, strict=True)
            )
            out_lines.append("")
    if predictions is not None:
        predictions.write_text("\n".join(out_lines), encoding="utf-8")
    return scores.to_dict()


def drop_overlap(
    sentences: Sequence[TaggedSentence], other: Sequence[TaggedSentence]
) -> list[TaggedSentence]:
    """The sentences whose token sequence does not occur in `other` (e.g. dev minus train)."""
    seen = {tuple(s.tokens) for s in other}
    return [s for s in sentences if tuple(s.tokens) not in seen]


def format_scores(scores: dict[str, object]) -> str:
    """The scores as indented JSON."""
    return json.dumps(scores, ensure_ascii=False, indent=2)
