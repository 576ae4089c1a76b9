"""Who did what to whom: an event's source (Actor1) and target (Actor2) from Hindi case markers.

The arguments of a trigger are the entity mentions of its clause, the generic actors no entity covers
(पुलिस, सेना, प्रदर्शनकारी: `lang/hi/actor_types.tsv`) and a subject pronoun resolved to its person. Each
takes the case marker after it (ने, द्वारा, को, से, पर, के साथ, के खिलाफ, के बीच, a genitive का/की/के, में
or none); coordinated arguments ("X और Y ने") share the marker of the last one. Then:

- source: the ने/द्वारा agent; else the genitive right before the trigger when the trigger's genitive
  is its agent ("आतंकियों का हमला", "X की Y से मुलाकात"); else a nominative before the trigger;
- target: को, पर, के खिलाफ, के साथ, से (for appeals, consultations and demands), the genitive right
  before the trigger when it is the patient ("X की गिरफ्तारी", "X की आलोचना"), or when an agent is
  already there ("मोदी ने बाइडन की तारीफ की"); for a visit the place visited ("जापान का दौरा", "दिल्ली
  पहुंचे");
- "X और Y के बीच बैठक", "X और Y ने मुलाकात की": X the source and Y the target of a symmetric event.

A place or organisation that only qualifies a titled person ("फ्रांस के राष्ट्रपति मैक्रों") is no
argument; a news agency or the publisher is none unless the story is about it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

from khabar.analysis._facts import (
    END,
    START,
    WORD_CHAR,
    SentenceSubject,
    alternation,
    entity_of,
    lexicon,
    mentions_between,
)
from khabar.analysis.namekey import name_key
from khabar.article import Actor, Article, Mention

# A place or organisation followed by के/की/का and, within this many characters, a titled person
# ("फ्रांस के राष्ट्रपति इमेनुएल मैक्रों") only says whose title it is. Set from Hindi news titles: "X के
# विशेष दूत/विदेश मंत्री/प्रधानमंत्री" run 12-30 characters.
QUALIFIER_MAX_GAP = 40
# A news agency is an actor only when the story mentions it at least this often (it is about it).
AGENCY_ABOUT_MIN = 3
# The genitive that may fill a role stands at most this many words before the trigger ("X की तीन
# दिवसीय यात्रा").
GENITIVE_REACH = 3
# CAMEO roots (and codes) where two joined agents are source and target ("X और Y ने मुलाकात की").
SYMMETRIC = ("04", "057", "046", "06", "0871", "03")
# Codes whose से-argument is the target ("Y से मुलाकात", "Y से अपील", "Y से मांग").
SE_TARGET_ROOTS = ("02", "03", "04", "05", "06", "10", "11", "12", "13")

_MARKERS: tuple[tuple[str, str], ...] = (
    ("के साथ", "साथ"),
    ("के खिलाफ", "खिलाफ"),
    ("के ख़िलाफ़", "खिलाफ"),
    ("के विरुद्ध", "खिलाफ"),
    ("के बीच", "बीच"),
    ("की ओर से", "द्वारा"),
    ("के लिए", "लिए"),
    ("ने", "ने"),
    ("द्वारा", "द्वारा"),
    ("को", "को"),
    ("से", "से"),
    ("पर", "पर"),
    ("में", "में"),
    ("का", "gen"),
    ("की", "gen"),
    ("के", "gen"),
)
_JOINERS = ("और", "व", "एवं", ",")


@dataclass(frozen=True, slots=True)
class Arg:
    """One argument of a trigger's clause with the case marker after it."""

    start: int
    end: int
    entity: str | None
    etype: str | None
    text: str
    name_en: str
    code: str | None
    marker: str
    joined: bool = False

    def actor(self) -> Actor:
        return Actor(self.entity, self.text, self.name_en, self.code)


@cache
def _generic() -> dict[str, tuple[str, str]]:
    return {row[0]: (row[1], row[2]) for row in lexicon("actor_types.tsv")}


@cache
def _generic_pattern() -> re.Pattern[str]:
    return re.compile(rf"{START}(?:{alternation(_generic())}){END}")


@cache
def _agency_keys() -> frozenset[str]:
    return frozenset(name_key(row[0]) for row in lexicon("news_agencies.tsv")) | frozenset(
        name_key(row[1]) for row in lexicon("news_agencies.tsv") if len(row) > 1
    )


def is_agency(article: Article, entity_id: str | None) -> bool:
    """Whether an entity is a news agency or broadcaster the story is not about."""
    ent = article.entity(entity_id) if entity_id else None
    if ent is None:
        return False
    names = {name_key(n) for n in (ent.name, ent.name_en, *ent.aliases)}
    return bool(names & _agency_keys()) and len(ent.mentions) < AGENCY_ABOUT_MIN


def _marker(text: str, pos: int, end: int) -> tuple[str, bool]:
    """The case marker after an argument ending at `pos`, and whether a conjunction follows."""
    rest = text[pos:end]
    stripped = rest.lstrip()
    for joiner in _JOINERS:
        if stripped.startswith(joiner) and (
            joiner == "," or re.match(rf"{re.escape(joiner)}{END}", stripped)
        ):
            return "", True
    for pattern, marker in _marker_patterns():
        if pattern.match(rest):
            return marker, False
    return "", False


@cache
def _marker_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(rf"\s*(?:{alternation([form])}){END}"), marker) for form, marker in _MARKERS)


def qualifies_person(article: Article, mention: Mention, following: list[Mention]) -> bool:
    """Whether a non-person mention only qualifies the next person's title: "X के <title> Person" or
    "X <title> Person" (व्हाइट हाउस सलाहकार जोश ग्रुएनबाम)."""
    nxt = following[0] if following else None
    if mention.type == "PERSON" or nxt is None or nxt.type != "PERSON" or nxt.role is None:
        return False
    if nxt.start - mention.end > QUALIFIER_MAX_GAP:
        return False
    gap = article.text[mention.end : nxt.start].split()
    return gap == nxt.role.split() or (bool(gap) and gap[0] in ("के", "की", "का"))


def clause_args(article: Article, cs: int, ce: int, subject: SentenceSubject) -> list[Arg]:
    """The arguments of the clause `[cs, ce)`, in text order, with their markers."""
    text = article.text
    raw: list[tuple[int, int, str | None, str | None, str, str, str | None]] = []
    mentions = mentions_between(article, cs, ce)
    for k, m in enumerate(mentions):
        ent = entity_of(article, m)
        if ent is None or qualifies_person(article, m, mentions[k + 1 :]) or is_agency(article, ent):
            continue
        entity = article.entity(ent)
        raw.append((m.start, m.end, ent, m.type, m.text, entity.name_en if entity else m.text, None))
    for g in _generic_pattern().finditer(text, cs, ce):
        if any(s < g.end() and g.start() < e for s, e, *_ in raw):
            continue
        code, english = _generic()[re.sub(r"\s+", " ", g.group(0))]
        raw.append((g.start(), g.end(), None, None, g.group(0), english, code))
    if subject.pronoun is not None and subject.entity and cs <= subject.pronoun[0] < ce:
        ps, pe = subject.pronoun
        if not any(s < pe and ps < e for s, e, *_ in raw):
            entity = article.entity(subject.entity)
            raw.append(
                (
                    ps,
                    pe,
                    subject.entity,
                    entity.type if entity else None,
                    entity.name if entity else text[ps:pe],
                    entity.name_en if entity else "",
                    None,
                )
            )
    raw.sort()
    args: list[Arg] = []
    for a_start, a_end, a_ent, a_type, a_text, a_en, a_code in raw:
        marker, joined = _marker(text, a_end, ce)
        if a_text in ("उन्होंने", "उसने", "इन्होंने", "इसने"):
            marker = "ने"
        args.append(Arg(a_start, a_end, a_ent, a_type, a_text, a_en, a_code, marker, joined))
    # coordinated arguments take the marker of the last conjunct ("भारत और जापान के बीच")
    for i in range(len(args) - 2, -1, -1):
        if args[i].joined and not args[i].marker:
            args[i] = replace(args[i], marker=args[i + 1].marker)
    return args


@dataclass(frozen=True, slots=True)
class Roles:
    source: Arg | None
    target: Arg | None
    others: tuple[Arg, ...]


def _chain_head(args: list[Arg], arg: Arg) -> Arg:
    """The first argument of the coordination `arg` ends ("विटकॉफ और कुशनर के साथ" → विटकॉफ)."""
    ordered = sorted(args, key=lambda a: a.start)
    k = ordered.index(arg)
    while k > 0 and ordered[k - 1].joined and ordered[k - 1].marker == arg.marker:
        k -= 1
    return ordered[k]


def _near_before(args: list[Arg], pos: int) -> list[Arg]:
    """Arguments ending before `pos`, nearest first."""
    return sorted((a for a in args if a.end <= pos), key=lambda a: -a.end)


def _genitive_before(text: str, args: list[Arg], pos: int) -> Arg | None:
    """The genitive argument right before a trigger, past the arguments marked से/के साथ/को/पर between
    them ("जयशंकर की ब्लिंकन से मुलाकात")."""
    skipped = 0
    for a in _near_before(args, pos):
        if a.marker == "gen":
            gap = len(re.findall(rf"{WORD_CHAR}+", text[a.end : pos])) - skipped
            return a if gap <= GENITIVE_REACH else None
        if a.marker not in ("से", "साथ", "को", "पर"):
            return None
        skipped += len(re.findall(rf"{WORD_CHAR}+", a.text)) + 1
    return None


def assign_roles(
    text: str, args: list[Arg], trigger: tuple[int, int], cameo: str, genitive: str, place: str | None
) -> Roles:
    """Source, target and other participants of a trigger among its clause's arguments."""
    ts = trigger[0]
    cands = [a for a in args if not (a.entity is not None and a.entity == place and a.marker == "में")]
    before = _near_before(cands, ts)
    agents = [a for a in before if a.marker in ("ने", "द्वारा")] or [
        a for a in cands if a.start >= trigger[1] and a.marker in ("ने", "द्वारा")
    ]
    # joined agents: "X और Y ने" → the first of the chain is the source
    source = _chain_head(cands, agents[0]) if agents else None
    gen = _genitive_before(text, cands, ts)
    target: Arg | None = None
    if source is None and gen is not None and genitive == "source":
        source = gen
    elif gen is not None and (genitive == "target" or source is not None):
        target = gen
    target_markers = {"को", "पर", "खिलाफ", "साथ"}
    if cameo.startswith(SE_TARGET_ROOTS):
        target_markers.add("से")
    if target is None:
        marked = [a for a in before if a.marker in target_markers and a is not source]
        marked = marked or [a for a in cands if a.start >= trigger[1] and a.marker in target_markers]
        target = _chain_head(cands, marked[0]) if marked else None
    between = [a for a in cands if a.marker == "बीच"]
    if between and source is None:
        source = between[0]
    if len(between) > 1 and (target is None or target is source):
        target = between[1]
    if cameo.startswith("042") and target is None:
        places = [a for a in before if a.etype == "LOCATION" and a.marker in ("gen", "", "में")]
        target = places[0] if places else None
    if source is None:
        nominative = [a for a in before if a.marker == "" and a is not target]
        if cameo.startswith("042") or any(a.etype != "LOCATION" for a in nominative):
            nominative = [a for a in nominative if a.etype != "LOCATION"]
        if nominative:
            source = _chain_head(cands, nominative[0])
    if source is not None and target is None and cameo.startswith(SYMMETRIC):
        partners = [a for a in cands if a.joined and a.start >= source.end and a is not source]
        following = [
            a for a in cands if a.start > source.start and a.marker == source.marker and a is not source
        ]
        if source.joined and following:
            target = following[0]
        elif partners:
            target = partners[0]
    if (
        target is not None
        and source is not None
        and target.entity is not None
        and target.entity == source.entity
    ):
        target = None
    used = {id(source), id(target)}
    others = tuple(a for a in cands if id(a) not in used and a.entity is not None and a.entity != place)
    return Roles(source, target, others)
