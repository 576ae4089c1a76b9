"""Helpers shared by the fact extractors (dates, numbers, quotes, events, summary).

Word boundaries for Devanagari (Python's `\\b` breaks at vowel signs), lexicon loading with the same
normalisation as the text, mention lookups, and the subject tracker that resolves
उन्होंने/वो to the last person subject.

Mention and entity lookups go through indexes by position and id (`mention_index`, `entity_index`), built
once per list and reused while `article.mentions` / `article.entities` stay the same lists, so a step
that looks up the mentions of every sentence costs O(n log n) in the article's length, not O(n²).
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from typing import Any, Generic, Protocol, TypeVar

from khabar.article import Article, Entity, Mention, Sentence
from khabar.clean.normalize import normalize_text
from khabar.lang.hi import read_table

# A character that continues a word: letters, digits, Devanagari signs, ZWJ/ZWNJ.
WORD_CHAR = r"[\w\u0900-\u0963\u0966-\u097f\u200c\u200d]"
# Zero-width word start and end assertions that respect Devanagari vowel signs.
START = rf"(?<!{WORD_CHAR})"
END = rf"(?!{WORD_CHAR})"
DIGIT = r"[0-9\u0966-\u096f]"
_TO_ASCII = str.maketrans("०१२३४५६७८९", "0123456789")


def ascii_digits(text: str) -> str:
    """Devanagari digits replaced by ASCII digits (same length, so offsets stay valid)."""
    return text.translate(_TO_ASCII)


@cache
def lexicon(name: str) -> tuple[tuple[str, ...], ...]:
    """Rows of a `lang/hi` table with the first cell normalised like article text."""
    return tuple((normalize_text(row[0]), *row[1:]) for row in read_table(name) if row and row[0])


def alternation(forms: Iterable[str]) -> str:
    """A regex alternation of literal forms, longest first; inner spaces match any run of spaces."""
    unique = sorted(set(forms), key=lambda f: (-len(f), f))
    return "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in unique)


class _Spanned(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


S = TypeVar("S", bound=_Spanned)
T = TypeVar("T")


class SpanIndex(Generic[S]):
    """Records with `start`/`end` (mentions, dates, quantities, quotes) sorted by start and by end, for
    range lookups in O(log n + hits).

    Results keep the order the old linear scans gave: `starting_in`, `between` and `overlapping` by
    start (ties in list order), `ending_in` in list order.
    """

    def __init__(self, items: Sequence[S]) -> None:
        self.items = items
        self.size = len(items)
        by_start = sorted(range(len(items)), key=lambda i: (items[i].start, i))
        self._start_order = by_start
        self._by_start = [items[i] for i in by_start]
        self._starts = [it.start for it in self._by_start]
        by_end = sorted(range(len(items)), key=lambda i: (items[i].end, i))
        self._end_order = by_end
        self._ends = [items[i].end for i in by_end]
        self._longest = max((it.end - it.start for it in items), default=0)

    def starting_in(self, start: int, end: int) -> list[S]:
        """Records with `start <= r.start < end`, by start."""
        return self._by_start[bisect_left(self._starts, start) : bisect_left(self._starts, end)]

    def starting_in_list_order(self, start: int, end: int) -> list[S]:
        """Records with `start <= r.start < end`, in list order (what a scan of the list gives)."""
        lo, hi = bisect_left(self._starts, start), bisect_left(self._starts, end)
        return [self.items[i] for i in sorted(self._start_order[lo:hi])]

    def overlapping_list_order(self, start: int, end: int) -> list[S]:
        """Records sharing a character with `[start, end)`, in list order (what a scan of the list gives)."""
        lo, hi = bisect_left(self._starts, start - self._longest), bisect_left(self._starts, end)
        return [self.items[i] for i in sorted(self._start_order[lo:hi]) if self.items[i].end > start]

    def between(self, start: int, end: int) -> list[S]:
        """Records lying inside `[start, end)` (`r.start >= start and r.end <= end`), by start."""
        return [r for r in self.starting_in(start, end + 1) if r.end <= end]

    def overlapping(self, start: int, end: int) -> list[S]:
        """Records sharing a character with `[start, end)` (`r.start < end and r.end > start`), by start."""
        return [r for r in self.starting_in(start - self._longest, end) if r.end > start]

    def ending_in(self, lo: int, hi: int) -> list[S]:
        """Records with `lo <= r.end <= hi`, in list order."""
        picked = sorted(self._end_order[bisect_left(self._ends, lo) : bisect_right(self._ends, hi)])
        return [self.items[i] for i in picked]


@dataclass(frozen=True, slots=True)
class EntityIndex:
    """Entity ids by id (the first entity with an id) and by the span of each of their mentions."""

    entities: Sequence[Entity]
    size: int
    by_id: dict[str, Entity]
    by_span: dict[tuple[int, int], str]


# Indexes per thread of the last few lists looked up. Each holds its list, so a list's identity
# cannot be reused while its index lives; a list whose length changed is indexed anew. Steps replace
# a layer's list (`article.mentions = [...]`) rather than editing items in place.
_INDEXES = threading.local()
_MAX_INDEXES = 8


def span_index(items: Sequence[S]) -> SpanIndex[S]:
    """The position index of a list of spans (built once per list, rebuilt when its length changes)."""
    cache: dict[int, SpanIndex[Any]] | None = getattr(_INDEXES, "spans", None)
    if cache is None:
        cache = _INDEXES.spans = {}
    index = cache.get(id(items))
    if index is None or index.items is not items or index.size != len(items):
        if len(cache) >= _MAX_INDEXES:
            cache.pop(next(iter(cache)))
        index = cache[id(items)] = SpanIndex(items)
    return index


def cached_on(items: Sequence[Any], name: str, build: Callable[[], T]) -> T:
    """`build()` computed once per list (and `name`), like the span indexes: rebuilt when another list
    or a list of another length is given."""
    cache: dict[tuple[str, int], tuple[Sequence[Any], int, Any]] | None = getattr(_INDEXES, "derived", None)
    if cache is None:
        cache = _INDEXES.derived = {}
    hit = cache.get((name, id(items)))
    if hit is not None and hit[0] is items and hit[1] == len(items):
        value: T = hit[2]
        return value
    if len(cache) >= _MAX_INDEXES:
        cache.pop(next(iter(cache)))
    value = build()
    cache[(name, id(items))] = (items, len(items), value)
    return value


def mention_index(article: Article) -> SpanIndex[Mention]:
    """The position index of `article.mentions`."""
    return span_index(article.mentions)


def entity_index(article: Article) -> EntityIndex:
    """The id and span index of `article.entities` (built once per list, rebuilt when it changes)."""
    index: EntityIndex | None = getattr(_INDEXES, "entities", None)
    entities = article.entities
    if index is None or index.entities is not entities or index.size != len(entities):
        by_id: dict[str, Entity] = {}
        by_span: dict[tuple[int, int], str] = {}
        for ent in entities:
            by_id.setdefault(ent.id, ent)
            for m in ent.mentions:
                by_span.setdefault((m.start, m.end), ent.id)
        index = EntityIndex(entities, len(entities), by_id, by_span)
        _INDEXES.entities = index
    return index


def entity_of(article: Article, mention: Mention) -> str | None:
    """The entity id of a mention: its own `entity`, else the entity listing the same span."""
    if mention.entity:
        return mention.entity
    return entity_index(article).by_span.get((mention.start, mention.end))


def entity_type(article: Article, entity_id: str | None) -> str | None:
    """The type of an entity id, or None."""
    if entity_id is None:
        return None
    ent = entity_index(article).by_id.get(entity_id)
    return ent.type if ent else None


def mentions_between(article: Article, start: int, end: int) -> list[Mention]:
    """Mentions lying inside `[start, end)`, in text order."""
    return mention_index(article).between(start, end)


def mentions_starting_in(article: Article, start: int, end: int) -> list[Mention]:
    """Mentions starting in `[start, end)`, in text order (they may run past `end`)."""
    return mention_index(article).starting_in(start, end)


def mentions_ending_in(article: Article, lo: int, hi: int) -> list[Mention]:
    """Mentions ending at an offset in `[lo, hi]`, in `article.mentions` order."""
    return mention_index(article).ending_in(lo, hi)


def sentence_at(article: Article, pos: int) -> tuple[int, int] | None:
    """The span of the first sentence of `article.sentences` holding `pos`, or None (by bisection when
    the sentences are in text order without overlap, as segmentation makes them)."""
    sentences = article.sentences
    starts = cached_on(sentences, "sentence_starts", lambda: _ordered_starts(sentences))
    if starts is None:
        hit = next((s for s in sentences if s.start <= pos < s.end), None)
        return (hit.start, hit.end) if hit else None
    k = bisect_right(starts, pos) - 1
    if k >= 0 and pos < sentences[k].end:
        return sentences[k].start, sentences[k].end
    return None


def _ordered_starts(sentences: Sequence[Sentence]) -> list[int] | None:
    """The sentence starts when each sentence ends before the next starts (else None)."""
    for a, b in pairwise(sentences):
        if not a.start <= a.end <= b.start:
            return None
    return [s.start for s in sentences]


def next_word(text: str, pos: int) -> str:
    """The word starting at the first letter after `pos` (empty at the end)."""
    m = re.compile(rf"\s*({WORD_CHAR}+)").match(text, pos)
    return m.group(1) if m else ""


@cache
def _pronoun_pattern() -> re.Pattern[str]:
    forms = [row[0] for row in lexicon("pronouns.tsv")]
    return re.compile(rf"{START}({alternation(forms)}){END}")


# Postpositions after a person mention that make it no subject (genitive, object, source, place).
OBLIQUE_MARKERS = frozenset({"के", "की", "का", "को", "से", "में", "पर", "द्वारा"})


def _pronoun_case(form: str) -> str:
    for row in lexicon("pronouns.tsv"):
        if row[0] == form:
            return row[1] if len(row) > 1 else "direct"
    return "direct"


def _first_word_start(text: str, pos: int) -> int:
    m = re.compile(r"[^\w\u0900-\u097f]*").match(text, pos)
    return m.end() if m else pos


@dataclass(frozen=True, slots=True)
class SentenceSubject:
    """Who a sentence is about: `entity` (a PERSON id or None) and, when a pronoun was resolved,
    the pronoun's span and the entity it points to."""

    entity: str | None
    pronoun: tuple[int, int] | None = None


def track_subjects(article: Article) -> list[SentenceSubject]:
    """For each sentence, the person it is about, resolving a subject pronoun to the last person
    subject (a person agent with ने, else the first person mention of a sentence)."""
    out: list[SentenceSubject] = []
    last: str | None = None
    pron_re = _pronoun_pattern()
    for sent in article.sentences:
        persons = [
            (m, e)
            for m in mentions_between(article, sent.start, sent.end)
            if (e := entity_of(article, m)) and entity_type(article, e) == "PERSON"
        ]
        agent = next(((m, e) for m, e in persons if next_word(article.text, m.end) == "ने"), None)
        pron = pron_re.search(article.text, sent.start, sent.end)
        first_person = next(
            ((m, e) for m, e in persons if next_word(article.text, m.end) not in OBLIQUE_MARKERS), None
        )
        explicit = agent or first_person
        if (
            pron
            and _pronoun_case(pron.group(1)) == "direct"
            and pron.start() != _first_word_start(article.text, sent.start)
        ):
            pron = None  # वो/ये inside a sentence is usually a determiner (ये वादा), not the subject
        if pron and (explicit is None or pron.start() < explicit[0].start) and last is not None:
            out.append(SentenceSubject(last, pron.span(1)))
            if agent:
                last = agent[1]
            continue
        if explicit:
            last = explicit[1]
        out.append(SentenceSubject(explicit[1] if explicit else None))
    return out
