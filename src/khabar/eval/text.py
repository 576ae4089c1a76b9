"""Sentence and token quality against Universal Dependencies (UD Hindi PUD), beside indic-nlp-library.

The running text of each document is rebuilt from the `# text` lines of its sentences (documents are
marked by `# newdoc`), joined by one space, so the splitter sees multi-sentence text as it would in an
article. Gold sentence spans come from where each `# text` lies in that running text; gold tokens from
aligning each sentence's word forms to its text. Both systems are then scored by character offsets:

- sentence boundary F1: the positions between two sentences of a document (the document's own end is
  trivially found by both and not counted);
- sentence F1: whole sentences whose start and end both match;
- token F1: tokens whose start and end both match.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from khabar.config import shared_data_dir
from khabar.errors import InputError

Spans = list[tuple[int, int]]


def default_conllu() -> Path:
    """The UD Hindi PUD test file in the shared data folder."""
    return shared_data_dir() / "ud-hindi-pud" / "hi_pud-ud-test.conllu"


@dataclass(slots=True)
class GoldDoc:
    """One document: its running text, gold sentence spans and gold token spans (offsets into `text`)."""

    id: str
    text: str = ""
    sentences: Spans = field(default_factory=list)
    tokens: Spans = field(default_factory=list)
    unaligned: int = 0


@dataclass(frozen=True, slots=True)
class Score:
    """Precision, recall and F1 of predicted items against gold items."""

    gold: int
    predicted: int
    correct: int

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "gold": self.gold,
            "predicted": self.predicted,
            "correct": self.correct,
        }


def _conllu_sentences(lines: Iterable[str]) -> Iterator[tuple[str | None, str, list[str]]]:
    """`(newdoc id or None, sentence text, word forms)` per sentence; multiword ranges give their form."""
    newdoc: str | None = None
    text: str | None = None
    forms: list[str] = []
    skip_until = 0
    for raw in lines:
        line = raw.rstrip("\n")
        if line.startswith("# newdoc"):
            newdoc = line.split("=", 1)[1].strip() if "=" in line else f"doc{id(line)}"
        elif line.startswith("# text =") or line.startswith("# text="):
            text = line.split("=", 1)[1].strip()
        elif line.startswith("#"):
            continue
        elif not line.strip():
            if text is not None:
                yield newdoc, text, forms
            newdoc, text, forms, skip_until = None, None, [], 0
        else:
            cols = line.split("\t")
            if len(cols) < 2:
                continue
            tid = cols[0]
            if "-" in tid:  # a multiword token: its surface form stands for the words it covers
                forms.append(cols[1])
                skip_until = int(tid.split("-")[1])
            elif "." in tid:  # an empty node has no surface form
                continue
            elif int(tid) > skip_until:
                forms.append(cols[1])
    if text is not None:
        yield newdoc, text, forms


def read_conllu(path: Path) -> list[GoldDoc]:
    """Documents of a CoNLL-U file with running text and gold spans."""
    if not path.is_file():
        raise InputError(f"{path}: no such CoNLL-U file (pass a path or set KHABAR_DATA)")
    docs: list[GoldDoc] = []
    with path.open(encoding="utf-8") as handle:
        for newdoc, text, forms in _conllu_sentences(handle):
            if newdoc is not None or not docs:
                docs.append(GoldDoc(id=newdoc or path.stem))
            doc = docs[-1]
            base = len(doc.text) + 1 if doc.text else 0
            doc.text = f"{doc.text} {text}" if doc.text else text
            doc.sentences.append((base, base + len(text)))
            spans, unaligned = align_tokens(text, forms)
            doc.tokens.extend((base + s, base + e) for s, e in spans)
            doc.unaligned += unaligned
    return docs


def align_tokens(text: str, forms: Iterable[str]) -> tuple[Spans, int]:
    """Offsets of `forms` found in order in `text`; forms not found are counted and skipped."""
    spans: Spans = []
    unaligned = 0
    pos = 0
    for form in forms:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if text.startswith(form, pos):
            spans.append((pos, pos + len(form)))
            pos += len(form)
            continue
        found = text.find(form, pos)
        if found < 0 or text[pos:found].strip():
            unaligned += 1
            continue
        spans.append((found, found + len(form)))
        pos = found + len(form)
    return spans, unaligned


def boundaries(spans: Spans) -> set[int]:
    """Sentence boundaries: the end offset of every sentence but the last."""
    return {end for _, end in sorted(spans)[:-1]}


def score(gold: Iterable[Any], predicted: Iterable[Any]) -> Score:
    """Exact-match precision/recall counts of two collections of items."""
    g, p = set(gold), set(predicted)
    return Score(gold=len(g), predicted=len(p), correct=len(g & p))


def _add(a: Score, b: Score) -> Score:
    return Score(a.gold + b.gold, a.predicted + b.predicted, a.correct + b.correct)


def locate(text: str, pieces: Iterable[str]) -> Spans:
    """Offsets of string pieces that a splitter returned in order, found again in `text`."""
    spans: Spans = []
    pos = 0
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        found = text.find(piece, pos)
        if found < 0:
            continue
        spans.append((found, found + len(piece)))
        pos = found + len(piece)
    return spans


@dataclass(frozen=True, slots=True)
class System:
    """A sentence splitter and a tokenizer, each returning spans of a text."""

    name: str
    split: Callable[[str], Spans]
    tokenize: Callable[[str], Spans]


def khabar_system() -> System:
    from khabar.text.sentences import split_sentences
    from khabar.text.tokens import tokenize

    return System("khabar", lambda text: split_sentences(text), lambda text: tokenize(text))


def indicnlp_system() -> System | None:
    """indic-nlp-library's `sentence_split` and `trivial_tokenize`, or None when it is not installed."""
    try:
        from indicnlp.tokenize import indic_tokenize, sentence_tokenize
    except ImportError:
        return None

    def split(text: str) -> Spans:
        return locate(text, sentence_tokenize.sentence_split(text, lang="hi"))

    def tokenize(text: str) -> Spans:
        return locate(text, indic_tokenize.trivial_tokenize(text, lang="hi"))

    return System("indic_nlp", split, tokenize)


def glue_document(doc: GoldDoc) -> tuple[str, set[int], set[int]]:
    """The document with every sentence that ends in । or . glued to the next by a bare full stop, as
    scraped text often has it (हुआ।<space>अगला → हुआ.अगला); returns the text, all gold boundaries and
    the glued ones."""
    parts: list[str] = []
    gold: set[int] = set()
    glued: set[int] = set()
    length = 0
    spans = sorted(doc.sentences)
    for n, (start, end) in enumerate(spans):
        sentence = doc.text[start:end]
        if n == len(spans) - 1:
            parts.append(sentence)
            break
        if len(sentence) > 1 and sentence[-1] in "।.":
            parts.append(sentence[:-1] + ".")
            length += len(sentence)
            glued.add(length)
        else:
            parts.append(sentence + " ")
            length += len(sentence) + 1
        gold.add(length if parts[-1][-1] == "." else length - 1)
    return "".join(parts), gold, glued


def evaluate_glued(system: System, docs: list[GoldDoc]) -> dict[str, Any]:
    """Boundary precision on glued documents (`glue_document`) and recall at the glued full stops."""
    found = total = predicted = correct = 0
    for doc in docs:
        text, gold, glued = glue_document(doc)
        ends = {end for _, end in system.split(text)} - {len(text)}
        total += len(glued)
        found += len(glued & ends)
        predicted += len(ends)
        correct += len(ends & gold)
    return {
        "glued_boundaries": total,
        "glued_recall": round(found / total, 4) if total else 0.0,
        "boundary_precision": round(correct / predicted, 4) if predicted else 0.0,
    }


def evaluate_system(system: System, docs: list[GoldDoc]) -> dict[str, Any]:
    """Scores of one system over all documents."""
    zero = Score(0, 0, 0)
    bounds, sents, toks = zero, zero, zero
    started = time.perf_counter()
    for doc in docs:
        predicted = system.split(doc.text)
        bounds = _add(bounds, score(boundaries(doc.sentences), boundaries(predicted)))
        sents = _add(sents, score(doc.sentences, predicted))
        toks = _add(toks, score(doc.tokens, system.tokenize(doc.text)))
    return {
        "sentence_boundary": bounds.to_dict(),
        "sentence": sents.to_dict(),
        "token": toks.to_dict(),
        "seconds": round(time.perf_counter() - started, 3),
    }


def evaluate_sentences(path: Path | None = None) -> dict[str, Any]:
    """Sentence boundary, sentence and token F1 of khabar and indic-nlp-library on a CoNLL-U file."""
    conllu = path or default_conllu()
    docs = read_conllu(conllu)
    result: dict[str, Any] = {
        "data": str(conllu),
        "documents": len(docs),
        "sentences": sum(len(d.sentences) for d in docs),
        "tokens": sum(len(d.tokens) for d in docs),
        "unaligned_gold_tokens": sum(d.unaligned for d in docs),
        "systems": {},
    }
    result["systems"]["khabar"] = evaluate_system(khabar_system(), docs)
    result["systems"]["khabar"]["glued"] = evaluate_glued(khabar_system(), docs)
    other = indicnlp_system()
    if other is None:
        result["note"] = "indic-nlp-library is not installed (pip install indic-nlp-library); khabar alone"
    else:
        result["systems"][other.name] = evaluate_system(other, docs)
    return result
