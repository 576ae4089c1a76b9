"""Template lines learned from a corpus: short segments that recur across many different stories.

A block (a line, or an HTML paragraph) is split into segments at sentence ends (danda, ?, !, a full
stop before a space; a footer glued to the last sentence with no line break is a segment of its own).
Each segment of at most `LEARN_MAX_CHARS` characters has a key: a 64-bit hash of its folded
skeleton (`khabar.dedup.minhash.normalize_dedup`), so respelled copies of one line share it.

A key is *learned* when it occurs in at least `required_stories(n)` different stories of a corpus of
`n` stories (a story is a same-story cluster, so the copies of one article count once). Learned
segments are template (breadcrumbs, bylines, widgets, disclaimers, app footers, follow prompts,
share lines, stock sentences), not content: `strip_learned` removes a block all of whose segments
are learned, and the learned segments at either edge of a block (a glued footer, a byline before
the lead). The document frequency is counted by the knowledge base as it grows (see
`khabar.store.learned`) and by `khabar.dedup.evaluate` for a labelled corpus.
"""

from __future__ import annotations

import hashlib
import math
import re
import struct
from collections.abc import Collection, Iterable, Sequence
from dataclasses import replace

from khabar.article import Block

# Segments longer than this are content, never learned (template lines run 5-200 characters: the
# longest are agency disclaimers and app footers; a news paragraph reused by two stories is longer).
LEARN_MAX_CHARS = 240
# A key is learned when it occurs in at least this many different stories ...
MIN_STORIES = 3
# ... and in at least this share of all stories, so that a sentence a few stories quote (a statement
# reused by a week of follow-ups) is not template in a large knowledge base: at 50,000 stories a line
# must recur in 100 of them; up to 1,500 stories MIN_STORIES decides.
STORY_SHARE = 0.002
# Nothing is learned from fewer stories than this: in a handful of stories a sentence that two or
# three of them share (a statement, a name) cannot be told apart from a template line.
MIN_CORPUS_STORIES = 10
# The rule label of a learned block, and of a learned edge split off a kept block.
RULE_LEARNED = "learned"
RULE_LEARNED_EDGE = "learned-edge"

# A segment ends after a sentence end (and after the closing quote or bracket that follows one).
_SEGMENT_END = re.compile(r"(?<=[।॥?!])(?![।॥?!'\"”’)\]])\s*|(?<=[।॥?!]['\"”’)\]])\s*|(?<=[.])\s+")


def required_stories(n_stories: int) -> int:
    """How many different stories a key must occur in to be learned, in a corpus of `n_stories`
    (more than there are below `MIN_CORPUS_STORIES`: nothing is learned)."""
    if n_stories < MIN_CORPUS_STORIES:
        return n_stories + 1
    return max(MIN_STORIES, math.ceil(STORY_SHARE * n_stories))


def segment_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the segments of a normalised block text, spaces trimmed, empty ones left out."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for match in _SEGMENT_END.finditer(text):
        if match.end() <= pos:
            continue
        _append_trimmed(spans, text, pos, match.start())
        pos = match.end()
    _append_trimmed(spans, text, pos, len(text))
    return spans


def _append_trimmed(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def segment_key(segment: str) -> int | None:
    """The learning key of a segment (signed 64-bit), or None when it is too long or has no word."""
    from khabar.dedup.minhash import normalize_dedup

    if len(segment) > LEARN_MAX_CHARS:
        return None
    norm = normalize_dedup(segment)
    if not norm:
        return None
    digest = hashlib.blake2b(norm.encode("utf-8"), digest_size=8, person=b"khabar-line").digest()
    key: int = struct.unpack("<q", digest)[0]
    return key


def block_segment_keys(text: str) -> list[int | None]:
    """The key of each segment of a block text, in order."""
    return [segment_key(text[s:e]) for s, e in segment_spans(text)]


def article_line_segments(blocks: Iterable[Block]) -> dict[int, str]:
    """The keys an article contributes to the document frequencies, each with its segment text: those
    of every segment of its blocks except blocks that repeat an earlier one. Learned template removed
    or not, the keys are the same (edges are split off at segment ends)."""
    out: dict[int, str] = {}
    for block in blocks:
        if block.kind == "duplicate":
            continue
        for start, end in segment_spans(block.text):
            key = segment_key(block.text[start:end])
            if key is not None:
                out.setdefault(key, block.text[start:end])
    return out


def article_line_keys(blocks: Iterable[Block]) -> set[int]:
    """The keys of `article_line_segments`."""
    return set(article_line_segments(blocks))


def describe_rule(rule: str | None) -> str | None:
    """A reader's explanation of a learned-template rule label (None for other rules)."""
    if rule in (RULE_LEARNED, RULE_LEARNED_EDGE):
        return "template line learned from the knowledge base: it recurs across many stories"
    return None


def learn_keys(stories: Iterable[Collection[int]]) -> frozenset[int]:
    """The learned keys of a corpus given the key set of each story (the union over its copies)."""
    counts: dict[int, int] = {}
    n = 0
    for keys in stories:
        n += 1
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
    need = required_stories(n)
    return frozenset(k for k, c in counts.items() if c >= need)


def strip_learned(blocks: Sequence[Block], learned: Collection[int]) -> list[Block]:
    """Blocks with learned template removed: a kept block whose segments are all learned becomes
    `boilerplate` (rule `learned`); learned segments at its start or end are split off as boilerplate
    blocks (rule `learned-edge`). Blocks are renumbered. Nothing is removed when it would leave no
    kept block."""
    if not learned:
        return list(blocks)
    plan: list[tuple[Block, list[tuple[str, str]]]] = []
    changed = False
    kept_left = 0
    for block in blocks:
        parts = _learned_parts(block, learned) if block.kept else None
        if parts is None:
            plan.append((block, []))
            kept_left += int(block.kept)
            continue
        changed = True
        plan.append((block, parts))
        kept_left += sum(1 for kind, _ in parts if kind == "kept")
    if not changed or kept_left == 0:
        return list(blocks)
    out: list[Block] = []
    renumber: dict[int, int] = {}
    for block, parts in plan:
        if not parts:
            renumber[block.index] = len(out)
            dup = renumber.get(block.duplicate_of) if block.duplicate_of is not None else None
            out.append(replace(block, index=len(out), duplicate_of=dup))
            continue
        for kind, text in parts:
            if kind == "kept":
                renumber[block.index] = len(out)
                out.append(replace(block, index=len(out), text=text))
            elif kind == "all":
                renumber[block.index] = len(out)
                out.append(replace(block, index=len(out), kind="boilerplate", rule=RULE_LEARNED))
            else:
                out.append(
                    Block(index=len(out), kind="boilerplate", text=text, raw=text, rule=RULE_LEARNED_EDGE)
                )
    return out


def _learned_parts(block: Block, learned: Collection[int]) -> list[tuple[str, str]] | None:
    """How a kept block splits: [("all", text)] when every segment is learned, else the learned edges
    ("edge", text) around the kept middle ("kept", text); None when nothing in it is learned."""
    text = block.text
    spans = segment_spans(text)
    if not spans:
        return None
    flags = [(k := segment_key(text[s:e])) is not None and k in learned for s, e in spans]
    if not any(flags):
        return None
    if all(flags):
        return [("all", text)]
    first = flags.index(False)
    last = len(flags) - 1 - flags[::-1].index(False)
    if first == 0 and last == len(flags) - 1:
        return None
    parts: list[tuple[str, str]] = []
    if first > 0:
        parts.append(("edge", text[spans[0][0] : spans[first - 1][1]]))
    parts.append(("kept", text[spans[first][0] : spans[last][1]]))
    if last < len(flags) - 1:
        parts.append(("edge", text[spans[last + 1][0] : spans[-1][1]]))
    return parts
