"""CAMEO-coded events as GDELT codes them: who (Actor1) did what to whom (Actor2), where and when.

1. Triggers come from `lang/hi/event_triggers.tsv` (Hindi word or phrase → CAMEO code, Goldstein value,
   label, the role of its genitive, sense conditions). A trigger names an event only when it is the
   predicate (a light verb within `LIGHT_WINDOW` words after it: चर्चा हुई, वादा किया, मीटिंग की; not
   across a postposition, सहयोग पर बातचीत हुई, except हिरासत में लिया), follows a participle (हुई बैठक),
   is a verb itself (मिले, पहुंचे), is what a demand, plan or threat is about (रिहाई की मांग, प्रस्तावित
   बैठक), is a meeting noun with a locative (बैठक में), or refers back with a demonstrative (इस बैठक).
   Purpose and condition phrases (युद्ध विराम के लिए / होते ही) yield no event.
2. Its sense conditions decide from the context whether it is that event at all ("खून की जांच" is no
   investigation, "करार दिया" no agreement, "भारत जोड़ो यात्रा" no visit, "सदन में चर्चा" no
   consultation) or another one ("सरकार पर हमला बोला" criticizes; a ban with no country in it is
   172, not 163).
3. Roles (`event_roles.py`): source and target from case markers; modality (`event_modality.py`):
   occurred, planned, demanded, speculative or negated.
4. The place is a LOCATION with में in the clause; the date the resolved date expression nearest the
   trigger in its clause, else in its sentence (with grain and a range's last day); none when the text
   gives none. An event told in a sentence that mentions another event takes that event's place and
   date where it has none; one opening with "इस दौरान" takes those of the event told just before.
5. One event per real-world action: a trigger joins the most recent event of its family (all 04x
   consultations are one family, so are 18x-20x violence) within `MERGE_WINDOW` sentences unless a
   determiner marks a new one (एक, दूसरी, अगली), its date, place or modality differs, or its actors
   conflict with that event's; it must refer back, share the sentence or a participant, or bring no
   actors of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
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
    sentence_at,
    span_index,
    track_subjects,
)
from khabar.analysis.event_modality import read_modality
from khabar.analysis.event_model import (
    Candidate,
    TriggerModel,
    features,
    find_candidates,
    pick,
    shipped_model,
    stem,
)
from khabar.analysis.event_roles import Arg, Roles, assign_roles, clause_args
from khabar.analysis.event_targets import choose, ranks, target_candidates, target_features
from khabar.article import Actor, Article, DateExpr, Event, Modality, Span

# Words after a trigger searched for a light verb; 3 covers "चर्चा भी हुई", "मीटिंग नहीं की".
LIGHT_WINDOW = 3
# Words before a trigger searched for a demonstrative or a "new event" determiner ("इस पूरी बैठक").
DETERMINER_WINDOW = 2
# Sentences over which a later trigger may still join an earlier event. Set on the seed article,
# whose meeting is re-mentioned at most 3 sentences after the previous mention, with some margin.
MERGE_WINDOW = 6
# Within this many sentences a compatible mention of the same family joins an event even with actors of
# its own that the event does not have yet ("… सड़क पर उतरे. अभ्यर्थी मार्च निकालते हुए …").
NEAR_SENTENCES = 2
# Words around a trigger read by the not_near and recode sense conditions.
SENSE_WINDOW = 2
# Words before a visit trigger within which its place must stand ("जापान की तीन दिवसीय यात्रा").
PLACE_WINDOW = 3

# Actions one can demand ("रिहाई की मांग", "गिरफ्तारी की मांग", "बातचीत की अपील"): the demanded action is an
# event of its own (modality demanded) besides the demand; other demanded things (compensation, a
# policy) are only the demand.
DEMANDABLE = ("04", "063", "08", "173")
EMBED_MODALITY: dict[str, Modality] = {"demand": "demanded", "plan": "planned", "order": "occurred"}

# Merge families: CAMEO roots whose codes all count as one family (a meeting and the talks at it told
# in neighbouring sentences are one encounter; a bombing, an attack and the firing in it one assault).
# A visit (042) and hosting (043) are actions of their own.
FAMILIES = {"04": "04", "18": "violence", "19": "violence", "20": "violence"}
OWN_FAMILY = frozenset({"042", "043"})


def family(cameo: str) -> str:
    """The merge family of a CAMEO code."""
    return cameo[:3] if cameo[:3] in OWN_FAMILY else FAMILIES.get(cameo[:2], cameo[:3])


@dataclass(frozen=True, slots=True)
class Trigger:
    """A lexicon entry: CAMEO code, Goldstein value, English label, the role of its genitive and its
    sense conditions (`key` → value; see event_triggers.tsv)."""

    cameo: str
    goldstein: float
    label: str
    genitive: str = "source"
    conditions: tuple[tuple[str, str], ...] = ()

    def condition(self, key: str) -> list[str]:
        return [v for k, v in self.conditions if k == key]


@cache
def triggers() -> dict[str, Trigger]:
    """The trigger lexicon: normalised form → Trigger."""
    out: dict[str, Trigger] = {}
    for row in lexicon("event_triggers.tsv"):
        conds = []
        for part in (row[5] if len(row) > 5 else "").split(";"):
            key, _, value = part.strip().partition("=")
            if key:
                conds.append((key, value))
        genitive = row[4] if len(row) > 4 and row[4] else "source"
        out[re.sub(r"\s+", " ", row[0])] = Trigger(row[1], float(row[2]), row[3], genitive, tuple(conds))
    return out


@cache
def _cues(kind: str) -> frozenset[str]:
    return frozenset(row[0] for row in lexicon("event_cues.tsv") if row[1] == kind)


@cache
def _sense_words(name: str) -> frozenset[str]:
    return frozenset(row[0] for row in lexicon("sense_words.tsv") if row[1] == name)


@cache
def _trigger_pattern() -> re.Pattern[str]:
    return re.compile(rf"{START}(?:{alternation(triggers())}){END}")


def _words(text: str, s: int, e: int) -> list[str]:
    return re.findall(rf"{WORD_CHAR}+", text[s:e])


@dataclass(frozen=True, slots=True)
class Status:
    """How a trigger occurrence stands in its sentence. `mode` is light (a light verb), verb, state (only
    a copula), embedded (inside a demand, plan, order or offer: `embed` names which), locative, back
    (a demonstrative) or reference (हमले के बाद)."""

    predicate: bool
    back: bool
    new: bool
    mode: str
    embed: str = ""


# Families whose nouns refer to an event with a locative ("बैठक में", "हमले में चार जवान घायल हुए");
# an arrest's "हिरासत में" is a state.
LOCATIVE_FAMILIES = frozenset({"04", "14", "18", "19", "20"})


def _embedding(after: list[str]) -> str:
    """The kind of noun the trigger is the content of: "रिहाई की मांग", "प्रदर्शन करने का ऐलान",
    "निलंबित करने का निर्देश" (demand, plan, order, suppress), or ''."""
    k = 1 if after and INFINITIVE_FORM.search(after[0]) else 0
    if len(after) > k + 1 and after[k] in ("की", "का", "के"):
        for kind in ("demand", "plan", "order", "suppress"):
            if after[k + 1] in _cues(f"embed_{kind}"):
                if kind == "plan" and not k and after[k + 1] in _cues("announce"):
                    return "order"  # "प्रतिबंधों की घोषणा की": announcing sanctions imposes them
                return kind
    return ""


# An infinitive between a trigger and its embedding noun (करने, किए जाने, कराने, देने).
INFINITIVE_FORM = re.compile(r"(?:ने|जाने)$")


def _adjuncts_masked(article: Article, s: int, e: int) -> str:
    """The text of `[s, e)` with date expressions and "<place> में" blanked out, so the light verb of
    "बातचीत अगले हफ्ते वॉशिंगटन में होगी" stands next to its noun."""
    chars = list(article.text[s:e])
    spans = [(d.start, d.end) for d in span_index(article.dates).starting_in(s, e)]
    for m in mentions_between(article, s, e):
        if m.type == "LOCATION" and next_word(article.text, m.end) == "में":
            stop = article.text.index("में", m.end) + 2
            spans.append((m.start, stop))
    for a, b in spans:
        for k in range(max(a, s), min(b, e)):
            chars[k - s] = " "
    return "".join(chars)


def _status(
    text: str, s: int, e: int, sent: tuple[int, int], trig: Trigger, masked: str | None = None
) -> Status:
    """Whether a trigger at `[s, e)` is a predicate, a back-reference or a new event's mention
    (`masked`: the sentence after the trigger with its date and place adjuncts blanked)."""
    after = (
        re.findall(rf"{WORD_CHAR}+", masked)[: LIGHT_WINDOW + 1]
        if masked is not None
        else _words(text, e, sent[1])[: LIGHT_WINDOW + 1]
    )
    before = _words(text, sent[0], s)[-DETERMINER_WINDOW:]
    back = any(w in _cues("demonstrative") for w in before)
    new = any(w in _cues("new") for w in before)
    embed = _embedding(after)
    if embed:
        return Status(True, back, new, "embedded", embed)  # "रिहाई की मांग", "प्रदर्शन करने का ऐलान"
    if any(k == "verb" for k, _ in trig.conditions):
        return Status(True, back, new, "verb")
    mode = ""
    for k, w in enumerate(after[:LIGHT_WINDOW]):
        if w in _cues("negation"):
            continue  # "हमला नहीं किया": a denied event (modality negated)
        if w in _cues("light") or (w in _cues("light_final") and _final(text, e, sent[1], k, after)):
            copula = w in _cues("copula") and not any(
                x in _cues("light") and x not in _cues("copula") for x in after[k + 1 : k + 3]
            )
            mode = "state" if copula else "light"
            break
        if w in _cues("postposition") and not (k + 1 < len(after) and after[k + 1] in _cues("take")):
            break  # "सहयोग पर बातचीत हुई": the verb belongs to बातचीत; "हिरासत में लिया" is one verb
    if not mode and before and before[-1] in _cues("before"):
        mode = "light"
    if (
        not mode
        and before
        and (before[-1] in _cues("planned_before") or " ".join(before[-2:]) in _cues("planned_before"))
    ):
        return Status(True, back, new, "embedded", "plan")  # "प्रस्तावित बैठक", "होने वाली बैठक"
    two, three = " ".join(after[:2]), " ".join(after[:3])
    locative = after and (after[0] in _cues("locative") or two in _cues("locative"))
    if not mode and locative and trig.cameo[:2] in LOCATIVE_FAMILIES:
        mode = "locative"  # "बैठक में … मौजूद थे", "हमले में चार जवान घायल हुए"
    if not mode and (two in _cues("reference") or three in _cues("reference")):
        return Status(False, True, False, "reference")  # "हमले के बाद": joins the attack told before
    return Status(bool(mode), back, new, mode or ("back" if back else ""))


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


def _sense(article: Article, trig: Trigger, s: int, e: int, clause: tuple[int, int]) -> Trigger | None:
    """The trigger as its context reads it: None when the sense conditions say it is no such event,
    another code when a recode condition holds."""
    text = article.text
    before = _words(text, clause[0], s)
    after = _words(text, e, clause[1])
    near = set(before[-SENSE_WINDOW:]) | set(after[:SENSE_WINDOW])
    for name in trig.condition("not_near"):
        if near & _sense_words(name):
            return None
    for name in trig.condition("not_after"):
        if after and after[0] in _sense_words(name):
            return None
    for name in trig.condition("not_before"):
        if before and (before[-1] in _sense_words(name) or re.search(r"ो$", before[-1])):
            return None
    for name in trig.condition("not_in"):
        if set(before + after) & _sense_words(name):
            return None
    if "place" in trig.condition("needs") and not (
        _place_before(article, clause[0], s) or set(before[-PLACE_WINDOW:]) & _sense_words("facility")
    ):
        return None
    if "bare_place" in trig.condition("needs") and not _place_before(article, clause[0], s, bare=True):
        return None
    if "visitor" in trig.condition("needs") and not _visitor_before(article, clause[0], s):
        return None
    if "partner" in trig.condition("needs") and not re.search(r"(?:से|के साथ)\s*$", text[clause[0] : s]):
        return None
    for spec in trig.condition("person"):
        if _person_before(article, clause[0], s):
            code, goldstein, label = spec.split(":")
            trig = Trigger(code, float(goldstein), label, trig.genitive, trig.conditions)
    sentence_words = set(_words(text, *_sentence_of(article, s)))
    for spec in trig.condition("recode_in"):
        name, code, goldstein, label = spec.split(":")
        if sentence_words & _sense_words(name):
            return Trigger(code, float(goldstein), label, trig.genitive)
    for spec in trig.condition("recode"):
        name, code, goldstein, label = spec.split(":")
        if near & _sense_words(name):
            return Trigger(code, float(goldstein), label, trig.genitive)
    for spec in trig.condition("domestic"):
        if not _country_in(article, _context(article, clause[0])):
            code, goldstein, label = spec.split(":")
            return Trigger(code, float(goldstein), label, trig.genitive)
    return trig


def _sentence_of(article: Article, pos: int) -> tuple[int, int]:
    """The span of the sentence holding `pos`."""
    return sentence_at(article, pos) or (pos, pos)


def _place_before(article: Article, cs: int, pos: int, bare: bool = False) -> bool:
    """A LOCATION mention ends within `PLACE_WINDOW` words before `pos` (with `bare`, right before it
    with no postposition: "भारत आ सकते हैं")."""
    for m in mentions_between(article, cs, pos):
        gap = _words(article.text, m.end, pos)
        if m.type == "LOCATION" and (not gap if bare else len(gap) <= PLACE_WINDOW):
            return True
    return False


def _person_before(article: Article, cs: int, pos: int) -> bool:
    """A person, or a personal pronoun, right before `pos` with its genitive ("उनका स्वागत", "मोदी का
    स्वागत")."""
    words = _words(article.text, cs, pos)
    if set(words[-2:]) & {"उनका", "उनकी", "उनके", "उसका", "उसकी"}:
        return True
    for m in mentions_between(article, cs, pos):
        if m.type == "PERSON" and len(_words(article.text, m.end, pos)) <= 1:
            return True
    return False


def _visitor_before(article: Article, cs: int, pos: int) -> bool:
    """A person or place mention stands right before a hosting trigger ("X की मेजबानी")."""
    for m in mentions_between(article, cs, pos):
        if m.type in ("PERSON", "LOCATION") and len(_words(article.text, m.end, pos)) <= 2:
            return True
    return False


# Sentences before a trigger read for a country when deciding whether a ban is international.
COUNTRY_CONTEXT = 2


def _context(article: Article, pos: int) -> tuple[int, int]:
    """The span of the sentence holding `pos` and the `COUNTRY_CONTEXT` sentences before it."""
    idx = next((k for k, sent in enumerate(article.sentences) if sent.start <= pos < sent.end), 0)
    first = article.sentences[max(0, idx - COUNTRY_CONTEXT)]
    return first.start, article.sentences[idx].end if article.sentences else pos


def _country_in(article: Article, clause: tuple[int, int]) -> bool:
    """Whether a place in the clause is a country (an entity with a Wikidata id and no में/के after it
    as a district would have, approximated by places named as actors of an international story)."""
    for m in mentions_between(article, *clause):
        ent = article.entity(entity_of(article, m) or "")
        if ent is not None and ent.type == "LOCATION" and _is_country(ent.name_en):
            return True
    return False


@cache
def _countries() -> frozenset[str]:
    import pycountry

    names = set()
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value:
                names.add(value.lower())
    return frozenset(
        names | {"russia", "iran", "united states", "usa", "america", "syria", "south korea", "north korea"}
    )


def _is_country(name_en: str) -> bool:
    return name_en.lower() in _countries()


def _date_near(dates: list[DateExpr], spans: list[tuple[int, int]], pos: int) -> DateExpr | None:
    """The resolved date nearest `pos` in the first span that has one (day grain preferred)."""
    index = span_index(dates)
    for s, e in spans:
        inside = [d for d in index.starting_in_list_order(s, e) if d.value]
        if inside:
            inside.sort(key=lambda d: (d.grain != "day", abs(d.start - pos)))
            return inside[0]
    return None


def _place(article: Article, s: int, e: int) -> str | None:
    """The first LOCATION entity in `[s, e)` marked with में."""
    for m in mentions_between(article, s, e):
        ent = entity_of(article, m)
        if ent and entity_type(article, ent) == "LOCATION" and next_word(article.text, m.end) == "में":
            return ent
    return None


@cache
def _during_pattern() -> re.Pattern[str]:
    forms = [row[0] for row in lexicon("event_cues.tsv") if row[1] == "during"]
    return re.compile(rf"[\s\W]*(?:{alternation(forms)}){END}")


@dataclass(frozen=True, slots=True)
class _Mention:
    """One trigger occurrence with what its sentence says about it."""

    span: Span
    trigger: Trigger
    status: Status
    roles: Roles
    place: str | None
    when: DateExpr | None
    modality: Modality
    dropped_subject: str | None
    during: bool
    sentence: Span
    index: int = 0
    args: tuple[Arg, ...] = ()


@dataclass(slots=True)
class _Draft:
    """An event being assembled while scanning sentences (local to one call)."""

    trigger: Trigger
    first: Span
    first_text: str
    sentence: int
    last_sentence: int
    modality: Modality
    mentions: list[Span] = field(default_factory=list)
    sentences: list[int] = field(default_factory=list)
    observed: list[_Mention] = field(default_factory=list)
    source: Arg | None = None
    target: Arg | None = None
    others: list[str] = field(default_factory=list)
    within: _Draft | None = None
    location: str | None = None
    when: DateExpr | None = None
    dropped_subject: str | None = None
    codes: set[str] = field(default_factory=set)


def _observe(
    article: Article, span: Span, trig: Trigger, i: int, subjects: list[SentenceSubject], force: bool = False
) -> _Mention | str:
    """Read one trigger occurrence `span` in sentence `i`: the mention, or the reason the rules give
    for it naming no event (with `force`, read its roles anyway: the trigger model keeps it)."""
    text = article.text
    sent = article.sentences[i]
    ts, te = span.start, span.end
    form = re.sub(r"\s+", " ", text[ts:te])
    status = _status(text, ts, te, (sent.start, sent.end), trig, _adjuncts_masked(article, te, sent.end))
    reason = ""
    if not (status.predicate or status.back):
        reason = "status"
    clause = _clause(text, sent.start, sent.end, ts)
    sensed = _sense(article, trig, ts, te, clause)
    if sensed is None:
        reason, sensed = reason or "sense", trig
    if sensed.label == "consult" and _rumour(text, te, clause[1]):
        reason = reason or "rumour"  # "चर्चा है कि …": there is talk that, no event
    if (
        status.mode == "locative"
        and form == "बातचीत"
        and re.search(rf"{START}(?:ने|कहा|बताया){END}", text[te : sent.end])
    ):
        reason = reason or "interview"  # "अखबार से बातचीत में उन्होंने कहा": a statement
    if status.embed == "suppress" or (
        status.embed == "demand" and (not sensed.cameo.startswith(DEMANDABLE) or form == "चर्चा")
    ):
        reason = reason or "embedded"  # only the offer, threat or demand itself is an event
    if reason and not force:
        return reason
    when = _date_near(article.dates, [clause, (sent.start, sent.end)], ts)
    own = _date_near(article.dates, [clause], ts)  # a date in another clause plans nothing here
    ahead = bool(own and own.value and article.published and own.value > article.published.isoformat())
    if status.mode == "state":
        state = trig.condition("state")
        speech = sensed.cameo[:2] in SPEECH_ROOTS and re.search(r"(?:का|की|के)\s*$", text[clause[0] : ts])
        if state:
            code, goldstein, label = state[0].split(":")
            sensed = Trigger(code, float(goldstein), label, sensed.genitive)
        elif not (ahead or speech) and not force:
            return "state"  # "धारा 144 लागू है", "उन पर आरोप है": a state ("परिजनों का आरोप है" accuses)
    if _inside_accusation(text, sent.start, clause[0]) and not sensed.cameo.startswith("11") and not force:
        return "accusation"  # "आरोप है कि पुलिसकर्मियों ने पिटाई की": only the accusation is an event
    place = _place(article, *clause)
    args = clause_args(article, clause[0], clause[1], subjects[i]) if status.predicate or force else []
    roles = assign_roles(text, args, (ts, te), sensed.cameo, sensed.genitive, place)
    if status.embed == "demand" or modality_demanded(text, te, clause[1]):
        # "सौरभ को रिहा करने की मांग की": the demanded release has no releaser yet, only its target
        roles = Roles(None, roles.target, roles.others)
    if roles.target is None and sensed.cameo[:2] in SPEECH_ROOTS and clause[1] < sent.end:
        # "मांग की कि सरकार …", "आरोप लगाया कि पुलिस …": the statement is about its subject
        roles = _complement_target(article, roles, clause[1], sent.end, subjects[i])
    if (
        sensed.cameo.startswith("042")
        and place is None
        and roles.target is not None
        and roles.target.etype == "LOCATION"
    ):
        place = roles.target.entity
    agent = re.search(rf"{WORD_CHAR}\s+ने{END}", text[clause[0] : ts])
    if (
        sensed.cameo.startswith("042")
        and roles.source is None
        and (agent or i == 0 or not subjects[i - 1].entity)
        and not force
    ):
        return "visitor"  # a visit needs a visitor ("भारत जोड़ो यात्रा भोपाल पहुंची" is no visit)
    dropped = (
        subjects[i - 1].entity
        if (status.predicate or force)
        and roles.source is None
        and not agent
        and i > 0
        and not _passive(text, te, clause[1])
        else None
    )
    when = _date_near(article.dates, [clause, (sent.start, sent.end)], ts)
    own = _date_near(article.dates, [clause], ts)  # a date in another clause plans nothing here
    ahead = bool(own and own.value and article.published and own.value > article.published.isoformat())
    self_cue = (
        form if form in ("मांग", "माँग", "अपील", "आग्रह", "अनुरोध", "गुहार", "शर्त", "धमकी", "चेतावनी") else None
    )
    modality = read_modality(text, clause, (ts, te), self_cue, ahead)
    if status.embed:
        modality = EMBED_MODALITY.get(status.embed, modality)
    during = _during_pattern().match(text, sent.start, sent.end) is not None
    return _Mention(
        Span(ts, te),
        sensed,
        status,
        roles,
        place,
        when,
        modality,
        dropped,
        during,
        Span(sent.start, sent.end),
        i,
        tuple(args),
    )


# Speech acts whose target may be the subject of their कि-statement (appeal, demand, criticize, accuse,
# reject, threaten).
SPEECH_ROOTS = frozenset({"02", "10", "11", "12", "13"})


def _complement_target(
    article: Article, roles: Roles, start: int, end: int, subject: SentenceSubject
) -> Roles:
    """Roles with the target taken from the first argument of the कि-statement after the clause."""
    text = article.text
    after = re.match(r"\s*कि\b|\s*कि\s", text[start : start + 6])
    if after is None:
        return roles
    cs = start + after.end()
    ce = _clause(text, cs, end, cs)[1]
    args = [a for a in clause_args(article, cs, ce, subject) if a.marker in ("", "ने", "को", "पर")]
    first = next((a for a in args if roles.source is None or a.key != roles.source.key), None)
    return Roles(roles.source, first, roles.others) if first else roles


def modality_demanded(text: str, e: int, ce: int) -> bool:
    """A subjunctive or imperative verb right after a trigger ("रिहा करो", "गिरफ्तार किया जाए")."""
    return bool(re.match(rf"\s*(?:{WORD_CHAR}+\s+)?(?:करो|करें|करे|किया जाए|किए जाएं|जाएं|जाए){END}", text[e:ce]))


def _inside_accusation(text: str, sent_start: int, clause_start: int) -> bool:
    """Whether a clause is the statement of an accusation ("आरोप है कि …", "आरोप लगाया कि …")."""
    before = text[sent_start:clause_start]
    return clause_start > sent_start and bool(re.search(rf"आरोप(?:\s+{WORD_CHAR}+){{0,3}}\s+कि\s*$", before))


def _rumour(text: str, e: int, ce: int) -> bool:
    """ "चर्चा है कि", "इसकी चर्चा भी थी": talk about something, not talks between actors."""
    return bool(re.match(rf"\s*(?:भी\s+)?(?:है|हैं|थी|थीं|थे){END}", text[e : ce + 1]))


def _passive(text: str, e: int, ce: int) -> bool:
    """A passive verb group after the trigger ("गिरफ्तार किया गया"): its agent is not dropped."""
    words = _words(text, e, ce)[:4]
    return any(w in ("गया", "गई", "गए", "गयी", "जाएगा", "जाएगी", "जाएंगे") for w in words[1:])


def _actor_key(arg: Arg | None) -> str | None:
    return arg.key if arg is not None else None


def _clash(a: Arg | None, b: Arg | None, d: _Draft) -> bool:
    """Two actors of one kind that differ (a person and a country may be one side of one meeting)."""
    if a is None or b is None or (a.etype or "generic") != (b.etype or "generic"):
        return False
    key = _actor_key(a)
    return key != _actor_key(b) and key not in (_actor_key(d.source), _actor_key(d.target))


def _conflicts(d: _Draft, obs: _Mention) -> bool:
    """Whether a new mention's actors contradict an event's (another source or another target of the
    same kind)."""
    return _clash(obs.roles.source, d.source, d) or _clash(obs.roles.target, d.target, d)


def _merge_target(live: list[_Draft], obs: _Mention, i: int) -> _Draft | None:
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
        shares = bool(people & _draft_people(d))
        near = i - d.last_sentence <= NEAR_SENTENCES
        if back or near or shares or not (obs.roles.source or obs.roles.target):
            return d
    return None


def _same_family(a: str, b: str) -> bool:
    """Whether two codes may name one action: the same family, and for violence the same code or a
    generic one (हमला 190 with विस्फोट 183 is one attack; विस्फोट 183 and फायरिंग 193 are two acts)."""
    if family(a) != family(b):
        return False
    if family(a) != "violence":
        return True
    return a[:3] == b[:3] or a[2] == "0" or b[2] == "0"


def _draft_people(d: _Draft) -> set[str]:
    return {a.key for a in (d.source, d.target) if a} | set(d.others)


def _specificity(cameo: str) -> int:
    """4-digit codes are most specific, then 3-digit codes not ending in 0, then roots."""
    return 3 if len(cameo) > 3 else (2 if not cameo.endswith("0") else 1)


def _add(drafts: list[_Draft], live: list[_Draft], obs: _Mention, i: int, text: str) -> None:
    """Merge a trigger occurrence into an earlier event or start a new one (`live`: see `_merge_target`)."""
    target = None
    if not obs.status.new or obs.status.back:
        target = _merge_target(live, obs, i)
    if target is None and obs.status.mode == "reference":
        return
    if target is None:
        target = _Draft(obs.trigger, obs.span, text[obs.span.start : obs.span.end], i, i, obs.modality)
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


def extract_events(
    article: Article,
    model: TriggerModel | None = None,
    *,
    rules_only: bool = False,
    collect: list[list[tuple[Arg | None, dict[str, float], dict[str, float]]]] | None = None,
) -> Article:
    """Set `article.events`: CAMEO-coded events with source, target, modality, place and date, one per
    real-world action. Triggers are decided by the trigger model (`model`, default the shipped one)
    over the rules' readings, or by the rules alone (`rules_only`, or no model shipped); the target
    by the model's ranker (`collect` gathers each event's target candidates and features)."""
    subjects = track_subjects(article)
    drafts: list[_Draft] = []
    live: list[_Draft] = []
    model = None if rules_only else (model or shipped_model())
    if model is None:
        for i, sent in enumerate(article.sentences):
            for tm in _trigger_pattern().finditer(article.text, sent.start, sent.end):
                trig = triggers()[re.sub(r"\s+", " ", tm.group(0))]
                obs = _observe(article, Span(tm.start(), tm.end()), trig, i, subjects)
                if not isinstance(obs, str):
                    _add(drafts, live, obs, i, article.text)
    else:
        for i in range(len(article.sentences)):
            readings = read_candidates(article, i, subjects, model)
            scored = [(c, model.prob(f)) for c, f, _ in readings]
            by_cand = {id(c): obs for c, _, obs in readings}
            for cand in pick(scored, model.threshold, model.keep_threshold):
                _add(drafts, live, by_cand[id(cand)], i, article.text)
    _inherit_context(drafts)
    if model is not None and (model.target_weights or model.source_weights or collect is not None):
        for d in drafts:
            _rank_target(article, d, subjects, model, collect)
    article.events = [_event(article, d) for d in drafts]
    return article


def _rank_target(
    article: Article,
    d: _Draft,
    subjects: list[SentenceSubject],
    model: TriggerModel,
    collect: list[list[tuple[Arg | None, dict[str, float], dict[str, float]]]] | None,
) -> None:
    """Set the draft's target to the ranker's choice (`collect`: also gather the candidates with their
    features)."""
    mentions = [(o.span, o.index, o.args) for o in d.observed]
    dropped = _dropped_arg(article, d)
    cands = target_candidates(article, mentions, subjects, dropped)
    rule_source = d.source or dropped
    source = rule_source.key if rule_source else None
    rule = d.target.key if d.target else None
    places = ranks(cands)
    in_clause = sum(1 for c in cands if c.where == "clause")
    feats = [
        target_features(article, c, d.trigger.cameo, rule, source, d.first, r, in_clause)
        for c, r in zip(cands, places, strict=True)
    ]
    # the same candidates read for the source role: the rules' source is the marked one
    sfeats = [
        target_features(article, c, d.trigger.cameo, source, None, d.first, r, in_clause)
        for c, r in zip(cands, places, strict=True)
    ]
    if collect is not None:
        collect.append([(c.arg, f, sf) for c, f, sf in zip(cands, feats, sfeats, strict=True)])
    if model.source_weights and (rule_source is None or not SOURCE_FILL_ONLY):
        chosen = cands[choose(model.source_weights, sfeats)].arg
        d.source, d.dropped_subject = chosen, None
        source = chosen.key if chosen else None
    if model.target_weights:
        # the source is not its own target ("X ने मांग की": X demands of someone else)
        allowed = [c.arg is None or c.arg.key != source for c in cands]
        d.target = cands[choose(model.target_weights, feats, allowed)].arg


def _dropped_arg(article: Article, d: _Draft) -> Arg | None:
    """The previous sentence's person subject standing for a dropped source, as an argument."""
    ent = article.entity(d.dropped_subject) if d.dropped_subject else None
    if ent is None or not ent.mentions:
        return None
    m = ent.mentions[0]
    return Arg(m.start, m.end, ent.id, ent.type, ent.name, ent.name_en, None, "")


# The learned source ranker only fills in a source the rules (case markers, a dropped subject) leave
# empty (chosen by cross-validation, docs/facts.md).
SOURCE_FILL_ONLY = True

# Rejections by the rules the trigger model may not override: the sense conditions, rumours,
# interviews, embedded readings and visitors (only `status`, the predicate test, is re-decided).
HARD_REASONS = frozenset({"sense", "rumour", "interview", "embedded", "visitor"})


@cache
def _stem_index() -> dict[str, str]:
    """The stem of each one-word table form → that form (the first in table order)."""
    out: dict[str, str] = {}
    for form in triggers():
        if " " not in form:
            out.setdefault(stem(form), form)
    return out


@cache
def code_trigger(code: str) -> Trigger:
    """A plain trigger for a CAMEO code the model gives: the Goldstein value, label and genitive of the
    table's first entry with that code (else of its root)."""
    entries = list(triggers().values())
    for width in (len(code), 2):
        for t in entries:
            if t.cameo[:width] == code[:width] and (width == 2 or t.cameo == code):
                return Trigger(code, t.goldstein, t.label if t.cameo == code else f"cameo {code}", t.genitive)
    return Trigger(code, 0.0, f"cameo {code}")


def read_candidates(
    article: Article, i: int, subjects: list[SentenceSubject], model: TriggerModel
) -> list[tuple[Candidate, dict[str, float], _Mention]]:
    """Every trigger candidate of sentence `i` with its features and its reading (read with `force`
    when the rules reject it, so a kept candidate has roles, modality, place and date)."""
    text = article.text
    sent = article.sentences[i]
    table = [
        (Span(tm.start(), tm.end()), triggers()[re.sub(r"\s+", " ", tm.group(0))])
        for tm in _trigger_pattern().finditer(text, sent.start, sent.end)
    ]
    spans = [(sp, t.cameo) for sp, t in table]
    out = []
    light, negation = _cues("light"), _cues("negation")
    for cand in find_candidates(article, i, spans, _stem_index(), model):
        if cand.source == "table":
            trig = next(t for sp, t in table if sp == cand.span)
        elif cand.source == "stem":
            trig = triggers()[_stem_index()[stem(cand.form)]]
        else:
            trig = code_trigger(cand.cameo)
        obs = _observe(article, cand.span, trig, i, subjects)
        if isinstance(obs, str) and obs in HARD_REASONS:
            continue  # the sense conditions and the rules' other readings hold over the model
        verdict = f"reject:{obs}" if isinstance(obs, str) else f"keep:{obs.status.mode or 'back'}"
        cand = replace(cand, rules=cand.source == "table" and not isinstance(obs, str))
        if isinstance(obs, str):
            obs = _observe(article, cand.span, trig, i, subjects, force=True)
        assert not isinstance(obs, str)
        if obs.trigger.cameo[:2] != cand.root:
            cand = replace(cand, cameo=obs.trigger.cameo)  # a sense recode (हमला बोला: criticism)
        roles = (obs.roles.source is not None, obs.roles.target is not None)
        evidence = model.evidence(stem(cand.form.split()[-1]), cand.root)
        feats = features(article, cand, verdict, obs.modality, roles, evidence, light, negation)
        out.append((cand, feats, obs))
    return out


def _event(article: Article, d: _Draft) -> Event:
    if d.within is not None:
        # "इस दौरान अमेरिका ने वादा किया": inside the event told just before
        d.location = d.location or d.within.location
        d.when = d.when or d.within.when
    source = d.source.actor() if d.source else None
    if source is None and d.dropped_subject:
        # "राहुल दिल्ली पहुंचे. वहां किसानों से मुलाकात की.": the dropped subject is the previous
        # sentence's person
        ent = article.entity(d.dropped_subject)
        if ent is not None and (d.target is None or d.target.entity != ent.id):
            source = Actor(ent.id, ent.name, ent.name_en)
    target = d.target.actor() if d.target else None
    actors = [a.entity for a in (source, target) if a and a.entity]
    others = [p for p in d.others if p not in actors and p != d.location]
    best = max(d.observed, key=lambda o: (o.roles.source is not None) + (o.roles.target is not None))
    return Event(
        type=d.trigger.label,
        cameo=d.trigger.cameo,
        goldstein=d.trigger.goldstein,
        trigger=d.first,
        trigger_text=d.first_text,
        participants=tuple(actors + others),
        location=d.location,
        date=d.when.value if d.when else None,
        mentions=tuple(d.mentions),
        sentence=d.sentence,
        actor1=source,
        actor2=target,
        others=tuple(others),
        modality=d.modality,
        date_grain=d.when.grain if d.when else None,
        date_last=d.when.last if d.when else None,
        evidence=best.sentence,
        confidence=_confidence(d, source, target),
    )


def _confidence(d: _Draft, source: Actor | None, target: Actor | None) -> float:
    """A ranking score in [0, 1], not a calibrated probability: how directly the text states the event
    (a predicate or verb rather than a back-reference or locative), with its actors, how often."""
    direct = any(o.status.mode in ("light", "verb") for o in d.observed)
    score = 0.45 + (0.2 if direct else 0.0) + (0.15 if source else 0.0) + (0.1 if target else 0.0)
    score += min(0.1, 0.05 * (len(d.mentions) - 1))
    return round(min(score, 0.95), 2)


def _inherit_context(drafts: list[_Draft]) -> None:
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
