"""English names and Wikidata ids for Hindi entity names, in this order (`EnglishName.source` says which):

1. `gazetteer`: a knowledge-base form spelled exactly so, of a fitting type;
2. `gazetteer_key`: a form with the same spelling-variant key (विटकोफ finds विटकॉफ), of a fitting type;
   between several senses of one spelling (पीटीआई: a party and a news agency) the context decides:
   cue words of the sense's class near the mentions (`lang/hi/class_cues.tsv`), the story's country,
   then the knowledge base's rank;
3. `composed`: an organisation from a head and a known part (X सरकार → Government of X, X विश्वविद्यालय
   → X University or University of X, X हाईकोर्ट → X High Court; `lang/hi/org_heads_en.tsv`), X's English
   from the knowledge base;
4. `parts`: the words looked up one by one (a known surname keeps its spelling: चार्ल्स कुश्नर → Charles
   Kushner), the others romanised;
5. `romanized`: the learned romaniser (`khabar.analysis.romanize`);
6. `rules`: the romaniser's rules alone, when nothing learned applies.

A form that is the former name of a renamed place gives the former English name (the article's name),
with the current one in `aliases_en`. A type-less knowledge-base row (Wikidata labels of unknown type)
fits any type but gives a person only its spelling, not its id.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from khabar.analysis.gazetteer import KBHit, known_part, lookup
from khabar.analysis.namekey import compact_key, name_key
from khabar.analysis.romanize import acronym_letters, is_acronym, romanize
from khabar.analysis.translit import choose_style, load_models
from khabar.errors import KhabarError
from khabar.lang.hi import read_table

# Weights of the sense choice between knowledge-base entities sharing a spelling (set by hand on the
# entity gold set's dev part; rank is a 0-1 prior from the source and, for places, the population).
CUE_WEIGHT = 2.0
COUNTRY_WEIGHT = 0.3
EXACT_FORM_WEIGHT = 0.3
COMMON_PENALTY = 0.5
DEFAULT_COUNTRY = "IN"
# Log prior of the Hindi spelling style for a person named in Hindi news (the style classifier is
# trained on Bengal, Assam and South Indian candidates, so without it जय शाह reads as Bengali "Joy";
# set on the entity gold set's dev part, with the cross-style margin the romaniser had before its
# reranking: persons 0 → 72.3 %, 4 to 9 → 73.2 %, with the tables before their last rebuild; after it
# 74.1 % at 6).
NEWS_HINDI_PRIOR = 6.0


@dataclass(frozen=True, slots=True)
class NameContext:
    """What a mention's surroundings say: name keys of the words near it, the story's country."""

    near: frozenset[str] = frozenset()
    country: str | None = DEFAULT_COUNTRY


@dataclass(frozen=True, slots=True)
class EnglishName:
    """The English name of an entity, how it was found, and what the knowledge base knows."""

    name_en: str
    source: str
    wikidata: str | None = None
    hit: KBHit | None = None
    aliases_en: tuple[str, ...] = ()


@cache
def load_class_cues() -> dict[str, frozenset[str]]:
    """Class → name keys of its cue words."""
    try:
        rows = read_table("class_cues.tsv")
    except KhabarError:
        return {}
    return {r[0]: frozenset(name_key(w) for w in r[1].split()) for r in rows if len(r) > 1}


@dataclass(frozen=True, slots=True)
class OrgHead:
    """An organisation head and its English patterns."""

    words: tuple[str, ...]
    position: str
    place_pattern: str
    other_pattern: str
    type: str


@cache
def load_org_heads() -> tuple[OrgHead, ...]:
    """Heads of `org_heads_en.tsv`, longest first."""
    try:
        rows = read_table("org_heads_en.tsv")
    except KhabarError:
        return ()
    heads = [
        OrgHead(tuple(name_key(r[0]).split()), r[1], r[2], r[3], r[4] if len(r) > 4 else "ORGANIZATION")
        for r in rows
        if len(r) >= 4
    ]
    return tuple(sorted(heads, key=lambda h: -len(h.words)))


def type_fits(hit: KBHit, type: str) -> bool:
    """A typed row fits its own type; a type-less row fits any."""
    return not hit.type or hit.type == type


def choose_sense(hits: Iterable[KBHit], name: str, context: NameContext | None = None) -> KBHit | None:
    """The best of several knowledge-base senses of one spelling (see the module docstring)."""
    context = context or NameContext()
    cues = load_class_cues()
    exact = unicodedata.normalize("NFC", name)

    def score(hit: KBHit) -> float:
        value = hit.rank / 100
        if hit.klass and context.near & cues.get(hit.klass, frozenset()):
            value += CUE_WEIGHT
        if hit.country and context.country:
            value += COUNTRY_WEIGHT if hit.country == context.country else 0.0
        value += EXACT_FORM_WEIGHT if hit.hindi == exact else 0.0
        value -= COMMON_PENALTY if hit.common else 0.0
        return value

    ranked = sorted(hits, key=lambda h: (-score(h), h.entity))
    return ranked[0] if ranked else None


def lookup_name(name: str, type: str, context: NameContext | None = None) -> KBHit | None:
    """The knowledge-base entity a name of this type refers to, or None."""
    hits = [h for h in lookup(name) if type_fits(h, type)]
    if not hits:
        return None
    typed = [h for h in hits if h.type == type]
    return choose_sense(typed or hits, name, context)


def _from_hit(hit: KBHit, name: str, type: str) -> EnglishName:
    source = "gazetteer" if hit.hindi == unicodedata.normalize("NFC", name) else "gazetteer_key"
    qid = hit.wikidata if (hit.type or type != "PERSON") else None
    aliases = (hit.current,) if hit.current != hit.english else ()
    return EnglishName(hit.english, source, qid, hit, aliases)


def compose_org(name: str, type: str, context: NameContext | None = None) -> EnglishName | None:
    """An organisation (or facility) named from a head and a known part (X सरकार → Government of X)."""
    words = name.split()
    keys = [name_key(w) for w in words]
    for head in load_org_heads():
        n = len(head.words)
        if len(words) <= n:
            continue
        if head.position == "end" and tuple(keys[-n:]) == head.words:
            rest = " ".join(words[:-n])
        elif head.position == "start" and tuple(keys[:n]) == head.words:
            rest = " ".join(words[n:])
        else:
            continue
        place = lookup_name(rest, "LOCATION", context)
        if place is not None:
            return EnglishName(head.place_pattern.format(X=place.english), "composed")
        known = lookup_name(rest, "ORGANIZATION", context) or lookup_name(rest, "PERSON", context)
        if known is not None:
            return EnglishName(head.other_pattern.format(X=known.english), "composed")
        inner = english_by_parts(rest, type)
        return EnglishName(head.other_pattern.format(X=inner.name_en), inner.source)
    return None


def _initials(word: str) -> str | None:
    """Initials written as letter names with full stops (एस., जे.बी.) → 'S.', 'J. B.'; else None."""
    if "." not in word:
        return None
    pieces = [p for p in word.split(".") if p]
    letters = [acronym_letters(p) for p in pieces]
    if not pieces or any(x is None or len(x) != 1 for x in letters):
        return None
    return " ".join(f"{x}." for x in letters)


def english_by_parts(name: str, type: str = "PERSON") -> EnglishName:
    """Each word's known English spelling (`gazetteer.known_part`), else the romaniser: for a person in
    the spelling style of the whole name, for places and organisations (Hindi words) in the Hindi style;
    source `parts` when at least one word is known, else `romanized` (or `rules` without a model)."""
    words = name.split()
    if type == "PERSON":
        style = choose_style(
            [w for w in words if not is_acronym(w) and _initials(w) is None], {"hindi": NEWS_HINDI_PRIOR}
        )
    else:
        style = "hindi" if load_models() else None
    out: list[str] = []
    known = 0
    for word in words:
        initials = _initials(word)
        if initials is not None:
            out.append(initials)
            continue
        part = known_part(word) if not is_acronym(word) else None
        if part is not None:
            out.append(part)
            known += 1
        else:
            out.append(romanize(word, style=style))
    text = " ".join(out)
    if known:
        return EnglishName(text, "parts")
    return EnglishName(text, "romanized" if style is not None else "rules")


def english_name(name: str, type: str, context: NameContext | None = None) -> EnglishName:
    """The English name of a Hindi entity name of this type (see the module docstring for the order).

    >>> english_name("अमेरिका", "LOCATION").name_en
    'United States'
    """
    hit = lookup_name(name, type, context)
    if hit is not None:
        return _from_hit(hit, name, type)
    if type in ("ORGANIZATION", "LOCATION"):
        composed = compose_org(name, type, context)
        if composed is not None:
            return composed
    if not compact_key(name):
        return EnglishName(name, "rules")
    return english_by_parts(name, type)


def warm_up() -> None:
    """Load the name knowledge base and the romaniser's models and tables (before a time-limited
    document, so that loading them is not its time)."""
    english_name("कृपाशंकर विश्वास", "PERSON")
    english_name("पटना विश्वविद्यालय", "ORGANIZATION")
