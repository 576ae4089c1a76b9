"""CAMEO-coded events: who did what to whom, where and when.

1. Triggers come from `lang/hi/event_triggers.tsv` (Hindi word or phrase → CAMEO code, Goldstein value,
   label). A trigger counts only when it names something that happened or is planned
   (`lang/hi/event_cues.tsv`): it is the predicate (a light verb within `LIGHT_WINDOW` words after it:
   चर्चा हुई, वादा किया, मीटिंग की; not after a negation, हमला नहीं किया, nor across a postposition,
   सहयोग पर बातचीत हुई, except हिरासत में लिया), follows a participle (हुई बैठक), is a meeting noun with a locative
   (बैठक में, बैठक के दौरान), or refers back with a demonstrative (इस बैठक). Purpose and condition
   phrases (युद्ध विराम के लिए / होते ही) therefore yield no event.
2. Participants are the entities of the trigger's clause, plus the person a subject pronoun
   (उन्होंने) resolves to; a clause with no entity at all takes the previous sentence's person
   subject (Hindi drops a repeated subject); the place (a LOCATION mention followed by में) is kept apart as `location`.
   A back-reference (इस बैठक) adds place and date but no participants.
3. The date is the resolved date of the trigger's sentence nearest to the trigger. An event told in
   a sentence that also mentions another event (इस बैठक में … हस्ताक्षर किए गए) takes that event's
   participants, place and date where it has none; one in a sentence opening with "इस दौरान" (during
   this) takes the place and date of the event told just before.
4. A trigger joins an earlier event of the same family (the 3-digit CAMEO code; any 04x for
   consultations) seen within
   `MERGE_WINDOW` sentences unless a determiner marks a new one (एक, दूसरी, अगली) or its sentence has
   a different date or place; it must refer back (demonstrative), share the sentence, a participant,
   or bring no participants of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from khabar.analysis._facts import (
    END,
    START,
    WORD_CHAR,
    SentenceSubject,
    alternation,
    entity_of,
    entity_type,
    lexicon,
    mentions_between,
    next_word,
    track_subjects,
)
from khabar.article import Article, DateExpr, Event, Mention, Span

# Words after a trigger searched for a light verb; 3 covers "चर्चा भी हुई", "मीटिंग नहीं की".
LIGHT_WINDOW = 3
# Words before a trigger searched for a demonstrative or a "new event" determiner ("इस पूरी बैठक").
DETERMINER_WINDOW = 2
# Sentences over which a later trigger may still join an earlier event. Set on the seed article,
# whose meeting is re-mentioned at most 3 sentences after the previous mention, with some margin.
MERGE_WINDOW = 6


# CAMEO roots whose codes all count as one family for merging: a meeting, talks and a visit told in
# neighbouring sentences are one encounter. Other codes merge only with the same 3-digit code
# (thanks 051 and an agreement 057 stay apart).
ROOT_FAMILIES = frozenset({"04"})


def family(cameo: str) -> str:
    """The merge family of a CAMEO code."""
    return cameo[:2] if cameo[:2] in ROOT_FAMILIES else cameo[:3]


@dataclass(frozen=True, slots=True)
class Trigger:
    """A lexicon entry: CAMEO code, Goldstein value and an English label."""

    cameo: str
    goldstein: float
    label: str


@dataclass(slots=True)
class _Draft:
    """An event being assembled while scanning sentences (local to one call)."""

    trigger: Trigger
    first: Span
    first_text: str
    sentence: int
    last_sentence: int
    mentions: list[Span] = field(default_factory=list)
    sentences: list[int] = field(default_factory=list)
    dropped_subject: str | None = None
    within: _Draft | None = None
    participants: list[str] = field(default_factory=list)
    location: str | None = None
    date: str | None = None


@cache
def triggers() -> dict[str, Trigger]:
    """The trigger lexicon: normalised form → Trigger."""
    return {
        re.sub(r"\s+", " ", row[0]): Trigger(row[1], float(row[2]), row[3])
        for row in lexicon("event_triggers.tsv")
    }


@cache
def _cues(kind: str) -> frozenset[str]:
    return frozenset(row[0] for row in lexicon("event_cues.tsv") if row[1] == kind)


@cache
def _trigger_pattern() -> re.Pattern[str]:
    return re.compile(rf"{START}(?:{alternation(triggers())}){END}")


def _words_after(text: str, pos: int, end: int, n: int) -> list[str]:
    return re.findall(rf"{WORD_CHAR}+", text[pos:end])[:n]


def _words_before(text: str, start: int, pos: int, n: int) -> list[str]:
    return re.findall(rf"{WORD_CHAR}+", text[start:pos])[-n:] if n else []


def _status(text: str, s: int, e: int, sent_start: int, sent_end: int, label: str) -> tuple[bool, bool, bool]:
    """(predicate, back-reference, new) for a trigger at `[s, e)`."""
    after = _words_after(text, e, sent_end, LIGHT_WINDOW)
    before = _words_before(text, sent_start, s, DETERMINER_WINDOW)
    predicate = False
    for k, w in enumerate(after):
        if w in _cues("negation"):
            break  # "हमला नहीं किया": a denied event
        if w in _cues("light") or (w in _cues("light_final") and _final(text, e, sent_end, k, after)):
            predicate = True
            break
        if w in _cues("postposition") and not (k + 1 < len(after) and after[k + 1] in _cues("light")):
            break  # "सहयोग पर बातचीत हुई": the verb belongs to बातचीत
    predicate = predicate or bool(before and before[-1] in _cues("before"))
    if label == "meet" and after:
        two = " ".join(after[:2])
        predicate = predicate or after[0] in _cues("locative") or two in _cues("locative")
    back = any(w in _cues("demonstrative") for w in before)
    new = any(w in _cues("new") for w in before)
    return predicate, back, new


@cache
def _clause_boundary() -> re.Pattern[str]:
    """Clause boundaries inside a sentence: a कि complement, conjunction or relative word, a contrast
    word after a comma (`lang/hi/clauses.tsv`), a semicolon."""
    rows = lexicon("clauses.tsv")
    after_comma = alternation(r[0] for r in rows if r[1] == "after_comma")
    breaks = alternation(r[0] for r in rows if r[1] == "break")
    return re.compile(rf",\s*(?:{after_comma})\s|;|\s(?:{breaks})\s")


def _clause(text: str, start: int, end: int, pos: int) -> tuple[int, int]:
    """The clause of the sentence `[start, end)` that holds offset `pos`."""
    cs, ce = start, end
    for b in _clause_boundary().finditer(text, start, end):
        if b.end() <= pos:
            cs = b.end()
        elif b.start() >= pos:
            ce = b.start()
            break
    return cs, ce


def _final(text: str, e: int, sent_end: int, k: int, after: list[str]) -> bool:
    """Whether the k-th word after a trigger ends its clause or is followed by an auxiliary."""
    if k + 1 < len(after):
        return after[k + 1] in _cues("aux")
    rest = re.findall(rf"{WORD_CHAR}+|[^\s]", text[e:sent_end])
    idx = [i for i, w in enumerate(rest) if w == after[k]]
    return (
        not idx
        or idx[0] + 1 >= len(rest)
        or not re.match(WORD_CHAR, rest[idx[0] + 1])
        or (rest[idx[0] + 1] in _cues("aux"))
    )


def _sentence_date(dates: list[DateExpr], s: int, e: int, pos: int) -> str | None:
    """The resolved date in `[s, e)` nearest to `pos` (day grain preferred)."""
    inside = [d for d in dates if d.value and s <= d.start < e]
    if not inside:
        return None
    inside.sort(key=lambda d: (d.grain != "day", abs(d.start - pos)))
    return inside[0].value


def _place(article: Article, s: int, e: int) -> str | None:
    """The first LOCATION entity in `[s, e)` marked with में."""
    for m in mentions_between(article, s, e):
        ent = entity_of(article, m)
        if ent and entity_type(article, ent) == "LOCATION" and next_word(article.text, m.end) == "में":
            return ent
    return None


# A place or organisation followed by के/की/का and, within this many characters, a titled person
# ("फ्रांस के राष्ट्रपति इमेनुएल मैक्रों") only says whose title it is: the person takes part, not the
# country. Set from Hindi news titles: "X के विशेष दूत/विदेश मंत्री/प्रधानमंत्री" run 12-30 characters.
QUALIFIER_MAX_GAP = 40


def _qualifies_person(article: Article, mention: Mention, following: list[Mention]) -> bool:
    """Whether a non-person mention only qualifies the next person's title: "X के <title> Person" or
    "X <title> Person" (व्हाइट हाउस सलाहकार जोश ग्रुएनबाम)."""
    nxt = following[0] if following else None
    if mention.type == "PERSON" or nxt is None or nxt.type != "PERSON" or nxt.role is None:
        return False
    if nxt.start - mention.end > QUALIFIER_MAX_GAP:
        return False
    gap = article.text[mention.end : nxt.start].split()
    return gap == nxt.role.split() or (bool(gap) and gap[0] in ("के", "की", "का"))


@dataclass(frozen=True, slots=True)
class _Mention:
    """One trigger occurrence with what its sentence says about it."""

    span: Span
    trigger: Trigger
    back: bool
    new: bool
    people: tuple[str, ...]
    place: str | None
    when: str | None
    dropped_subject: str | None
    during: bool


@cache
def _during_pattern() -> re.Pattern[str]:
    forms = [row[0] for row in lexicon("event_cues.tsv") if row[1] == "during"]
    return re.compile(rf"[\s\W]*(?:{alternation(forms)}){END}")


def _observe(article: Article, tm: re.Match[str], i: int, subjects: list[SentenceSubject]) -> _Mention | None:
    """Read one trigger occurrence in sentence `i`; None when it names no event."""
    text = article.text
    sent = article.sentences[i]
    trig = triggers()[re.sub(r"\s+", " ", tm.group(0))]
    predicate, back, new = _status(text, tm.start(), tm.end(), sent.start, sent.end, trig.label)
    if not (predicate or back):
        return None
    cs, ce = _clause(text, sent.start, sent.end, tm.start())
    place = _place(article, cs, ce)
    people: list[str] = []
    if predicate:
        subject = subjects[i]
        if subject.pronoun is not None and subject.entity and cs <= subject.pronoun[0] < ce:
            people.append(subject.entity)
        in_clause = mentions_between(article, cs, ce)
        for k, m in enumerate(in_clause):
            ent = entity_of(article, m)
            if (
                ent
                and ent != place
                and ent not in people
                and not _qualifies_person(article, m, in_clause[k + 1 :])
            ):
                people.append(ent)
    agent = re.search(rf"{WORD_CHAR}\s+ने{END}", text[cs : tm.start()])
    dropped = subjects[i - 1].entity if predicate and not people and not agent and i > 0 else None
    when = _sentence_date(article.dates, sent.start, sent.end, tm.start())
    during = _during_pattern().match(text, sent.start, sent.end) is not None
    return _Mention(Span(tm.start(), tm.end()), trig, back, new, tuple(people), place, when, dropped, during)


def _add(drafts: list[_Draft], obs: _Mention, i: int, text: str) -> None:
    """Merge a trigger occurrence into an earlier event or start a new one."""
    target = None
    if not obs.new or obs.back:
        target = _merge_target(drafts, obs.trigger, i, obs.back, list(obs.people), obs.when, obs.place)
    if target is None:
        target = _Draft(obs.trigger, obs.span, text[obs.span.start : obs.span.end], i, i)
        if obs.during and drafts:
            target.within = drafts[-1]
        drafts.append(target)
    target.mentions.append(obs.span)
    target.sentences.append(i)
    target.last_sentence = i
    target.dropped_subject = target.dropped_subject or obs.dropped_subject
    if target.location is None and obs.place is not None:
        target.location = obs.place
        target.participants = [p for p in target.participants if p != obs.place]
    for p in obs.people:
        if p not in target.participants and p != target.location:
            target.participants.append(p)
    target.date = target.date or obs.when


def extract_events(article: Article) -> Article:
    """Set `article.events`: CAMEO-coded events with participants, place and date, merged across
    sentences."""
    subjects = track_subjects(article)
    drafts: list[_Draft] = []
    for i, sent in enumerate(article.sentences):
        for tm in _trigger_pattern().finditer(article.text, sent.start, sent.end):
            obs = _observe(article, tm, i, subjects)
            if obs is not None:
                _add(drafts, obs, i, article.text)
    _inherit_context(drafts)
    for d in drafts:
        if d.within is not None:
            # "इस दौरान अमेरिका ने वादा किया": inside the event told just before
            d.location = d.location or d.within.location
            d.date = d.date or d.within.date
        if not d.participants and d.dropped_subject:
            # "राहुल दिल्ली पहुंचे. वहां किसानों से मुलाकात की.": the dropped subject is the previous
            # sentence's person
            d.participants = [d.dropped_subject]
    article.events = [
        Event(
            type=d.trigger.label,
            cameo=d.trigger.cameo,
            goldstein=d.trigger.goldstein,
            trigger=d.first,
            trigger_text=d.first_text,
            participants=tuple(d.participants),
            location=d.location,
            date=d.date,
            mentions=tuple(d.mentions),
            sentence=d.sentence,
        )
        for d in drafts
    ]
    return article


def _inherit_context(drafts: list[_Draft]) -> None:
    """An event told inside another one's sentence ("इस बैठक में 10 समझौतों पर हस्ताक्षर किए गए") takes
    that event's participants, place and date where it has none of its own."""
    for d in drafts:
        for other in drafts:
            if other is d or not set(d.sentences) & set(other.sentences):
                continue
            if not d.participants:
                d.participants = [p for p in other.participants if p != d.location]
            d.location = d.location or other.location
            d.date = d.date or other.date


def _merge_target(
    drafts: list[_Draft],
    trig: Trigger,
    sentence: int,
    back: bool,
    people: list[str],
    when: str | None,
    place: str | None,
) -> _Draft | None:
    """The most recent compatible event of the same CAMEO root that this trigger refers to."""
    for d in reversed(drafts):
        if family(d.trigger.cameo) != family(trig.cameo) or sentence - d.last_sentence > MERGE_WINDOW:
            continue
        if when is not None and d.date is not None and when != d.date:
            continue
        if place is not None and d.location is not None and place != d.location:
            continue
        shares = any(p in d.participants for p in people)
        if back or d.last_sentence == sentence or shares or not people:
            return d
    return None
