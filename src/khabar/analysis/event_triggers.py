"""Trigger finding: the trigger lexicon, how an occurrence stands in its sentence and its sense conditions."""

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
    lexicon,
    mentions_between,
    next_word,
    sentence_at,
    span_index,
)
from khabar.analysis.event_model import loose_stem, stem
from khabar.article import Article

# Words after a trigger searched for a light verb; 3 covers "चर्चा भी हुई", "मीटिंग नहीं की".
LIGHT_WINDOW = 3
# Words before a trigger searched for a demonstrative or a "new event" determiner ("इस पूरी बैठक").
DETERMINER_WINDOW = 2
# Words around a trigger read by the not_near and recode sense conditions.
SENSE_WINDOW = 2
# Words before a visit trigger within which its place must stand ("जापान की तीन दिवसीय यात्रा").
PLACE_WINDOW = 3


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
def cues(kind: str) -> frozenset[str]:
    """The words of one kind in `event_cues.tsv` (light verbs, negations, demonstratives, …)."""
    return frozenset(row[0] for row in lexicon("event_cues.tsv") if row[1] == kind)


@cache
def _sense_words(name: str) -> frozenset[str]:
    return frozenset(row[0] for row in lexicon("sense_words.tsv") if row[1] == name)


@cache
def trigger_pattern() -> re.Pattern[str]:
    """Any form of the trigger lexicon, as a whole word or phrase."""
    return re.compile(rf"{START}(?:{alternation(triggers())}){END}")


def words_between(text: str, s: int, e: int) -> list[str]:
    """The words of `text[s:e]`."""
    return re.findall(rf"{WORD_CHAR}+", text[s:e])


@cache
def stem_index() -> dict[str, str]:
    """The stem of each one-word table form → that form (the first in table order)."""
    out: dict[str, str] = {}
    for form in triggers():
        if " " not in form:
            out.setdefault(stem(form), form)
    return out


@cache
def multi_stem_index() -> dict[tuple[str, ...], str]:
    """The loose stems of the words of each multi-word table form → that form (the first in table
    order): "मार्च निकाल सकता है" is an inflection of "मार्च निकाला", "दोषी ठहराते" of "दोषी ठहराया"."""
    out: dict[tuple[str, ...], str] = {}
    for form in triggers():
        if " " in form:
            out.setdefault(tuple(loose_stem(w) for w in form.split()), form)
    return out


def stem_form(form: str) -> str:
    """The table form a stem candidate's word (or words) inflects."""
    words = form.split()
    if len(words) == 1:
        return stem_index()[stem(form)]
    return multi_stem_index()[tuple(loose_stem(w) for w in words)]


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
            if after[k + 1] in cues(f"embed_{kind}"):
                if kind == "plan" and not k and after[k + 1] in cues("announce"):
                    return "order"  # "प्रतिबंधों की घोषणा की": announcing sanctions imposes them
                return kind
    return ""


# An infinitive between a trigger and its embedding noun (करने, किए जाने, कराने, देने).
INFINITIVE_FORM = re.compile(r"(?:ने|जाने)$")


def adjuncts_masked(article: Article, s: int, e: int) -> str:
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


def read_status(
    text: str, s: int, e: int, sent: tuple[int, int], trig: Trigger, masked: str | None = None
) -> Status:
    """Whether a trigger at `[s, e)` is a predicate, a back-reference or a new event's mention
    (`masked`: the sentence after the trigger with its date and place adjuncts blanked)."""
    after = (
        re.findall(rf"{WORD_CHAR}+", masked)[: LIGHT_WINDOW + 1]
        if masked is not None
        else words_between(text, e, sent[1])[: LIGHT_WINDOW + 1]
    )
    before = words_between(text, sent[0], s)[-DETERMINER_WINDOW:]
    back = any(w in cues("demonstrative") for w in before)
    new = any(w in cues("new") for w in before)
    embed = _embedding(after)
    if embed:
        return Status(True, back, new, "embedded", embed)  # "रिहाई की मांग", "प्रदर्शन करने का ऐलान"
    if any(k == "verb" for k, _ in trig.conditions):
        return Status(True, back, new, "verb")
    mode = ""
    for k, w in enumerate(after[:LIGHT_WINDOW]):
        if w in cues("negation"):
            continue  # "हमला नहीं किया": a denied event (modality negated)
        if w in cues("light") or (w in cues("light_final") and _final(text, e, sent[1], k, after)):
            copula = w in cues("copula") and not any(
                x in cues("light") and x not in cues("copula") for x in after[k + 1 : k + 3]
            )
            mode = "state" if copula else "light"
            break
        if w in cues("postposition") and not (k + 1 < len(after) and after[k + 1] in cues("take")):
            break  # "सहयोग पर बातचीत हुई": the verb belongs to बातचीत; "हिरासत में लिया" is one verb
    if not mode and before and before[-1] in cues("before"):
        mode = "light"
    if (
        not mode
        and before
        and (before[-1] in cues("planned_before") or " ".join(before[-2:]) in cues("planned_before"))
    ):
        return Status(True, back, new, "embedded", "plan")  # "प्रस्तावित बैठक", "होने वाली बैठक"
    two, three = " ".join(after[:2]), " ".join(after[:3])
    locative = after and (after[0] in cues("locative") or two in cues("locative"))
    if not mode and locative and trig.cameo[:2] in LOCATIVE_FAMILIES:
        mode = "locative"  # "बैठक में … मौजूद थे", "हमले में चार जवान घायल हुए"
    if not mode and (two in cues("reference") or three in cues("reference")):
        return Status(False, True, False, "reference")  # "हमले के बाद": joins the attack told before
    return Status(bool(mode), back, new, mode or ("back" if back else ""))


def _final(text: str, e: int, sent_end: int, k: int, after: list[str]) -> bool:
    """Whether the k-th word after a trigger ends its clause or is followed by an auxiliary."""
    if k + 1 < len(after):
        return after[k + 1] in cues("aux")
    rest = re.findall(rf"{WORD_CHAR}+|[^\s]", text[e:sent_end])
    idx = [i for i, w in enumerate(rest) if w == after[k]]
    return (
        not idx
        or idx[0] + 1 >= len(rest)
        or not re.match(WORD_CHAR, rest[idx[0] + 1])
        or (rest[idx[0] + 1] in cues("aux"))
    )


def read_sense(article: Article, trig: Trigger, s: int, e: int, clause: tuple[int, int]) -> Trigger | None:
    """The trigger as its context reads it: None when the sense conditions say it is no such event,
    another code when a recode condition holds."""
    text = article.text
    before = words_between(text, clause[0], s)
    after = words_between(text, e, clause[1])
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
    sentence_words = set(words_between(text, *_sentence_of(article, s)))
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
        gap = words_between(article.text, m.end, pos)
        if m.type == "LOCATION" and (not gap if bare else len(gap) <= PLACE_WINDOW):
            return True
    return False


def _person_before(article: Article, cs: int, pos: int) -> bool:
    """A person, or a personal pronoun, right before `pos` with its genitive ("उनका स्वागत", "मोदी का
    स्वागत")."""
    words = words_between(article.text, cs, pos)
    if set(words[-2:]) & {"उनका", "उनकी", "उनके", "उसका", "उसकी"}:
        return True
    for m in mentions_between(article, cs, pos):
        if m.type == "PERSON" and len(words_between(article.text, m.end, pos)) <= 1:
            return True
    return False


def _visitor_before(article: Article, cs: int, pos: int) -> bool:
    """A person or place mention stands right before a hosting trigger ("X की मेजबानी")."""
    for m in mentions_between(article, cs, pos):
        if m.type in ("PERSON", "LOCATION") and len(words_between(article.text, m.end, pos)) <= 2:
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
