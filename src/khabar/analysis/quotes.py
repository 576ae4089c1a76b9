"""Quotes with their speakers.

- Direct quotes: text between “…”, ‘…’ or "…" in a kept block. The speaker comes from the attribution
  in the sentence(s) holding the quote marks, outside the quote: an entity mention followed by ने
  (“…”, मोदी ने कहा), a "X के मुताबिक", or a subject pronoun. A quote of fewer than
  `MIN_DIRECT_WORDS` words with no speech cue is a title or a scare quote and is skipped.
- Reported speech: "X ने [कहा|बताया|दावा किया|जोर दिया|आरोप लगाया|…] कि <statement>" (or "X ने कहा,
  <statement>" with a comma or colon instead of कि),
  "X का कहना है कि …" and "X के मुताबिक/अनुसार, <statement>". The statement runs from after कि (or
  the cue) to the end of the sentence.
- The speaker is the entity of the mention X (titles before it are part of the phrase, not of the
  check); a bare title as X (राष्ट्रपति ने कहा कि) is the entity with that role mentioned last. A pronoun (उन्होंने, उसने, वो, वह) as the agent resolves to the most recent person: the last
  quote's speaker or the last person subject of a sentence. Otherwise (पुलिस ने कहा कि) the speaker is
  None.

Cue phrases live in `lang/hi/quote_cues.tsv`, pronouns in `lang/hi/pronouns.tsv`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from khabar.analysis._facts import (
    END,
    START,
    WORD_CHAR,
    alternation,
    entity_of,
    entity_type,
    lexicon,
    track_subjects,
)
from khabar.article import Article, Quote

# Shortest direct quote (in words) accepted without a speech cue in its sentence; shorter quoted
# strings are mostly names and scare quotes (‘ऑपरेशन सिंदूर’). Set by reading the quotes found in the
# 1,000 UD Hindi PUD sentences.
MIN_DIRECT_WORDS = 4
# A short quote is kept when its cue is at most this many characters outside the quote marks
# ("“जीतेंगे,” मोदी ने कहा").
MAX_CUE_GAP = 25
# "X के मुताबिक" without a comma opens a statement only when X has at most this many words.
MAX_ACCORDING_WORDS = 5
_QUOTE_PAIRS = re.compile(r"“([^”]+)”|‘([^’]+)’|\"([^\"]+)\"|«([^»]+)»")
_TRIM = " \t,;:-–—।.!?"


@cache
def _cues(kind: str) -> tuple[str, ...]:
    return tuple(re.sub(r"\s+", " ", row[0]) for row in lexicon("quote_cues.tsv") if row[1] == kind)


@cache
def _pronouns() -> frozenset[str]:
    return frozenset(row[0] for row in lexicon("pronouns.tsv"))


@dataclass(frozen=True, slots=True)
class _Patterns:
    reported: re.Pattern[str]
    according: re.Pattern[str]
    cue_anywhere: re.Pattern[str]


@cache
def _patterns() -> _Patterns:
    verbs = alternation(_cues("verb") + _cues("present"))
    return _Patterns(
        reported=re.compile(
            rf"{START}(?P<cue>{verbs})(?:\s+(?:{alternation(_cues('aux'))})){{0,1}}{END}"
            rf"(?:\s*[,:]?\s+कि{END}\s*[,:]?\s*|(?P<comma>\s*[,:]\s*))"
        ),
        according=re.compile(rf"\s(?P<cue>{alternation(_cues('according'))}){END}\s*[,:]?\s*"),
        cue_anywhere=re.compile(rf"{START}(?P<cue>{verbs}){END}"),
    )


def _resolve_speaker(
    article: Article, start: int, pos: int, last_person: str | None, cue: str = ""
) -> str | None:
    """The speaker of a cue at `pos` from the clause `[start, pos)`: the agent closest to the cue,
    either "X ने" (or "X का" before कहना है) with X an entity mention, or a pronoun agent
    (उन्होंने → `last_person`). A closer agent that is no entity (पुलिस ने) gives None."""
    text = article.text
    best_pos, best = -1, None
    marker_re = "ने|का" if cue.startswith("कहना") else "ने"
    for m in re.finditer(rf"{START}({WORD_CHAR}+)(?:\s+({marker_re}))?{END}", text[start:pos]):
        word, marker = m.group(1), m.group(2)
        at = start + m.start()
        if marker is None and word in _pronouns() and word.endswith("ने"):
            best_pos, best = at, last_person
        elif marker is not None:
            ent = _mention_entity_ending(article, start + m.start(2))
            best_pos, best = at, ent or _entity_by_role(article, start + m.start(2))
    if best_pos >= 0:
        return best
    first = re.match(rf"\s*({WORD_CHAR}+)", text[start:pos])
    if first and first.group(1) in _pronouns():
        return last_person  # "वो कहते हैं कि"
    return None


def _entity_by_role(article: Article, pos: int) -> str | None:
    """The entity a bare title before `pos` refers to ("राष्ट्रपति ने कहा", "विशेष दूत ने"): among
    entities with that role, the one mentioned last before `pos`."""
    before = article.text[max(0, pos - 60) : pos].rstrip()
    best, best_end = None, -1
    for ent in article.entities:
        if not any(role and re.search(rf"{START}{re.escape(role)}$", before) for role in ent.roles):
            continue
        ends = [m.end for m in ent.mentions if m.end <= pos]
        if ends and max(ends) > best_end:
            best, best_end = ent.id, max(ends)
    return best


def _mention_entity_ending(article: Article, pos: int) -> str | None:
    """The entity of a mention ending (modulo spaces) right before `pos`."""
    for m in article.mentions:
        if m.end <= pos and not article.text[m.end : pos].strip():
            return entity_of(article, m)
    return None


def _attribution_like(text: str, sent_start: int, m: re.Match[str]) -> bool:
    """Whether "X के मुताबिक" opens the statement: followed by a comma, or X is short and sentence-initial
    (not "नियमों के अनुसार काम होगा" in mid-sentence)."""
    if re.match(r"[^,]*,", m.group(0)):
        return True
    return len(re.findall(rf"{WORD_CHAR}+", text[sent_start : m.start()])) <= MAX_ACCORDING_WORDS


def _content(text: str, s: int, e: int) -> tuple[int, int]:
    """Trim spaces and punctuation from both ends of a span."""
    while s < e and text[s] in _TRIM:
        s += 1
    while e > s and text[e - 1] in _TRIM:
        e -= 1
    return s, e


def _direct_quotes(article: Article) -> list[tuple[int, int]]:
    """Content spans of quoted text in kept blocks."""
    spans: list[tuple[int, int]] = []
    for block in article.blocks:
        if block.start is None or block.end is None:
            continue
        for m in _QUOTE_PAIRS.finditer(article.text, block.start, block.end):
            g = next(i for i in range(1, 5) if m.group(i) is not None)
            spans.append(_content(article.text, m.start(g), m.end(g)))
    return spans


def extract_quotes(article: Article) -> Article:
    """Set `article.quotes`: direct and reported statements with their speaker entity ids."""
    text = article.text
    pats = _patterns()
    subjects = track_subjects(article)
    direct = _direct_quotes(article)
    quotes: list[Quote] = []
    last_person: str | None = None
    for i, sent in enumerate(article.sentences):
        found: list[Quote] = []
        for qs, qe in direct:
            if not sent.start <= qs < sent.end:
                continue
            # attribution: the sentence with the quote, outside the quote marks
            outside = [(sent.start, max(sent.start, qs - 1)), (min(qe + 1, sent.end), sent.end)]
            cue, speaker, cue_gap = "", None, len(text)
            for os_, oe in outside:
                cm = pats.cue_anywhere.search(text, os_, oe)
                if cm:
                    cue = re.sub(r"\s+", " ", cm.group("cue"))
                    speaker = _resolve_speaker(article, os_, cm.start(), last_person, cue)
                    cue_gap = qs - cm.end() if cm.end() <= qs else cm.start() - qe
                    break
            if not cue:
                am = pats.according.search(text, sent.start, max(sent.start, qs - 1))
                if am:
                    cue = re.sub(r"\s+", " ", am.group("cue"))
                    speaker = _mention_entity_ending(article, am.start() + 1)
            short = len(text[qs:qe].split()) < MIN_DIRECT_WORDS
            if short and (not cue or cue_gap > MAX_CUE_GAP):
                continue  # a title or scare quote, unless its attribution is right beside it
            found.append(Quote(qs, qe, text[qs:qe], speaker, cue or "quote", "direct"))
        for m in pats.reported.finditer(text, sent.start, sent.end):
            cs, ce = _content(text, m.end(), sent.end)
            if ce <= cs or any(q.start <= cs < q.end or cs <= q.start < ce for q in found):
                continue
            if m.group("comma") and not re.search(rf"ने{END}", text[sent.start : m.start()]):
                continue  # "कहा, …" without कि needs an agent with ने before it
            cue = re.sub(r"\s+", " ", m.group("cue"))
            speaker = _resolve_speaker(article, sent.start, m.start(), last_person, cue)
            found.append(Quote(cs, ce, text[cs:ce], speaker, cue, "reported"))
        if not any(q.kind == "reported" for q in found):
            am = pats.according.search(text, sent.start, sent.end)
            if am and _attribution_like(text, sent.start, am):
                cs, ce = _content(text, am.end(), sent.end)
                speaker = _mention_entity_ending(article, am.start() + 1)
                if ce > cs and not any(q.start <= cs < q.end or cs <= q.start < ce for q in found):
                    cue = re.sub(r"\s+", " ", am.group("cue"))
                    found.append(Quote(cs, ce, text[cs:ce], speaker, cue, "reported"))
        quotes.extend(found)
        persons = [q.speaker for q in found if entity_type(article, q.speaker) == "PERSON"]
        if persons:
            last_person = persons[-1]
        elif subjects[i].entity and entity_type(article, subjects[i].entity) == "PERSON":
            last_person = subjects[i].entity
    article.quotes = sorted(quotes, key=lambda q: q.start)
    return article
