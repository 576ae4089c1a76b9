"""Quotes with their speakers.

Forms (cue phrases in `lang/hi/quote_cues.tsv`):

- direct: text between “…”, ‘…’, "…", ''…'' or «…» in a kept block, attributed from the same sentence
  outside the marks. A quote of fewer than `MIN_DIRECT_WORDS` words is kept only with its cue beside
  it ("इसे ‘ऐतिहासिक’ करार दिया"), so titles and scare quotes are skipped;
- reported: "X ने [कहा|बताया|दावा किया|पुष्टि की|…] कि <statement>" (or a comma instead of कि after a
  ने agent); present tense "X का कहना/मानना है कि", "X कहते (रहे) हैं कि"; agentless "कहा गया कि",
  "रिपोर्ट में कहा गया है कि"; the statement first and the speaker after it ("<statement>, पुलिस ने
  पुष्टि की"); "X के मुताबिक/अनुसार/हवाले से, <statement>", also "X को मिली जानकारी के मुताबिक".
  "नियमों के मुताबिक" or "मंत्रालय के आदेश के अनुसार" (a rule, not a statement) is no quote.

The speaker (`speakers.py`) is an entity id, or None with a `source_kind` when the text names none.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache

from khabar.analysis._facts import (
    END,
    START,
    WORD_CHAR,
    alternation,
    entity_type,
    lexicon,
    track_subjects,
)
from khabar.analysis.speakers import Agent, agent_before, nominative_before, resolve_pronoun, source_agent
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
# A statement told before its speaker ("<statement>, पुलिस ने पुष्टि की") has at least this many words.
MIN_TRAILING_WORDS = 4
_QUOTE_PAIRS = re.compile(
    r"''([^']+)''|‘‘([^’]+)’’|“([^”]+)”|‘([^’]+)’|\"([^\"]+)\"|«([^»]+)»|(?<!\w)'([^'\n]+)'(?!\w)"
)
# Possessive pronouns that open an according phrase ("उनके मुताबिक": the last person).
_POSSESSIVE = ("उनके", "उसके", "इनके", "इसके")
_TRIM = " \t,;:-–—।.!?"


@cache
def cues(kind: str) -> tuple[str, ...]:
    """Cue phrases of one kind from `lang/hi/quote_cues.tsv`."""
    return tuple(re.sub(r"\s+", " ", row[0]) for row in lexicon("quote_cues.tsv") if row[1] == kind)


@dataclass(frozen=True, slots=True)
class _Patterns:
    reported: re.Pattern[str]
    according: re.Pattern[str]
    cue_anywhere: re.Pattern[str]
    trailing: re.Pattern[str]


@cache
def _patterns() -> _Patterns:
    verbs = alternation(cues("verb") + cues("present") + cues("passive") + cues("noun"))
    aux = alternation(cues("aux"))
    return _Patterns(
        reported=re.compile(
            rf"{START}(?P<cue>{verbs})(?:\s+(?:{aux})){{0,1}}{END}"
            rf"(?:\s*[,:]?\s+कि{END}\s*[,:]?\s*|(?P<comma>\s*[,:]\s*))"
        ),
        according=re.compile(rf"(?<!\S)(?P<cue>{alternation(cues('according'))}){END}\s*[,:]?\s*"),
        cue_anywhere=re.compile(rf"{START}(?P<cue>{verbs}){END}"),
        # "…, पुलिस ने इसकी पुष्टि की।": a ने agent and a cue closing the sentence after a comma
        trailing=re.compile(
            rf",\s*(?P<rest>[^,]*?{WORD_CHAR}\s+ने\s+(?:{WORD_CHAR}+\s+){{0,3}}?"
            rf"(?P<cue>{alternation(cues('trailing'))})(?:\s+(?:{aux}))?)\s*[।.!]*\s*$"
        ),
    )


@cache
def _cue_kinds() -> dict[str, str]:
    return {form: kind for kind in ("verb", "present", "passive", "noun") for form in cues(kind)}


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
            g = next(i for i in range(1, 8) if m.group(i) is not None)
            spans.append(_content(article.text, m.start(g), m.end(g)))
    return spans


def _quote(text: str, cs: int, ce: int, agent: Agent, cue: str) -> Quote:
    """A reported quote of `[cs, ce)` attributed to `agent`."""
    return Quote(
        cs, ce, text[cs:ce], agent.entity, re.sub(r"\s+", " ", cue), "reported", agent.source_kind, agent.text
    )


def _overlaps(found: list[Quote], cs: int, ce: int) -> bool:
    return any(q.start <= cs < q.end or cs <= q.start < ce for q in found)


def _cue_agent(article: Article, start: int, m: re.Match[str], last_person: Agent | None) -> Agent:
    """The agent of a cue match whose clause starts at `start`."""
    cue = re.sub(r"\s+", " ", m.group("cue"))
    kind = _cue_kinds().get(cue, "verb")
    if kind == "passive":
        return source_agent(article, start, m.start(), last_person)
    agent = agent_before(article, start, m.start(), last_person, genitive=kind == "noun")
    if agent is None:
        # "X कहते हैं कि", "वह बोले कि": a nominative subject (present tense, intransitive बोलना)
        agent = nominative_before(article, start, m.start(), last_person)
    if agent is None:
        return _dropped_subject(article, start, m.start(), last_person)
    return agent


def _dropped_subject(article: Article, start: int, pos: int, last_person: Agent | None) -> Agent:
    """No agent before a cue: the last person when only connectives precede it ("साथ ही कहा कि"),
    else an unnamed source."""
    words = " ".join(re.findall(rf"{WORD_CHAR}+", article.text[start:pos]))
    connectives = alternation(cues("connective"))
    if last_person and re.fullmatch(rf"(?:(?:{connectives})\s*)*", words):
        return resolve_pronoun(last_person)
    return Agent(None, "other")


def _according(
    article: Article, m: re.Match[str], sent_start: int, last_person: Agent | None
) -> Agent | None:
    """The source of "X के मुताबिक", or None when X is a rule or order (no attribution)."""
    text = article.text
    before = text[sent_start : m.start()]
    bridge = re.search(rf"\s(?:{alternation(cues('bridge'))})\s*$", before)
    if bridge:
        return Agent(None, "other")  # "X को मिली जानकारी के मुताबिक": what X learnt, from no one named
    if m.group("cue").startswith(_POSSESSIVE):
        return resolve_pronoun(last_person)  # "उनके मुताबिक"
    end = sent_start + len(before.rstrip()) + 1
    last = re.findall(rf"{WORD_CHAR}+", text[sent_start:end])[-1:]
    if last and last[0] in cues("not_source"):
        return None
    return source_agent(article, sent_start, end, last_person, according=True)


def _attribution_like(text: str, sent_start: int, m: re.Match[str]) -> bool:
    """Whether "X के मुताबिक" opens the statement: followed by a comma, or X is short and sentence-initial
    (not "नियमों के अनुसार काम होगा" in mid-sentence)."""
    if re.match(r"[^,]*,", m.group(0)):
        return True
    return len(re.findall(rf"{WORD_CHAR}+", text[sent_start : m.start()])) <= MAX_ACCORDING_WORDS


def _direct_in(
    article: Article, sent_start: int, sent_end: int, spans: list[tuple[int, int]], last: Agent | None
) -> list[Quote]:
    """Direct quotes starting in a sentence, attributed from outside their marks."""
    text = article.text
    pats = _patterns()
    found: list[Quote] = []
    for qs, qe in spans:
        if not sent_start <= qs < sent_end:
            continue
        outside = [(sent_start, max(sent_start, qs - 1)), (min(qe + 1, sent_end), sent_end)]
        cue, agent, cue_gap = "", Agent(None, None), len(text)
        for os_, oe in outside:
            cm = pats.cue_anywhere.search(text, os_, oe)
            if cm:
                cue = re.sub(r"\s+", " ", cm.group("cue"))
                between = agent_before(article, os_, cm.start(), last) if os_ > sent_start else None
                if between is None and os_ > sent_start:
                    # "X ने इसे ‘…’ करार दिया", "मोदी इसे ‘…’ बताते रहे हैं": the agent stands before the
                    # quote, the cue after it
                    head = max(sent_start, qs - 1)
                    between = agent_before(article, sent_start, head, last) or nominative_before(
                        article, sent_start, head, last
                    )
                agent = between or _cue_agent(article, os_, cm, last)
                cue_gap = qs - cm.end() if cm.end() <= qs else cm.start() - qe
                break
        if not cue:
            am = pats.according.search(text, sent_start, max(sent_start, qs - 1))
            src = _according(article, am, sent_start, last) if am else None
            if am and src is not None:
                cue, agent = re.sub(r"\s+", " ", am.group("cue")), src
        short = len(text[qs:qe].split()) < MIN_DIRECT_WORDS
        if short and (not cue or cue_gap > MAX_CUE_GAP):
            continue  # a title or scare quote, unless its attribution is right beside it
        kind = agent.source_kind if agent.entity is None and cue else None
        found.append(Quote(qs, qe, text[qs:qe], agent.entity, cue or "quote", "direct", kind, agent.text))
    return found


def _reported_in(
    article: Article, sent_start: int, sent_end: int, found: list[Quote], last: Agent | None
) -> None:
    """Reported statements of a sentence, appended to `found`."""
    text = article.text
    pats = _patterns()
    for m in pats.reported.finditer(text, sent_start, sent_end):
        cs, ce = _content(text, m.end(), sent_end)
        if ce <= cs or _overlaps(found, cs, ce):
            continue
        if m.group("comma") and not re.search(rf"ने{END}", text[sent_start : m.start()]):
            continue  # "कहा, …" without कि needs an agent with ने before it
        agent = _cue_agent(article, sent_start, m, last)
        found.append(_quote(text, cs, ce, agent, m.group("cue")))
    if any(q.kind == "reported" for q in found):
        return
    tm = pats.trailing.search(text, sent_start, sent_end)
    if tm:
        cs, ce = _content(text, sent_start, tm.start())
        if len(text[cs:ce].split()) >= MIN_TRAILING_WORDS and not _overlaps(found, cs, ce):
            agent = agent_before(article, tm.start("rest"), tm.start("cue"), last, genitive=False) or Agent(
                None, "other"
            )
            found.append(_quote(text, cs, ce, agent, tm.group("cue")))
            return
    am = pats.according.search(text, sent_start, sent_end)
    if am and _attribution_like(text, sent_start, am):
        src = _according(article, am, sent_start, last)
        cs, ce = _content(text, am.end(), sent_end)
        if src is not None and ce > cs and not _overlaps(found, cs, ce):
            found.append(_quote(text, cs, ce, src, am.group("cue")))


def extract_quotes(article: Article) -> Article:
    """Set `article.quotes`: direct and reported statements with their speaker entity ids."""
    subjects = track_subjects(article)
    direct = _direct_quotes(article)
    order = sorted(range(len(direct)), key=lambda k: direct[k][0])
    starts = [direct[k][0] for k in order]
    quotes: list[Quote] = []
    last_person: Agent | None = None
    for i, sent in enumerate(article.sentences):
        # the quote marks opening in this sentence, in list order (by bisection, not a scan per sentence)
        lo, hi = bisect_left(starts, sent.start), bisect_left(starts, sent.end)
        mine = [direct[k] for k in sorted(order[lo:hi])]
        found = _direct_in(article, sent.start, sent.end, mine, last_person)
        _reported_in(article, sent.start, sent.end, found, last_person)
        quotes.extend(found)
        named = [
            Agent(q.speaker, None, q.speaker_text)
            for q in found
            if entity_type(article, q.speaker) == "PERSON" or (q.speaker is None and q.speaker_text)
        ]
        if named:
            last_person = named[-1]
        elif subjects[i].entity and entity_type(article, subjects[i].entity) == "PERSON":
            last_person = Agent(subjects[i].entity, None)
    article.quotes = sorted(quotes, key=lambda q: q.start)
    return article
