"""Verification of a candidate pair: are two clean texts copies of one story?

Both texts are compared on their folded skeleton (`minhash.normalize_dedup`). The *body* of a text is
its blocks of running text (`is_body_block`: not headlines, teasers, tag and link lines, since every
paper writes its own headline); a text with almost no body is compared whole. Each body sentence of
one text is *found* in the other when `SENTENCE_FOUND_MIN` of its word 3-grams occur there (so a
respelled word, a synonym swap or a dateline run into it does not lose it) and so do all its figures,
calendar dates apart (copies keep their figures, reports written to one template do not; a reprint
has its own dateline), and all its content words but `SENTENCE_NEW_WORDS_MAX` (copies keep the names
and places of a sentence; two stories written to one sentence template with other names do not).
Sentences shorter than `minhash.SENTENCE_MIN_WORDS` words (datelines, bylines, fragments) are left
out. Aligning a body with the other text (`align`) gives a leading run of
sentences not found (a lead of its own), a trailing run not found (a cut-off end, a footer) and the
core between them, weighted by 3-grams. A lead run that ends inside a paragraph whose later
sentences are found does not count that paragraph as one of the lead's (a sentence dropped from the
body after the old lead, or removed as a learned template line, is an edit, not a new paragraph).

A pair is one story when the shorter body's core is found (`_core_found`: short lead and tail runs,
at most `NOVELTY_MAX` of the core new) and either

1. *a copy*: the shorter opens with what the longer has (at most `COPY_LEAD_MAX_SENTENCES` edited
   sentence, bringing no new figure), `COPY_FOUND_MIN` of it is found, and the match starts at the
   longer's lead, give or take a new lead on top of it (`LEAD_MAX_SENTENCES`): exact, truncated,
   re-scraped, re-flowed, respelled or lightly edited copies; or, when the longer has a longer lead
   of its own than that,
2. *a new lead over the same body*: the longer is found in the shorter apart from a lead of its own
   (looser limits: the shorter may have dropped sentences), each lead is one paragraph, and one lead
   *retells* (`_retold`): neither lead brings a figure the other text lacks, or one brings none and
   `LEAD_WORDS_MIN` of its content words occur in the other text. A re-run or a wire copy with
   another paper's lead retells the story; a next-day follow-up that reuses background paragraphs
   opens with new facts and figures (and often a new paragraph before the reused background).

Never one story when their figures differ (templated daily reports): numbers that stand in the same
context (two words before, one after) and differ, at least `FIGURE_CONFLICTS_MIN` of them and
`FIGURE_CONFLICT_SHARE` of those aligned.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from khabar.dedup.minhash import (
    SENTENCE_MIN_WORDS,
    normalize_dedup,
    sentence_hashes,
    shingle_set,
    split_sentences,
)
from khabar.errors import KhabarError
from khabar.lang.hi import read_list, read_table

# Thresholds set on the tuning seeds of bench/realcopies (1-3) and bench/dedup_corpus.py (1-8); the
# figures reported in the README come from seeds never used here (see bench/bench_dedup.py).
# A sentence of the shorter text is found in the longer when this share of its 3-grams is there ...
SENTENCE_FOUND_MIN = 0.7
# ... and at most this many of its content words are missing there (a copy keeps the names, places
# and facts of each sentence, a respelled or swapped word aside; two stories written to one sentence
# template with other names and places do not).
SENTENCE_NEW_WORDS_MAX = 1
# A body "found" in another text may open with a new lead of at most this many sentences and this
# share of it, end in a run not found (a cut-off sentence, footers) of at most this many sentences
# and this share, and between them have at most NOVELTY_MAX not found; and it needs this many 3-grams
# found (a one-sentence truncated copy has 20-40).
LEAD_MAX_SENTENCES = 3
LEAD_MAX_SHARE = 0.4
TAIL_MAX_SENTENCES = 3
TAIL_MAX_SHARE = 0.35
NOVELTY_MAX = 0.15
FOUND_MIN_WEIGHT = 15
# With a new lead, the longer text must be found in the shorter too, apart from its own lead, with at
# most LONG_NOVELTY_MAX not found (the shorter may have dropped a few sentences) and REST_FOUND_MIN
# found in all: a re-run keeps the old body, a follow-up reuses only some background paragraphs.
LONG_NOVELTY_MAX = 0.3
# ... and its own old lead (replaced by the new one, often with the next sentence trimmed) may run to
# this many sentences and this share.
LONG_LEAD_MAX_SENTENCES = 5
LONG_LEAD_MAX_SHARE = 0.5
REST_FOUND_MIN = 0.5
# Rule 1 allows this many sentences at the start of the shorter text not found (an edited first
# sentence, a dateline run into it) when they bring no new figure.
COPY_LEAD_MAX_SENTENCES = 1
# ... and needs this share of the shorter text found.
COPY_FOUND_MIN = 0.6
# A pair that opens like a copy but whose longer text has a longer lead of its own than rule 1 allows
# is checked by rule 2 (True), as the rules say, or rejected (False).
COPY_FALLS_THROUGH = True
# Rule 2: a lead is at most this many paragraphs (a follow-up opens with a new lead and a new
# paragraph before the reused background).
LEAD_MAX_PARAGRAPHS = 1
# ... counting the paragraph where the lead run ends and the shared body begins (True), or not
# (False: a paragraph that goes on with found sentences belongs to the body; the sentences of it
# before them were dropped or edited by the copy desk, or removed as learned template lines).
PARTIAL_LEAD_PARAGRAPHS = False
# Rule 2: a lead retells when this share of its content words (CONTENT_WORD_MIN_CHARS characters or
# more, not in the frequent-word lists, not a number, month or weekday) occur in the other text.
LEAD_WORDS_MIN = 0.5
CONTENT_WORD_MIN_CHARS = 3
COMMON_WORD_LISTS = ("ner_common_words_gen.txt", "ner_function_words.txt")
# A body of fewer words than this is too small to stand for the text: the whole text is compared.
BODY_MIN_WORDS = 12
# Figures guard (see the module docstring). A true copy keeps its figures (one changed number is one
# conflict); a template's stock numbers ("24 कैरेट") align without conflict, hence the low share.
FIGURE_CONFLICTS_MIN = 2
FIGURE_CONFLICT_SHARE = 0.25

# A block without a sentence end is body when it has at least this many words.
BODY_MIN_BLOCK_WORDS = 25

_NUMBER = re.compile(r"^\d+$")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_ENGLISH_MONTHS = (
    "jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june", "jul",
    "july", "aug", "august", "sep", "sept", "september", "oct", "october", "nov", "november", "dec",
    "december",
)  # fmt: skip
_SENTENCE_MARK = re.compile(r"[।॥?!]|[.…](?:\s|$)")


@dataclass(frozen=True, slots=True)
class TextFeatures:
    """What verification compares: the 3-grams of the whole text, the body's sentences (each its
    3-gram set), the number of body 3-grams, the numbers in context, and the sentence hashes."""

    shingles: frozenset[str]
    sentences: tuple[frozenset[str], ...]
    sentence_numbers: tuple[frozenset[str], ...]
    sentence_words: tuple[frozenset[str], ...]
    sentence_blocks: tuple[int, ...]
    numbers: frozenset[str]
    words: frozenset[str]
    body_size: int
    figures: dict[tuple[str, str, str], frozenset[str]]
    sentence_keys: frozenset[int]


@dataclass(frozen=True, slots=True)
class Alignment:
    """How one text's body lies in another text, sentence by sentence (weights are 3-gram counts):
    a leading run of sentences not found (a new lead), a trailing run not found (a cut-off end, a
    footer), and between them the core, of which `novelty` is the share not found."""

    lead_sentences: int
    lead_share: float
    tail_sentences: int
    tail_share: float
    novelty: float
    found_share: float
    found_weight: int
    found_sentences: int
    lead_new_figures: int = 0
    lead_words_found: float = 0.0
    lead_paragraphs: int = 0


@dataclass(frozen=True, slots=True)
class PairScore:
    """How the shorter body of a pair lies in the longer text (`short`) and the longer in the shorter
    (`long`); whole-text 3-gram containment and Jaccard; figures aligned and in conflict."""

    short: Alignment
    long: Alignment
    containment: float
    jaccard: float
    figures_aligned: int = 0
    figure_conflicts: int = 0


def align(body: TextFeatures, other: TextFeatures) -> Alignment:
    """The alignment of one text's body with another text."""
    weights = [len(g) for g in body.sentences]
    flags = [
        bool(g)
        and len(g & other.shingles) >= SENTENCE_FOUND_MIN * len(g)
        and nums <= other.numbers
        and len(content - other.words) <= SENTENCE_NEW_WORDS_MAX
        for g, nums, content in zip(body.sentences, body.sentence_numbers, body.sentence_words, strict=True)
    ]
    total = sum(weights) or 1
    n = len(flags)
    lead = 0
    while lead < n and not flags[lead]:
        lead += 1
    tail = 0
    while tail < n - lead and not flags[n - 1 - tail]:
        tail += 1
    core = weights[lead : n - tail]
    core_flags = flags[lead : n - tail]
    core_total = sum(core)
    found = sum(w for w, f in zip(weights, flags, strict=True) if f)
    lead_figures = frozenset().union(*body.sentence_numbers[:lead]) if lead else frozenset()
    lead_words = frozenset().union(*body.sentence_words[:lead]) if lead else frozenset()
    return Alignment(
        lead_sentences=lead,
        lead_share=sum(weights[:lead]) / total,
        tail_sentences=tail,
        tail_share=sum(weights[n - tail :]) / total if tail else 0.0,
        novelty=sum(w for w, f in zip(core, core_flags, strict=True) if not f) / core_total
        if core_total
        else 1.0,
        found_share=found / total,
        found_weight=found,
        found_sentences=sum(flags),
        lead_new_figures=len(lead_figures - other.numbers),
        lead_words_found=len(lead_words & other.words) / len(lead_words) if lead_words else 0.0,
        lead_paragraphs=_lead_paragraphs(body.sentence_blocks, lead),
    )


def _lead_paragraphs(blocks: Sequence[int], lead: int) -> int:
    """How many paragraphs a lead run of `lead` sentences makes up: a paragraph that goes on with
    found sentences is part of the shared body (a sentence dropped from it is an edit), not a
    paragraph of the lead, when PARTIAL_LEAD_PARAGRAPHS is off."""
    count = len(set(blocks[:lead]))
    if lead and not PARTIAL_LEAD_PARAGRAPHS and lead < len(blocks) and blocks[lead] == blocks[lead - 1]:
        count -= 1
    return count


def is_body_block(block: str) -> bool:
    """A block of running text: it has a sentence end inside or at its end, or is long. Headlines,
    teasers, tag and link lines have none (and run long in SEO style: 12-20 words)."""
    return bool(_SENTENCE_MARK.search(block)) or len(block.split()) >= BODY_MIN_BLOCK_WORDS


@lru_cache(maxsize=1)
def _month_words() -> frozenset[str]:
    """Folded month names (Hindi spellings from lang/hi/months.tsv and English ones)."""
    forms = [row[0] for row in read_table("months.tsv")] + list(_ENGLISH_MONTHS)
    return frozenset(normalize_dedup(f) for f in forms if normalize_dedup(f))


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    """Folded frequent Hindi words (lang/hi lists of frequent non-name and function words) and the
    names of months and weekdays: words that say nothing of a story's facts."""
    words: set[str] = set(_month_words())
    words.update(normalize_dedup(row[0]) for row in read_table("weekdays.tsv"))
    for name in COMMON_WORD_LISTS:
        try:
            words.update(normalize_dedup(w) for w in read_list(name))
        except KhabarError:
            continue
    return frozenset(words)


def _is_content_word(word: str) -> bool:
    """A word that carries a story's facts: not a number, not a frequent word."""
    return len(word) >= CONTENT_WORD_MIN_CHARS and not _NUMBER.match(word) and word not in _common_words()


def _figures(words: Sequence[str]) -> frozenset[str]:
    """The numbers of a sentence that are not calendar dates (a day before a month name, a year):
    a reprint or re-run carries its own dateline and publication date, not its own figures."""
    months = _month_words()
    out = set()
    for i, word in enumerate(words):
        if not _NUMBER.match(word) or _YEAR.match(word):
            continue
        if i + 1 < len(words) and words[i + 1] in months:
            continue
        out.add(word)
    return frozenset(out)


def body_blocks(text: str) -> list[str]:
    """The running-text blocks of a clean text (the whole text when they are too few)."""
    blocks = [b for b in text.split("\n\n") if b.strip()]
    body = [b for b in blocks if is_body_block(b)]
    if sum(len(b.split()) for b in body) < BODY_MIN_WORDS:
        return blocks
    return body


def text_features(text: str) -> TextFeatures:
    """The verification features of a clean text."""
    return features_and_words(text)[0]


def features_and_words(text: str) -> tuple[TextFeatures, list[str]]:
    """The verification features of a clean text, and its normalised words."""
    words = normalize_dedup(text).split()
    found: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for i, word in enumerate(words):
        if _NUMBER.match(word):
            before = words[i - 2] if i >= 2 else "", words[i - 1] if i >= 1 else ""
            after = words[i + 1] if i + 1 < len(words) else ""
            found[(*before, after)].add(word)
    sentences = []
    numbers = []
    content = []
    blocks = []
    for number, block in enumerate(body_blocks(text)):
        for sent in split_sentences(block):
            sent_words = sent.split()
            if len(sent_words) >= SENTENCE_MIN_WORDS:
                sentences.append(shingle_set(sent_words))
                numbers.append(_figures(sent_words))
                content.append(frozenset(w for w in sent_words if _is_content_word(w)))
                blocks.append(number)
    features = TextFeatures(
        shingles=shingle_set(words),
        sentences=tuple(sentences),
        sentence_numbers=tuple(numbers),
        sentence_words=tuple(content),
        sentence_blocks=tuple(blocks),
        numbers=frozenset(w for w in words if _NUMBER.match(w)),
        words=frozenset(words),
        body_size=sum(len(s) for s in sentences),
        figures={k: frozenset(v) for k, v in found.items()},
        sentence_keys=sentence_hashes(text),
    )
    return features, words


def score_pair(a: TextFeatures, b: TextFeatures) -> PairScore:
    """Align the shorter body (fewer 3-grams; ties: `a`) with the longer text and the longer with it."""
    short, long = (a, b) if a.body_size <= b.body_size else (b, a)
    inter = len(a.shingles & b.shingles)
    aligned = a.figures.keys() & b.figures.keys()
    return PairScore(
        short=align(short, long),
        long=align(long, short),
        containment=inter / (min(len(a.shingles), len(b.shingles)) or 1),
        jaccard=inter / (len(a.shingles | b.shingles) or 1),
        figures_aligned=len(aligned),
        figure_conflicts=sum(1 for k in aligned if not a.figures[k] & b.figures[k]),
    )


def _core_found(
    al: Alignment,
    novelty_max: float = NOVELTY_MAX,
    lead_max: int = LEAD_MAX_SENTENCES,
    lead_share_max: float = LEAD_MAX_SHARE,
) -> bool:
    """A body that, apart from a short new lead and a short cut-off end, is found in the other text."""
    return (
        al.lead_sentences <= lead_max
        and al.lead_share <= lead_share_max
        and al.tail_sentences <= TAIL_MAX_SENTENCES
        and al.tail_share <= TAIL_MAX_SHARE
        and al.novelty <= novelty_max
        and al.found_weight >= FOUND_MIN_WEIGHT
    )


def _retold(short: Alignment, long: Alignment) -> bool:
    """Whether one lead of a pair is a retelling: neither lead brings figures the other text lacks,
    or one brings none and most of its content words are in the other text."""
    if short.lead_new_figures == 0 and long.lead_new_figures == 0:
        return True
    return any(al.lead_new_figures == 0 and al.lead_words_found >= LEAD_WORDS_MIN for al in (short, long))


def is_same_story(score: PairScore) -> bool:
    """The verification rule (see the module docstring)."""
    if (
        score.figure_conflicts >= FIGURE_CONFLICTS_MIN
        and score.figure_conflicts >= FIGURE_CONFLICT_SHARE * score.figures_aligned
    ):
        return False
    short, long = score.short, score.long
    if not _core_found(short):
        return False
    if (
        short.lead_sentences <= COPY_LEAD_MAX_SENTENCES
        and short.lead_new_figures == 0
        and short.found_share >= COPY_FOUND_MIN
    ):
        # A copy (truncated or not, its first sentence perhaps edited): it starts where the other
        # starts, give or take a new lead on top. Else it may still be a new lead over the same body.
        copy = long.lead_sentences <= LEAD_MAX_SENTENCES or _core_found(long)
        if copy or not COPY_FALLS_THROUGH:
            return copy
    # A new lead over the same body: one of the two leads brings no figure the other text lacks, and
    # when both open with their own lead, one of them retells (LEAD_WORDS_MIN of its words are in the
    # other text): a re-run's new lead retells the story, a follow-up's reports new facts and
    # figures. And the longer, apart from its own lead, is found in the shorter.
    return (
        _retold(short, long)
        and short.lead_paragraphs <= LEAD_MAX_PARAGRAPHS
        and long.lead_paragraphs <= LEAD_MAX_PARAGRAPHS
        and _core_found(long, LONG_NOVELTY_MAX, LONG_LEAD_MAX_SENTENCES, LONG_LEAD_MAX_SHARE)
        and long.found_share >= REST_FOUND_MIN
    )


def compare_texts(a: str, b: str) -> PairScore:
    """Score two clean texts."""
    return score_pair(text_features(a), text_features(b))
