"""Helpers shared by the fact extractors (dates, numbers, quotes, events, summary).

Word boundaries for Devanagari (Python's `\\b` breaks at vowel signs), lexicon loading with the same
normalisation as the text, mention lookups, and the subject tracker that resolves
उन्होंने/वो to the last person subject.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from khabar.article import Article, Mention
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


def entity_of(article: Article, mention: Mention) -> str | None:
    """The entity id of a mention: its own `entity`, else the entity listing the same span."""
    if mention.entity:
        return mention.entity
    for ent in article.entities:
        for m in ent.mentions:
            if m.start == mention.start and m.end == mention.end:
                return ent.id
    return None


def entity_type(article: Article, entity_id: str | None) -> str | None:
    """The type of an entity id, or None."""
    if entity_id is None:
        return None
    ent = article.entity(entity_id)
    return ent.type if ent else None


def mentions_between(article: Article, start: int, end: int) -> list[Mention]:
    """Mentions lying inside `[start, end)`, in text order."""
    return sorted((m for m in article.mentions if m.start >= start and m.end <= end), key=lambda m: m.start)


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
