"""One event per real-world action: trigger occurrences merged into the events being assembled."""

from __future__ import annotations

from dataclasses import dataclass, field

from khabar.analysis.event_args import Arg
from khabar.analysis.event_mentions import Observation
from khabar.analysis.event_model import stem
from khabar.analysis.event_triggers import Trigger
from khabar.article import DateExpr, Modality, Span

# Sentences over which a later trigger may still join an earlier event. Set on the seed article,
# whose meeting is re-mentioned at most 3 sentences after the previous mention, with some margin.
MERGE_WINDOW = 6
# Within this many sentences a compatible mention of the same family joins an event even with actors of
# its own that the event does not have yet ("… सड़क पर उतरे. अभ्यर्थी मार्च निकालते हुए …").
NEAR_SENTENCES = 2


# Merge families: CAMEO roots whose codes all count as one family (a meeting and the talks at it told
# in neighbouring sentences are one encounter; a bombing, an attack and the firing in it one assault).
# A visit (042) and hosting (043) are actions of their own.
FAMILIES = {"04": "04", "18": "violence", "19": "violence", "20": "violence"}
OWN_FAMILY = frozenset({"042", "043"})


def family(cameo: str) -> str:
    """The merge family of a CAMEO code."""
    return cameo[:3] if cameo[:3] in OWN_FAMILY else FAMILIES.get(cameo[:2], cameo[:3])


@dataclass(slots=True)
class Draft:
    """An event being assembled while scanning sentences (local to one call)."""

    trigger: Trigger
    first: Span
    first_text: str
    sentence: int
    last_sentence: int
    modality: Modality
    mentions: list[Span] = field(default_factory=list)
    sentences: list[int] = field(default_factory=list)
    observed: list[Observation] = field(default_factory=list)
    source: Arg | None = None
    target: Arg | None = None
    others: list[str] = field(default_factory=list)
    within: Draft | None = None
    location: str | None = None
    when: DateExpr | None = None
    dropped_subject: str | None = None
    codes: set[str] = field(default_factory=set)


def _actor_key(arg: Arg | None) -> str | None:
    return arg.key if arg is not None else None


def _clash(a: Arg | None, b: Arg | None, d: Draft) -> bool:
    """Two actors of one kind that differ (a person and a country may be one side of one meeting)."""
    if a is None or b is None or (a.etype or "generic") != (b.etype or "generic"):
        return False
    key = _actor_key(a)
    return key != _actor_key(b) and key not in (_actor_key(d.source), _actor_key(d.target))


def _conflicts(d: Draft, obs: Observation) -> bool:
    """Whether a new mention's actors contradict an event's (another source or another target of the
    same kind)."""
    return _clash(obs.roles.source, d.source, d) or _clash(obs.roles.target, d.target, d)


def _merge_target(live: list[Draft], obs: Observation, i: int, text: str = "") -> Draft | None:
    """The most recent compatible event of the same family that this trigger refers to.

    `live` holds the events, in order of creation, that were last mentioned at most `MERGE_WINDOW`
    sentences before the previous lookup. Sentences come in order and only a returned event is
    mentioned again, so an event once out of the window stays out and is dropped here: a lookup costs
    the events of the window, not those of the whole article."""
    live[:] = [d for d in live if i - d.last_sentence <= MERGE_WINDOW]
    back = obs.status.back
    people = {a.key for a in (obs.roles.source, obs.roles.target, *obs.roles.others) if a}
    for d in reversed(live):
        if not all(_same_family(c, obs.trigger.cameo) for c in d.codes or {d.trigger.cameo}):
            continue
        if obs.when is not None and d.when is not None and obs.when.value != d.when.value:
            continue
        if obs.place is not None and d.location is not None and obs.place != d.location:
            continue
        if d.modality != obs.modality and not back:
            continue
        if not back and _conflicts(d, obs):
            continue
        if not back and _another_act(d, obs, text):
            continue
        shares = bool(people & _draft_people(d))
        near = i - d.last_sentence <= NEAR_SENTENCES
        if back or near or shares or not (obs.roles.source or obs.roles.target):
            return d
    return None


VERBAL = frozenset({"light", "verb"})
# A verbal predicate of another word, in a later sentence, with no shared target, is another act,
# outside the consultations (chosen by cross-validation, docs/facts.md, round 5).
SPLIT_ACTS = True


def _another_act(d: Draft, obs: Observation, text: str) -> bool:
    """Whether a mention told as a verbal predicate in a later sentence, of another word than every
    verbal mention of the event and without the event's target, is another act ("… हिरासत में लिया.
    … एफआईआर दर्ज की गई", "… को सम्मानित किया. … टीम को बधाई दी")."""
    if not SPLIT_ACTS or obs.status.mode not in VERBAL or family(obs.trigger.cameo) == "04":
        return False  # "इस बैठक में … चर्चा हुई": a meeting and the talks at it are one encounter
    verbal = [o for o in d.observed if o.status.mode in VERBAL and not o.status.back]
    if not verbal or any(o.index == obs.index for o in verbal):
        return False
    if obs.roles.target is not None and d.target is not None and obs.roles.target.key == d.target.key:
        return False

    def head(o: Observation) -> str:
        return stem(text[o.span.start : o.span.end].split()[0])

    return all(head(o) != head(obs) for o in verbal)


def _same_family(a: str, b: str) -> bool:
    """Whether two codes may name one action: the same family, and for violence the same code or a
    generic one (हमला 190 with विस्फोट 183 is one attack; विस्फोट 183 and फायरिंग 193 are two acts)."""
    if family(a) != family(b):
        return False
    if family(a) != "violence":
        return True
    return a[:3] == b[:3] or a[2] == "0" or b[2] == "0"


def _draft_people(d: Draft) -> set[str]:
    return {a.key for a in (d.source, d.target) if a} | set(d.others)


def _specificity(cameo: str) -> int:
    """4-digit codes are most specific, then 3-digit codes not ending in 0, then roots."""
    return 3 if len(cameo) > 3 else (2 if not cameo.endswith("0") else 1)


def add_mention(drafts: list[Draft], live: list[Draft], obs: Observation, i: int, text: str) -> None:
    """Merge a trigger occurrence into an earlier event or start a new one (`live`: see `_merge_target`)."""
    target = None
    if not obs.status.new or obs.status.back:
        target = _merge_target(live, obs, i, text)
    if target is None and obs.status.mode == "reference":
        return
    if target is None:
        target = Draft(obs.trigger, obs.span, text[obs.span.start : obs.span.end], i, i, obs.modality)
        if obs.during and drafts:
            target.within = drafts[-1]
        drafts.append(target)
        live.append(target)
    elif _specificity(obs.trigger.cameo) > _specificity(target.trigger.cameo):
        target.trigger = obs.trigger  # "हमला" then "ड्रोन हमला": the more specific code
    target.mentions.append(obs.span)
    target.codes.add(obs.trigger.cameo)
    target.sentences.append(i)
    target.observed.append(obs)
    target.last_sentence = i
    target.dropped_subject = target.dropped_subject or obs.dropped_subject
    if target.location is None and obs.place is not None:
        target.location = obs.place
    if not obs.status.back or obs.status.predicate:
        target.source = target.source or obs.roles.source
        target.target = target.target or obs.roles.target
        for a in obs.roles.others:
            if a.entity and a.entity not in target.others:
                target.others.append(a.entity)
    target.when = target.when or obs.when


def inherit_context(drafts: list[Draft]) -> None:
    """An event told inside another one's sentence ("इस बैठक में 10 समझौतों पर हस्ताक्षर किए गए") takes
    that event's actors, place and date where it has none of its own."""
    by_sentence: dict[int, list[int]] = {}
    for k, d in enumerate(drafts):
        for i in set(d.sentences):
            by_sentence.setdefault(i, []).append(k)
    for d in drafts:
        # the events sharing a sentence with d, in list order (as a scan of every pair meets them)
        for j in sorted({j for i in set(d.sentences) for j in by_sentence[i]}):
            other = drafts[j]
            if other is d:
                continue
            if d.source is None and d.target is None and not d.others:
                d.source, d.target = other.source, other.target
                d.others = [p for p in other.others if p != d.location]
            d.location = d.location or other.location
            d.when = d.when or other.when
