"""Who did what to whom: an event's source (Actor1) and target (Actor2) from Hindi case markers.

The arguments of the trigger's clause come with the case marker after each (`event_args.py`). Then:

- source: the ने/द्वारा agent; else the genitive right before the trigger when the trigger's genitive
  is its agent ("आतंकियों का हमला", "X की Y से मुलाकात"); else a nominative before the trigger;
- target: को, पर, के खिलाफ, के साथ, से (for appeals, consultations and demands), the genitive right
  before the trigger when it is the patient ("X की गिरफ्तारी", "X की आलोचना"), or when an agent is
  already there ("मोदी ने बाइडन की तारीफ की"); for a visit the place visited ("जापान का दौरा", "दिल्ली
  पहुंचे");
- "X और Y के बीच बैठक", "X और Y ने मुलाकात की": X the source and Y the target of a symmetric event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from khabar.analysis._facts import WORD_CHAR
from khabar.analysis.event_args import Arg, function_words

# The genitive that may fill a role stands at most this many words before the trigger ("X की तीन
# दिवसीय यात्रा").
GENITIVE_REACH = 3
# The case markers that mark an event's target, by CAMEO root: "Y से मुलाकात", "Y को धन्यवाद", "Y पर
# हमला", "Y के खिलाफ प्रदर्शन", "Y के साथ समझौता". पर is no target of a consultation ("X पर चर्चा" is its
# topic), से none of an attack ("X से" is where from).
TARGET_MARKERS: dict[str, frozenset[str]] = {
    "02": frozenset({"से", "को"}),
    "03": frozenset({"से", "को", "साथ"}),
    "04": frozenset({"से", "साथ", "को"}),
    "042": frozenset({"साथ"}),  # a visit's target is the place visited
    "05": frozenset({"को", "साथ", "से"}),
    "06": frozenset({"से", "साथ", "को"}),
    "07": frozenset({"को"}),
    "08": frozenset({"को", "साथ", "से"}),
    "09": frozenset({"को", "खिलाफ"}),
    "10": frozenset({"से", "को"}),
    "11": frozenset({"पर", "को", "खिलाफ"}),
    "12": frozenset({"को", "पर"}),
    "13": frozenset({"को", "पर", "खिलाफ"}),
    "14": frozenset({"खिलाफ", "पर"}),
    "15": frozenset({"खिलाफ", "पर"}),
    "16": frozenset({"पर", "खिलाफ", "को"}),
    "17": frozenset({"को", "पर", "खिलाफ"}),
    "18": frozenset({"पर", "को", "खिलाफ"}),
    "19": frozenset({"पर", "को", "खिलाफ"}),
    "20": frozenset({"पर", "को", "खिलाफ"}),
}


def target_markers_of(cameo: str) -> frozenset[str]:
    """The case markers that mark a target for a CAMEO code."""
    return TARGET_MARKERS.get(
        cameo[:3], TARGET_MARKERS.get(cameo[:2], frozenset({"को", "पर", "खिलाफ", "साथ"}))
    )


# CAMEO roots (and codes) where two joined agents are source and target ("X और Y ने मुलाकात की").
SYMMETRIC = ("04", "057", "046", "06", "0871", "03")


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


# Words between a genitive and a trigger that show the genitive belongs elsewhere.
_LOOSE = frozenset({"पास", "बारे", "ओर", "तरफ", "जरिए", "द्वारा"})


def _genitive_before(text: str, args: list[Arg], pos: int) -> Arg | None:
    """The genitive argument right before a trigger, past the arguments marked से/के साथ/को/पर between
    them ("जयशंकर की ब्लिंकन से मुलाकात")."""
    skipped = 0
    for a in _near_before(args, pos):
        if a.marker == "gen":
            between = re.findall(rf"{WORD_CHAR}+", text[a.end : pos])[1:]
            loose = [w for w in between if w in function_words() or w in _LOOSE]
            if loose and not skipped:
                return None  # "जेपीसी के पास भेजने पर राजी": the genitive belongs to another word
            return a if len(between) - skipped <= GENITIVE_REACH else None
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
    # an agent after the trigger belongs to a later verb ("बैठक में मोदी ने कहा")
    agents = [a for a in before if a.marker in ("ने", "द्वारा")]
    # joined agents: "X और Y ने" → the first of the chain is the source
    source = _chain_head(cands, agents[0]) if agents else None
    gen = _genitive_before(text, cands, ts)
    if gen is not None and cameo.startswith("042") and gen.etype == "LOCATION":
        genitive = "target"  # "जापान का दौरा": the place visited; "प्रधानमंत्री का दौरा": the visitor
    target_markers = target_markers_of(cameo)
    marked = [a for a in before if a.marker in target_markers and a is not source]
    marked = marked or [a for a in cands if a.start >= trigger[1] and a.marker in target_markers]
    target: Arg | None = _chain_head(cands, marked[0]) if marked else None
    if source is None and gen is not None and genitive == "source" and gen is not target:
        source = gen
    elif gen is not None and target is None and (genitive == "target" or source is not None):
        target = gen  # "X की गिरफ्तारी", "मोदी ने बाइडन की तारीफ की"
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
