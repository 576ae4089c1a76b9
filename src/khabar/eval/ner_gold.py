"""NER on a gold set of news paragraphs with inline entity markers (`khabar eval ner --gold-jsonl`).

Each JSONL line is `{"id", "part", "beat", "published", "text"}` where `text` marks entities inline as
`[[surface|TYPE|gid]]` (TYPE PER, LOC or ORG; one gid is one real-world entity across paragraphs); the
plain text is `text` with each marker replaced by its surface. Each paragraph is analysed as an article
of its own (cleaning, sentences, the NER step with its article-level name propagation) and scored:

- mentions: exact character span and type (gold offsets mapped onto the cleaned text);
- entities: per paragraph, a gold entity (gid) is found when one of its mentions is predicted exactly
  with its type; a predicted entity (its mentions grouped by type and spelling-variant key) is right
  when one of its mentions is a gold mention of that type.
Adjectival place forms (अमेरिकी → अमेरिका) are left out, as for IL-NER, unless asked for.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from khabar.errors import InputError
from khabar.eval.ner import prf

MARKER = re.compile(r"\[\[([^\[\]|]+)\|(PER|LOC|ORG)\|([^\[\]|]*)\]\]")
GOLD_TYPES = {"PER": "PERSON", "LOC": "LOCATION", "ORG": "ORGANIZATION"}
TYPES = ("PERSON", "LOCATION", "ORGANIZATION")
# (start, end, type) character spans of one text
Spans = list[tuple[int, int, str]]


@dataclass(frozen=True, slots=True)
class GoldParagraph:
    """One gold paragraph: plain text and its entity mentions `(start, end, type, gid)`."""

    id: str
    part: str
    text: str
    mentions: tuple[tuple[int, int, str, str], ...]


def parse_marked(marked: str) -> tuple[str, tuple[tuple[int, int, str, str], ...]]:
    """Plain text and mentions of a text with `[[surface|TYPE|gid]]` markers."""
    out: list[str] = []
    mentions: list[tuple[int, int, str, str]] = []
    pos = 0
    length = 0
    for match in MARKER.finditer(marked):
        before = marked[pos : match.start()]
        out.append(before)
        length += len(before)
        surface, kind, gid = match.group(1), match.group(2), match.group(3)
        mentions.append((length, length + len(surface), GOLD_TYPES[kind], gid))
        out.append(surface)
        length += len(surface)
        pos = match.end()
    out.append(marked[pos:])
    return "".join(out), tuple(mentions)


def read_gold_paragraphs(path: Path, part: str | None = None) -> list[GoldParagraph]:
    """The paragraphs of a gold JSONL file (only those of `part` if given)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (FileNotFoundError, IsADirectoryError):
        raise InputError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    out: list[GoldParagraph] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            text, mentions = parse_marked(str(row["text"]))
            para = GoldParagraph(str(row["id"]), str(row.get("part", "")), text, mentions)
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise InputError(f"{path}:{number}: not a gold paragraph record ({exc})") from None
        if part is None or para.part == part:
            out.append(para)
    if not out:
        raise InputError(f"{path}: no gold paragraphs" + (f" in part {part!r}" if part else ""))
    return out


def _offset_map(source: str, target: str) -> Callable[[int], int | None]:
    """Maps character offsets of `source` onto `target` (equal where the texts agree)."""
    if source == target:
        return lambda i: i
    table: dict[int, int] = {}
    matcher = difflib.SequenceMatcher(None, source, target, autojunk=False)
    for a, b, size in matcher.get_matching_blocks():
        for k in range(size + 1):
            table.setdefault(a + k, b + k)
    return table.get


def tag_paragraph(text: str, mode: str | None = None, adjectival: bool = False) -> tuple[str, Spans]:
    """The cleaned text of a paragraph analysed as an article, and its NER mention spans."""
    from khabar.analysis.ner import tag_article
    from khabar.pipeline import FOUNDATION_STEPS, analyze

    article = analyze(text, steps=FOUNDATION_STEPS)
    article = tag_article(article, mode=mode) if mode else tag_article(article)
    spans: Spans = [
        (m.start, m.end, str(m.type))
        for m in article.mentions
        if adjectival or not (m.name and m.source == "pattern" and m.text != m.name and m.type == "LOCATION")
    ]
    return article.text, spans


def _variant(text: str) -> str:
    from khabar.analysis.ner_features import variant_key

    return " ".join(variant_key(w) for w in text.split())


@dataclass(slots=True)
class _Counts:
    """Per type: gold items, gold items found, predicted items, predicted items right."""

    gold: dict[str, int]
    found: dict[str, int]
    predicted: dict[str, int]
    right: dict[str, int]

    @classmethod
    def empty(cls) -> _Counts:
        return cls(*(dict.fromkeys(TYPES, 0) for _ in range(4)))

    def scores(self) -> dict[str, dict[str, float]]:
        out = {k: prf(self.found[k], self.gold[k], self.predicted[k], self.right[k]) for k in TYPES}
        out["micro"] = prf(*(sum(d.values()) for d in (self.found, self.gold, self.predicted, self.right)))
        return out


def score_gold(
    paragraphs: Iterable[GoldParagraph], tag: Callable[[str], tuple[str, Spans]]
) -> dict[str, object]:
    """Mention- and entity-level scores per type and micro, and the errors per paragraph."""
    mentions, entities = _Counts.empty(), _Counts.empty()
    errors: list[dict[str, object]] = []
    for para in paragraphs:
        clean, predicted = tag(para.text)
        where = _offset_map(para.text, clean)
        gold: dict[tuple[int, int, str], str] = {}
        for start, end, kind, gid in para.mentions:
            a, b = where(start), where(end)
            gold[(-1 if a is None else a, -1 if b is None else b, kind)] = gid
        pred = set(predicted)
        for key in gold:
            mentions.gold[key[2]] += 1
            mentions.found[key[2]] += key in pred
        for key in pred:
            mentions.predicted[key[2]] += 1
            mentions.right[key[2]] += key in gold
        gold_entities = set(zip(gold.values(), (k[2] for k in gold), strict=True))
        found = {(gid, key[2]) for key, gid in gold.items() if key in pred}
        for gid, kind in gold_entities:
            entities.gold[kind] += 1
            entities.found[kind] += (gid, kind) in found
        groups: dict[tuple[str, str], set[tuple[int, int, str]]] = {}
        for span in pred:
            groups.setdefault((span[2], _variant(clean[span[0] : span[1]])), set()).add(span)
        for (kind, _), spans in groups.items():
            entities.predicted[kind] += 1
            entities.right[kind] += bool(spans & gold.keys())
        missed = sorted(gold.keys() - pred)
        wrong = sorted(pred - gold.keys())
        if missed or wrong:
            errors.append(
                {
                    "id": para.id,
                    "missed": [f"{clean[a:b] if a >= 0 else '?'}|{k}" for a, b, k in missed],
                    "spurious": [f"{clean[a:b]}|{k}" for a, b, k in wrong],
                }
            )
    return {"mentions": mentions.scores(), "entities": entities.scores(), "errors": errors}


def evaluate_gold(
    path: Path, part: str | None = None, mode: str | None = None, adjectival: bool = False
) -> dict[str, object]:
    """Score the NER step on a gold paragraph file (one part of it, if given)."""
    paragraphs: Sequence[GoldParagraph] = read_gold_paragraphs(path, part)
    result: dict[str, object] = {"file": str(path), "part": part, "paragraphs": len(paragraphs)}
    result.update(score_gold(paragraphs, lambda text: tag_paragraph(text, mode, adjectival)))
    return result
