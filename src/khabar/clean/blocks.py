"""Block splitting and classification: paragraph, heading, boilerplate or duplicate.

Order of decisions for each block: a repeat of an earlier block is `duplicate` (the first copy is
kept), then a match in `lang/hi/boilerplate.tsv` is `boilerplate`, then a short headline-like line is
a `heading`, and everything else is a `paragraph`. The clean text is the kept blocks joined by a
blank line.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import chain

import numpy as np

from khabar.article import Block, BlockKind
from khabar.clean.normalize import normalize_newlines, normalize_text
from khabar.lang.hi import read_table

# A heading is at most this many characters and words (set from Hindi news subheads: they run 3-12
# words; 120 chars leaves room for long English-name heads).
HEADING_MAX_CHARS = 120
HEADING_MAX_WORDS = 16
# Blocks at least this long are compared by character shingles as well as by exact key; shorter
# ones must repeat exactly (after punctuation and space are ignored).
NEAR_DUP_MIN_CHARS = 40
# Character 5-gram Jaccard at or above this makes a near-duplicate block (a copy with a typo fixed
# or a word changed scores 0.9+; different sentences on one topic score < 0.5).
NEAR_DUP_JACCARD = 0.8
SHINGLE = 5
# A document is hard-wrapped when this share of the lines inside its blank-line paragraphs are
# 50-110 characters long and break mid-sentence (editors and mail clients wrap at 60-100).
WRAP_MIN_CHARS = 50
WRAP_MAX_CHARS = 110
WRAP_MIN_SHARE = 0.6

_TERMINAL_END = re.compile(r"[.।॥!;:,…]['\"”’)\]]*$")
_QUESTION_END = re.compile(r"\?['\"”’)\]]*$")
# Everything but letters, digits and Devanagari signs (which `\w` leaves out) is ignored in a block key.
_KEY_DROP = re.compile(r"(?:[^\w\u0900-\u0963\u0966-\u097f]|_)+")
_KEY_FOLD = str.maketrans({"\u093c": None, "\u0901": "\u0902", "\u200c": None, "\u200d": None})


@dataclass(frozen=True, slots=True)
class BoilerplateRule:
    """One row of the boilerplate table; `max_chars` limits it to blocks at most that long."""

    label: str
    match: str
    pattern: str
    regex: re.Pattern[str]
    max_chars: int | None = None

    def matches(self, text: str) -> bool:
        if self.max_chars is not None and len(text) > self.max_chars:
            return False
        return self.regex.search(text) is not None


# After a prefix pattern: the end, or a character that is not part of a word (a vowel sign is).
_PREFIX_END = r"(?=$|[^\w\u0900-\u0963\u0966-\u097f\u200c\u200d])"


@lru_cache(maxsize=1)
def boilerplate_rules() -> tuple[BoilerplateRule, ...]:
    """The compiled rows of `lang/hi/boilerplate.tsv`."""
    rules: list[BoilerplateRule] = []
    for row in read_table("boilerplate.tsv"):
        if len(row) < 3:
            raise ValueError(f"boilerplate.tsv: a row needs label, match and pattern: {row!r}")
        label, match, pattern = row[0], row[1], row[2]
        max_chars = int(row[3]) if len(row) > 3 and row[3] else None
        if match == "prefix":
            end = _PREFIX_END if re.match(r"[\w\u0900-\u0963\u0966-\u097f]", pattern[-1]) else ""
            rx = re.compile(r"^\W*" + re.escape(pattern) + end, re.IGNORECASE)
        elif match == "exact":
            rx = re.compile(r"^\W*" + re.escape(pattern) + r"\W*$", re.IGNORECASE)
        elif match == "contains":
            rx = re.compile(re.escape(pattern), re.IGNORECASE)
        elif match == "regex":
            rx = re.compile(pattern, re.IGNORECASE)
        else:
            raise ValueError(f"boilerplate.tsv: unknown match kind {match!r}")
        rules.append(BoilerplateRule(label, match, pattern, rx, max_chars))
    return tuple(rules)


def match_boilerplate(text: str) -> str | None:
    """The label of the first boilerplate rule matching a normalised block, or None."""
    for rule in boilerplate_rules():
        if rule.matches(text):
            return rule.label
    return None


def split_text_blocks(text: str) -> list[str]:
    """Split plain text into raw blocks: one per non-empty line, with hard-wrapped lines rejoined.

    Lines are rejoined only in a hard-wrapped document: one with blank lines between paragraphs
    whose lines inside a paragraph mostly break at a similar width without a sentence end. There a
    line without a sentence end continues on the next line of its group.
    """
    groups: list[list[str]] = [[]]
    for line in normalize_newlines(text).split("\n"):
        stripped = line.strip()
        if stripped:
            groups[-1].append(stripped)
        elif groups[-1]:
            groups.append([])
    groups = [g for g in groups if g]
    if not _is_hard_wrapped(groups):
        return [line for group in groups for line in group]
    blocks: list[str] = []
    for group in groups:
        current = group[0]
        for line in group[1:]:
            if _ends_sentence(current):
                blocks.append(current)
                current = line
            else:
                current = current + " " + line
        blocks.append(current)
    return blocks


def _ends_sentence(line: str) -> bool:
    return bool(_TERMINAL_END.search(line) or _QUESTION_END.search(line))


def _is_hard_wrapped(groups: list[list[str]]) -> bool:
    """Blank-line paragraphs whose inner line breaks mostly fall mid-sentence at a steady width."""
    if len(groups) < 2:
        return False
    inner = [line for group in groups for line in group[:-1]]
    if len(inner) < 2:
        return False
    wrapped = [
        line for line in inner if WRAP_MIN_CHARS <= len(line) <= WRAP_MAX_CHARS and not _ends_sentence(line)
    ]
    return len(wrapped) / len(inner) >= WRAP_MIN_SHARE


def block_key(text: str) -> str:
    """The comparison key of a block: letters, vowel signs and digits only, casefolded.

    Spelling variants that copies of one block differ by are folded: nukta dropped (ज़्यादा ~ ज्यादा)
    and chandrabindu read as anusvara (यहाँ ~ यहां).
    """
    return _KEY_DROP.sub("", text).translate(_KEY_FOLD).casefold()


def _shingles(key: str) -> frozenset[str]:
    if len(key) <= SHINGLE:
        return frozenset({key})
    return frozenset(key[i : i + SHINGLE] for i in range(len(key) - SHINGLE + 1))


def is_heading_like(text: str) -> bool:
    """Short, headline-like: no sentence-final punctuation at the end, or ends in a question mark."""
    if len(text) > HEADING_MAX_CHARS or len(text.split()) > HEADING_MAX_WORDS:
        return False
    if _QUESTION_END.search(text):
        return True
    return not _TERMINAL_END.search(text)


def classify_blocks(raw_blocks: Sequence[str], hints: Sequence[str | None] | None = None) -> list[Block]:
    """Classify raw blocks; `hints` (e.g. from HTML tags) may mark a block as `heading`."""
    seen_keys: dict[str, int] = {}
    out: list[Block] = []
    normalized = [normalize_text(raw) for raw in raw_blocks]
    keys = [block_key(text) if text else "" for text in normalized]
    near = NearDuplicateIndex([_shingles(k) for k in keys if len(k) >= NEAR_DUP_MIN_CHARS])
    for position, (raw, text) in enumerate(zip(raw_blocks, normalized, strict=True)):
        if not text:
            continue
        index = len(out)
        key = keys[position]
        kind: BlockKind
        rule: str | None = None
        dup_of = seen_keys.get(key) if key else None
        shingles = _shingles(key) if len(key) >= NEAR_DUP_MIN_CHARS else None
        if dup_of is None and shingles is not None:
            dup_of = near.find(shingles)
            if dup_of is not None:
                rule = "near"
        elif dup_of is not None:
            rule = "exact"
        if key and key not in seen_keys:
            seen_keys[key] = index
        if shingles is not None and rule is None:
            near.add(index, shingles)
        if dup_of is not None:
            kind = "duplicate"
        elif (label := match_boilerplate(text)) is not None:
            kind, rule = "boilerplate", label
        elif (hints is not None and hints[position] == "heading") or is_heading_like(text):
            kind = "heading"
        else:
            kind = "paragraph"
        out.append(Block(index=index, kind=kind, text=text, raw=raw, duplicate_of=dup_of, rule=rule))
    return out


class NearDuplicateIndex:
    """Blocks by shingle, for the first earlier block with Jaccard >= `NEAR_DUP_JACCARD` without comparing
    every pair. Finds exactly what comparing a block with every earlier one finds.

    Prefix filtering: shingles are ranked rarest first (by their counts over the blocks given here,
    which are the only ones that may be added or looked up); two sets that similar share a shingle
    among the first `n - ceil(t * n) + 1` of each. A candidate is then bounded without comparing the
    sets: the `c` prefix shingles it shares are all its common shingles up to the earlier of the two
    prefix ends, so at most `c` plus the shingles past that end can be common; only candidates whose
    bound reaches the overlap `t / (1 + t) * (|x| + |y|)` that Jaccard `t` needs are compared. On text
    made of recurring sentences, where even a block's rarest shingles occur in many blocks, the
    candidates are counted and bounded in numpy rather than one by one."""

    def __init__(self, all_shingles: Sequence[frozenset[str]]) -> None:
        counts: dict[str, int] = {}
        for shingles in all_shingles:
            for sh in shingles:
                counts[sh] = counts.get(sh, 0) + 1
        self._rank = {sh: r for r, sh in enumerate(sorted(counts, key=lambda sh: (counts[sh], sh)))}
        self._postings: dict[int, list[int]] = {}
        self._sets: dict[int, frozenset[str]] = {}
        # per indexed block: its size, the rank of its last prefix shingle and its prefix length
        self._meta = np.zeros((3, 64), dtype=np.int64)
        self._cached: tuple[frozenset[str], list[int]] | None = None

    def _prefix(self, shingles: frozenset[str]) -> list[int]:
        if self._cached is not None and self._cached[0] is shingles:
            return self._cached[1]
        ordered = sorted(map(self._rank.__getitem__, shingles))
        keep = len(ordered) - math.ceil(NEAR_DUP_JACCARD * len(ordered) - 1e-9) + 1
        prefix = ordered[: max(1, keep)]
        self._cached = (shingles, prefix)
        return prefix

    def add(self, index: int, shingles: frozenset[str]) -> None:
        """Index a block that later blocks may repeat."""
        prefix = self._prefix(shingles)
        self._sets[index] = shingles
        if index >= self._meta.shape[1]:
            grown = np.zeros((3, max(2 * self._meta.shape[1], index + 1)), dtype=np.int64)
            grown[:, : self._meta.shape[1]] = self._meta
            self._meta = grown
        self._meta[:, index] = (len(shingles), prefix[-1], len(prefix))
        for r in prefix:
            self._postings.setdefault(r, []).append(index)

    def find(self, shingles: frozenset[str]) -> int | None:
        """The first indexed block whose shingles have Jaccard >= NEAR_DUP_JACCARD with these."""
        t, size = NEAR_DUP_JACCARD, len(shingles)
        prefix = self._prefix(shingles)
        hits = np.fromiter(chain.from_iterable(self._postings.get(r, ()) for r in prefix), dtype=np.int64)
        if not hits.size:
            return None
        ids, shared = np.unique(hits, return_counts=True)  # ids ascending: the first match wins
        n, last, plen = self._meta[:, ids]
        rest = np.where(
            prefix[-1] <= last,
            np.minimum(size - len(prefix), n - shared),
            np.minimum(n - plen, size - shared),
        )
        keep = (t * size - 1e-9 <= n) & (n <= size / t + 1e-9)
        keep &= shared + rest >= t / (1 + t) * (size + n) - 1e-6
        for index in ids[keep].tolist():
            inter = len(shingles & self._sets[index])
            if inter and inter / (size + len(self._sets[index]) - inter) >= t:  # |x & y| / |x | y|
                return int(index)
        return None


def assemble_text(blocks: Sequence[Block]) -> tuple[str, list[Block]]:
    """Join kept blocks with a blank line; return the clean text and blocks with their offsets."""
    parts: list[str] = []
    pos = 0
    out: list[Block] = []
    for block in blocks:
        if block.kept:
            if parts:
                parts.append("\n\n")
                pos += 2
            out.append(replace(block, start=pos, end=pos + len(block.text)))
            parts.append(block.text)
            pos += len(block.text)
        else:
            out.append(block)
    return "".join(parts), out
