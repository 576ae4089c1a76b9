"""Named-entity recognition: PERSON, LOCATION and ORGANIZATION mentions.

The full step is a CRF model (python-crfsuite, trained on IL-NER by `khabar train ner`) combined with
data-driven rules:

1. model spans, cleaned: split at brackets and before a run-on acronym; titles (राष्ट्रपति, श्री, …)
   moved out of the name into `role` (epithets such as स्वामी stay); trailing postpositions and leading
   conjunctions trimmed;
2. title pattern: a title followed by one to three name-like words is a PERSON (जनरल एलेक्स ग्रिंकेविच);
3. organisation heads: names ending in a head word (… आयोग, … कमीशन, … मंत्रालय) and "HEAD ऑफ (द) …"
   names (कोएलिशन ऑफ द विलिंग);
4. a name-like word before a common surname is a PERSON (भगत सिंह); an acronym in brackets after an
   organisation is one too;
5. gazetteers of places and organisations, adjectival place forms (अमेरिकी → अमेरिका) and country
   names on रिपब्लिक/किंगडम; a place before a scheme noun (स्वच्छ भारत अभियान) is none;
6. lists: name-like words joined by और/समेत/comma (or a hyphen, for places) to a PERSON or LOCATION get
   its type, and a stray model type in a longer list takes the list's type;
7. in a whole article, a person's full name or surname seen once is tagged wherever else it occurs,
   spelling variants included (विटकॉफ/विटकोफ, कुशनर/कुश्नर).

Rule spans never cut through a model span; a rule span may replace model spans it strictly contains.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from itertools import pairwise
from typing import Any

from khabar.analysis.ner_features import (
    extract_features,
    fold_cached,
    is_acronym,
    load_common_words,
    load_curated_orgs,
    load_curated_places,
    load_directions,
    load_function_words,
    load_org_heads,
    load_org_words,
    load_orgs,
    load_place_adjectives,
    load_place_heads,
    load_places,
    load_postpositions,
    load_scheme_nouns,
    load_surnames,
    variant_key,
)
from khabar.analysis.ner_features import load_titles as _load_title_kinds
from khabar.analysis.ner_vectors import (
    DEFAULT_MODE,
    accurate_features,
    check_mode,
    fast_features,
    load_tables,
)
from khabar.article import Article, EntityType, Mention
from khabar.encoder import Vectors
from khabar.errors import ModelError
from khabar.lang.hi import data_path, read_table

# The CRF of each recipe: `fast` (the default) and `accurate` ship; `plain` (no vector features) is
# built only by cross-validation, for comparison.
MODEL_FILES = {
    "plain": "models/ner_plain.crfsuite",
    "fast": "models/ner.crfsuite",
    "accurate": "models/ner_accurate.crfsuite",
}
# a sequence model: tokens of one sentence → BIO tags (PERSON/LOCATION/ORGANIZATION)
ModelTagger = Callable[[list[str]], list[str]]
# Longest title phrase and longest name after a title or in a coordination, in tokens (news names
# rarely have more than three parts; longer runs are usually a name followed by ordinary words).
TITLE_MAX_TOKENS = 3
PATTERN_NAME_MAX_TOKENS = 3
# Words before an organisation head that may belong to its name (भारतीय जनता पार्टी).
ORG_MAX_TOKENS_BEFORE_HEAD = 3
# Words after "HEAD ऑफ (द)" that belong to the name (कोएलिशन ऑफ द विलिंग, बैंक ऑफ बड़ौदा).
ORG_MAX_TOKENS_AFTER_OF = 3
# Heads before which any word seen inside an organisation name (not only places, place adjectives and
# model names) may join the name, with the conjunctions between such words: पंचायती राज मंत्रालय, महिला और
# बाल विकास मंत्रालय. Opening विभाग or आयोग, परिषद, समिति, निगम, प्राधिकरण, बोर्ड as well did not help on
# IL-NER dev (−0.15, −0.6 micro F1).
ORG_MAX_TOKENS_BEFORE_OPEN_HEAD = 6
INNER_CONJUNCTIONS = frozenset({"और", "एवं", "व", "तथा"})
ORG_OPEN_HEADS = frozenset({"मंत्रालय"})
OF_WORDS = frozenset({"ऑफ", "ओफ", "आफ", "ऑफ़", "फॉर", "फ़ॉर"})
THE_WORDS = frozenset({"द", "दि"})
# Fewest name-like words a coordination may add per type: a lone word after "PERSON और" is too often
# a common noun; places come in lists (नागपुर , वर्धा और भंडारा). Rounds let a list grow item by item.
COORDINATION_MIN_TOKENS: dict[str, int] = {"PERSON": 2, "LOCATION": 1}
COORDINATION_ROUNDS = 4
# Places are also joined by hyphens (अगरतला - अखौरा, रूस-यूक्रेन).
PLACE_JOINERS = frozenset({"-", "–"})
# names joined by commas and conjunctions that make a list whose majority type decides a stray member
LIST_MIN_NAMES = 3
# conjunctions a name never starts with ("और अफ्रीकन डेवलपमेंट बैंक")
LEADING_DROP = frozenset({"और", "तथा", "एवं", "व", "या", "अथवा"})
# an organisation span this long whose last word alone is an acronym is the name and its acronym
ACRONYM_SPLIT_MIN_TOKENS = 3
# longest gazetteer phrase matched (डेमोक्रेटिक रिपब्लिक ऑफ द कांगो)
GAZETTEER_MAX_TOKENS = 6
OPEN_BRACKETS = frozenset({"(", "[", "{"})
CLOSE_BRACKETS = frozenset({")", "]", "}"})
COORDINATORS = frozenset({"और", "समेत", "सहित", "तथा", "एवं", "व", ","})
GAZETTEER_RULES = frozenset(
    {"gaz_places", "gaz_curated_places", "gaz_orgs", "gaz_curated_orgs", "gaz_adjectival"}
)
# The rules on top of the model, by name: `find_spans(..., off=...)` switches some off, so that
# `khabar eval ner --cv 5 --ablate` can measure what each one gains on held-out folds.
RULES = (
    "brackets",  # a span with a bracket inside is the name before it and the name in it
    "acronym_split",  # an organisation run on into its acronym is two mentions
    "adjectival_cut",  # "यूरोपीय देशों": an adjectival place form with a noun is the form alone
    "title_trim",  # leading titles are not part of the name
    "role_inside",  # a role inside a person span ends what comes before the name
    "edge_trim",  # no name ends in a postposition/punctuation or starts with a conjunction
    "title_person",  # a title and one to three name-like words are a person
    "surname",  # a name-like word before a common surname is a person
    "org_of",  # "HEAD ऑफ (द) X" is an organisation
    "org_before",  # places, place adjectives and model words before an organisation head
    "org_open",  # before an open head (मंत्रालय), words seen inside organisation names
    "gaz_places",  # the place gazetteers (hand-written and generated)
    "gaz_curated_places",  # the hand-written curated_places.tsv
    "gaz_orgs",  # the hand-written organisation gazetteer ner_orgs.tsv
    "gaz_curated_orgs",  # the hand-written curated_orgs.tsv
    "gaz_adjectival",  # adjectival place forms as (adjectival) place mentions
    "scheme_place",  # a place before a scheme noun is no place mention
    "country",  # country names built on रिपब्लिक/किंगडम
    "abbreviation",  # an acronym in brackets after an organisation
    "coordination",  # names joined to a person or place in a list take its type
    "harmonise",  # a stray model type in a longer list takes the list's type
)


@dataclass(frozen=True, slots=True)
class TokenSpan:
    """A mention in token indices `[start, end)` of one sentence."""

    start: int
    end: int
    type: EntityType
    source: str
    role: str | None = None
    name: str | None = None
    adjectival: bool = False


@cache
def load_titles() -> frozenset[str]:
    """The title and role phrases that may precede a name, as written in `lang/hi/titles.tsv` (for
    stripping titles; the NER itself matches them in folded form, nukta and chandrabindu ignored).
    Epithets (स्वामी, संत), which belong to the name, are not among them."""
    return frozenset(
        row[0] for row in read_table("titles.tsv") if row and row[0] and (len(row) < 2 or row[1] != "epithet")
    )


@cache
def _first_words(phrases: frozenset[str]) -> frozenset[str]:
    return frozenset(p.split(" ")[0] for p in phrases)


@cache
def _tagger(mode: str = DEFAULT_MODE) -> tuple[Any, threading.Lock]:
    """The CRF tagger of a mode, opened once per process, with the lock that serialises its use (a
    crfsuite tagger keeps the last sentence inside, so two threads must not tag with it at once)."""
    import pycrfsuite

    path = data_path(MODEL_FILES[check_mode(mode)])
    tagger = pycrfsuite.Tagger()
    try:
        tagger.open(str(path))
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot open the NER model {path}: {exc} (rebuild: khabar train ner)") from None
    return tagger, threading.Lock()


def _is_punct(token: str) -> bool:
    return not any(ch.isalnum() or ("\u0900" <= ch <= "\u097f" and ch not in "।॥॰") for ch in token)


def _is_content_word(key: str) -> bool:
    """A word that may stand inside an organisation name before its head (वित्त in वित्त मंत्रालय)."""
    if not key or _is_punct(key) or any(ch.isdigit() for ch in key):
        return False
    return key not in load_function_words() and key not in _load_title_kinds() and key not in load_org_heads()


def _is_name_like(key: str) -> bool:
    """Whether a folded word could be part of a transliterated name (not a function, common, title,
    place or organisation word, nor punctuation or a number)."""
    if not key or _is_punct(key) or any(ch.isdigit() for ch in key):
        return False
    return not (
        key in load_function_words()
        or key in load_common_words()
        or key in _load_title_kinds()
        or key in load_places()
        or key in load_org_heads()
        or key in load_place_adjectives()
    )


def _title_ending_at(keys: Sequence[str], end: int) -> tuple[int, str] | None:
    """The longest title phrase ending just before token `end`: (its start, the phrase)."""
    titles = _load_title_kinds()
    for length in range(min(TITLE_MAX_TOKENS, end), 0, -1):
        phrase = " ".join(keys[end - length : end])
        if phrase in titles:
            return end - length, phrase
    return None


def _role_before(tokens: Sequence[str], keys: Sequence[str], start: int) -> str | None:
    """The role title directly before a name (honorifics stepped over), as written in the text."""
    end = start
    while end > 0:
        found = _title_ending_at(keys, end)
        if found is None:
            return None
        title_start, phrase = found
        if _load_title_kinds()[phrase] == "role":
            return " ".join(tokens[title_start:end])
        end = title_start
    return None


def _trim(span: TokenSpan, keys: Sequence[str], off: frozenset[str] = frozenset()) -> TokenSpan | None:
    """A span without leading titles or trailing postpositions/punctuation; None if nothing is left."""
    start, end = span.start, span.end
    if (
        "adjectival_cut" not in off
        and span.type == "LOCATION"
        and keys[start] in load_place_adjectives()
        and " ".join(keys[start:end]) not in load_places()  # सऊदी अरब is a place, not सऊदी + a noun
    ):
        # "यूरोपीय देशों": the adjective names the place, the noun after it does not
        return replace(
            span, end=start + 1, source="pattern", name=load_place_adjectives()[keys[start]], adjectival=True
        )
    titles = _load_title_kinds()
    while "title_trim" not in off and start < end:
        for length in range(min(TITLE_MAX_TOKENS, end - start - 1), 0, -1):
            phrase = " ".join(keys[start : start + length])
            if phrase in titles and titles[phrase] != "epithet":
                start += length
                break
        else:
            break
    if span.type == "PERSON" and "role_inside" not in off:
        # "एलआरए कमांडर रस्का लुक्विया": a role inside the span ends what comes before the name
        for i in range(end - 2, start, -1):
            found = _title_ending_at(keys, i + 1)
            if found is not None and found[0] > start and titles[found[1]] == "role":
                start = i + 1
                break
    drop = load_postpositions() | load_function_words()
    while "edge_trim" not in off and end > start and (keys[end - 1] in drop or _is_punct(keys[end - 1])):
        end -= 1
    while "edge_trim" not in off and start < end and (_is_punct(keys[start]) or keys[start] in LEADING_DROP):
        start += 1
    if start >= end:
        return None
    return replace(span, start=start, end=end)


def _split_brackets(span: TokenSpan, keys: Sequence[str]) -> list[TokenSpan]:
    """A span with a bracket inside, as the name before it and the name in it (विश्व स्वास्थ्य संगठन (
    डब्लूएचओ ) is two mentions of one organisation); a piece ends at a closing bracket."""
    inside = [i for i in range(span.start, span.end) if keys[i] in OPEN_BRACKETS]
    if not inside:
        return [span]
    cuts = [span.start, *inside, span.end]
    pieces = [replace(span, start=a + (a != span.start), end=b) for a, b in pairwise(cuts)]
    out = []
    for piece in pieces:
        end = piece.start
        while end < piece.end and keys[end] not in CLOSE_BRACKETS:
            end += 1
        if end > piece.start:
            out.append(replace(piece, end=end))
    return out


def _split_acronym(span: TokenSpan, keys: Sequence[str]) -> list[TokenSpan]:
    """An organisation name run on into its acronym (… रिकन्स्ट्रक्शन एंड डेवलपमेंट ईबीआरडी) as two mentions."""
    last = span.end - 1
    if (
        span.type == "ORGANIZATION"
        and span.end - span.start >= ACRONYM_SPLIT_MIN_TOKENS
        and is_acronym(keys[last])
        and not any(is_acronym(k) for k in keys[span.start : last])
    ):
        return [replace(span, end=last), replace(span, start=last)]
    return [span]


def from_bilou(tags: Sequence[str]) -> list[str]:
    """BILOU model labels as BIO tags (U- → B-, L- → I-)."""
    return [("B-" + t[2:]) if t[0] == "U" else ("I-" + t[2:]) if t[0] == "L" else t for t in tags]


def mode_features(
    tokens: Sequence[str], mode: str, vectors: Vectors | None = None, probs: Vectors | None = None
) -> list[list[str]] | None:
    """The vector features a mode adds to the CRF's (None for `plain`; `probs`: the head's
    predictions, given in training by cross-fitting)."""
    if mode == "plain":
        return None
    keys = [fold_cached(t) for t in tokens]
    if mode == "fast":
        return fast_features(keys)
    return accurate_features(tokens, keys, vectors, probs)


def _model_spans(
    tokens: Sequence[str],
    model: ModelTagger | None = None,
    mode: str = DEFAULT_MODE,
    vectors: Vectors | None = None,
) -> list[TokenSpan]:
    from khabar.eval.ner import spans_from_bio

    if model is not None:
        tags = model(list(tokens))
    else:
        features = extract_features(tokens, extra=mode_features(tokens, check_mode(mode), vectors))
        tagger, lock = _tagger(mode)
        with lock:
            labels = tagger.tag(features)
        tags = from_bilou(labels)
    return [TokenSpan(s, e, kind, "model") for s, e, kind in spans_from_bio(tags)]  # type: ignore[arg-type]


def _name_run(keys: Sequence[str], start: int, step: int, limit: int) -> int:
    """How many name-like words run from `start` in direction `step` (at most `limit`)."""
    n = 0
    i = start
    while 0 <= i < len(keys) and n < limit and _is_name_like(keys[i]):
        n += 1
        i += step
    return n


def _title_spans(keys: Sequence[str]) -> list[TokenSpan]:
    """PERSON spans of name-like words right after a title."""
    out: list[TokenSpan] = []
    titles = _load_title_kinds()
    firsts = _first_words(frozenset(titles))
    schemes = load_scheme_nouns()
    heads = load_org_heads()
    for i in range(len(keys)):
        if keys[i] not in firsts:
            continue
        for length in range(TITLE_MAX_TOKENS, 0, -1):
            if i + length <= len(keys) and " ".join(keys[i : i + length]) in titles:
                run = _name_run(keys, i + length, 1, PATTERN_NAME_MAX_TOKENS)
                after = i + length + run
                if after < len(keys) and (keys[after] in schemes or keys[after] in heads):
                    run = 0  # प्रधानमंत्री मुद्रा योजना, मुख्यमंत्री हेल्पलाइन कार्यालय: not a person
                if run:
                    first = i if titles[" ".join(keys[i : i + length])] == "epithet" else i + length
                    out.append(TokenSpan(first, i + length + run, "PERSON", "pattern"))
                break
    return out


def _surname_spans(keys: Sequence[str]) -> list[TokenSpan]:
    """PERSON spans of a name-like word followed by a common surname (भगत सिंह)."""
    surnames = load_surnames()
    out: list[TokenSpan] = []
    for i in range(1, len(keys)):
        if keys[i] in surnames and _is_name_like(keys[i - 1]) and keys[i - 1] not in surnames:
            out.append(TokenSpan(i - 1, i + 1, "PERSON", "pattern"))
    return out


def _org_spans(
    keys: Sequence[str], taken: Sequence[TokenSpan], off: frozenset[str] = frozenset()
) -> list[TokenSpan]:
    """ORGANIZATION spans built around organisation head words."""
    heads = load_org_heads()
    adjectives = load_place_adjectives()
    places = load_places()
    # a person's name does not run into an organisation after it (मोहित गुप्ता पंचायती राज मंत्रालय)
    in_name = {i for s in taken if s.type != "PERSON" for i in range(s.start, s.end)}
    out: list[TokenSpan] = []
    n = len(keys)
    schemes = load_scheme_nouns()
    org_words = load_org_words()
    for i, key in enumerate(keys):
        position = heads.get(key)
        if position is None or key in schemes:
            continue
        if "org_of" not in off and position in ("start", "both") and i + 1 < n and keys[i + 1] in OF_WORDS:
            j = i + 2
            if j < n and keys[j] in THE_WORDS:
                j += 1
            run = _name_run(keys, j, 1, ORG_MAX_TOKENS_AFTER_OF)
            if run:
                # a model organisation ending in the head runs on: इंटरनेशनल कोर्ट + ऑफ जस्टिस
                first = next((s.start for s in taken if s.type == "ORGANIZATION" and s.end == i + 1), i)
                out.append(TokenSpan(first, j + run, "ORGANIZATION", "pattern"))
                continue
        if "org_before" not in off and position in ("end", "both") and i > 0:
            # words before the head that are a place, a place adjective or inside a model name
            start = i
            open_head = key in ORG_OPEN_HEADS and "org_open" not in off
            limit = ORG_MAX_TOKENS_BEFORE_OPEN_HEAD if open_head else ORG_MAX_TOKENS_BEFORE_HEAD
            while start > 0 and i - start < limit:
                prev = keys[start - 1]
                if prev in adjectives or prev in places or (start - 1) in in_name:
                    start -= 1
                elif open_head and prev in org_words and _is_content_word(prev):
                    start -= 1  # पंचायती राज मंत्रालय
                elif (
                    open_head
                    and prev in INNER_CONJUNCTIONS
                    and start < i
                    and start >= 2
                    and keys[start - 2] in org_words
                    and _is_content_word(keys[start - 2])
                ):
                    start -= 2  # महिला और बाल विकास मंत्रालय
                else:
                    break
            if start < i:
                out.append(TokenSpan(start, i + 1, "ORGANIZATION", "pattern"))
    return out


def _country_spans(keys: Sequence[str], taken: Sequence[TokenSpan]) -> list[TokenSpan]:
    """LOCATION spans of country names built on रिपब्लिक/किंगडम: up to three name-like words or place
    adjectives before the head (चेक रिपब्लिक), or "HEAD ऑफ (द)" and a place or name after it."""
    heads = load_place_heads()
    adjectives = load_place_adjectives()
    out: list[TokenSpan] = []
    n = len(keys)

    def before(i: int) -> int:
        start = i
        while (
            start > 0
            and i - start < PATTERN_NAME_MAX_TOKENS
            and (keys[start - 1] in adjectives or _is_name_like(keys[start - 1]))
        ):
            start -= 1
        return start

    for i, key in enumerate(keys):
        if key not in heads:
            continue
        if i + 1 < n and keys[i + 1] in OF_WORDS:
            j = i + 2 + (i + 2 < n and keys[i + 2] in THE_WORDS)
            place = next((s for s in taken if s.start == j and s.type == "LOCATION"), None)
            end = place.end if place else j + _name_run(keys, j, 1, PATTERN_NAME_MAX_TOKENS)
            if end > j:
                out.append(TokenSpan(before(i), end, "LOCATION", "pattern"))
            continue
        start = before(i)
        if start < i:
            out.append(TokenSpan(start, i + 1, "LOCATION", "pattern"))
    return out


def _coordination_spans(keys: Sequence[str], spans: Sequence[TokenSpan]) -> list[TokenSpan]:
    """Spans of name-like words joined to a known PERSON or LOCATION by और/समेत/सहित/comma, same type."""
    out: list[TokenSpan] = []
    function = load_function_words()
    n = len(keys)
    directions = load_directions()
    for span in spans:
        least = COORDINATION_MIN_TOKENS.get(span.type)
        if least is None or span.adjectival:  # कश्मीरी , सिंधी: a list of languages, not of places
            continue
        joins = COORDINATORS | PLACE_JOINERS if span.type == "LOCATION" else COORDINATORS
        j = span.end
        if j + 1 < n and keys[j] in joins:
            if keys[j] == "," and j + 2 < n and keys[j + 1] in COORDINATORS:
                j += 1  # ", और"
            run = _name_run(keys, j + 1, 1, PATTERN_NAME_MAX_TOKENS)
            after = j + 1 + run
            if (
                run >= least
                and keys[after - 1] not in directions
                and (after >= n or keys[after] in function or _is_punct(keys[after]))
            ):
                out.append(TokenSpan(j + 1, after, span.type, "pattern"))
        i = span.start - 1
        if i - 1 >= 0 and keys[i] in joins:
            if keys[i] != "," and keys[i - 1] == "," and i - 2 >= 0:
                i -= 1  # ", और"
            run = _name_run(keys, i - 1, -1, PATTERN_NAME_MAX_TOKENS)
            before = i - run
            if (
                run >= least
                and keys[i - 1] not in directions
                and (before <= 0 or keys[before - 1] in function or _is_punct(keys[before - 1]))
            ):
                out.append(TokenSpan(before, i, span.type, "pattern"))
    return out


def _joined(keys: Sequence[str], left: int, right: int) -> bool:
    """Whether tokens `[left, right)` are a list joiner: a comma or conjunction, or ", और"."""
    words = tuple(keys[left:right])
    return (len(words) == 1 and words[0] in COORDINATORS) or (
        len(words) == 2 and words[0] == "," and words[1] in COORDINATORS
    )


def _harmonise_lists(keys: Sequence[str], spans: list[TokenSpan]) -> list[TokenSpan]:
    """In a list of three or more names where most members share one type, a model span whose type no
    other member has takes that type (क्यूबा , डेनमार्क , एल सालवाडोर , फिनलैंड is a list of countries)."""
    ordered = sorted(spans, key=lambda s: s.start)
    chains: list[list[int]] = []
    for k, span in enumerate(ordered):
        if chains and _joined(keys, ordered[chains[-1][-1]].end, span.start):
            chains[-1].append(k)
        else:
            chains.append([k])
    out = list(ordered)
    for chain in chains:
        members = [ordered[k] for k in chain if not ordered[k].adjectival]
        if len(members) < LIST_MIN_NAMES:
            continue
        counts = Counter(m.type for m in members)
        kind, most = counts.most_common(1)[0]
        if most * 2 <= len(members):
            continue
        for k in chain:
            span = ordered[k]
            if span.source == "model" and span.type != kind and counts[span.type] == 1:
                out[k] = replace(span, type=kind)
    return out


def _abbreviation_spans(keys: Sequence[str], spans: Sequence[TokenSpan]) -> list[TokenSpan]:
    """An acronym in brackets right after an organisation names it too: भारतीय उद्योग परिसंघ ( सीआईआई )."""
    out: list[TokenSpan] = []
    for span in spans:
        j = span.end
        if (
            span.type == "ORGANIZATION"
            and j + 2 < len(keys)
            and keys[j] == "("
            and keys[j + 2] == ")"
            and is_acronym(keys[j + 1])
        ):
            out.append(TokenSpan(j + 1, j + 2, span.type, "pattern"))
    return out


@cache
def _gazetteers(off: frozenset[str]) -> tuple[frozenset[str], frozenset[str], dict[str, str], frozenset[str]]:
    """The place and organisation phrases, adjectival forms and their first words the rules match."""
    places = (load_places() if "gaz_places" not in off else frozenset()) | (
        load_curated_places() if "gaz_curated_places" not in off else frozenset()
    )
    orgs = (load_orgs() if "gaz_orgs" not in off else frozenset()) | (
        load_curated_orgs() if "gaz_curated_orgs" not in off else frozenset()
    )
    adjectives = load_place_adjectives() if "gaz_adjectival" not in off else {}
    return places, orgs, adjectives, _first_words(places | orgs | frozenset(adjectives))


def _gazetteer_spans(keys: Sequence[str], off: frozenset[str] = frozenset()) -> list[TokenSpan]:
    """Longest place and organisation gazetteer matches, and adjectival place forms (not a place
    inside a scheme or statute name: स्वच्छ भारत अभियान, रोम संविधि)."""
    places, orgs, adjectives, firsts = _gazetteers(off & GAZETTEER_RULES)
    schemes = load_scheme_nouns() if "scheme_place" not in off else frozenset()
    out: list[TokenSpan] = []
    i = 0
    n = len(keys)
    while i < n:
        if keys[i] not in firsts:
            i += 1
            continue
        for length in range(min(GAZETTEER_MAX_TOKENS, n - i), 0, -1):
            phrase = " ".join(keys[i : i + length])
            if phrase in places:
                if i + length >= n or keys[i + length] not in schemes:
                    out.append(TokenSpan(i, i + length, "LOCATION", "gazetteer"))
                break
            if phrase in orgs:
                out.append(TokenSpan(i, i + length, "ORGANIZATION", "gazetteer"))
                break
            if phrase in adjectives:
                out.append(
                    TokenSpan(i, i + length, "LOCATION", "pattern", name=adjectives[phrase], adjectival=True)
                )
                break
        else:
            i += 1
            continue
        i += length
    return out


def _overlaps(a: TokenSpan, b: TokenSpan) -> bool:
    return a.start < b.end and b.start < a.end


def _add_span(accepted: list[TokenSpan], span: TokenSpan, replace_model: bool) -> None:
    """Add a rule span unless it cuts through an accepted one; it may swallow model spans and adjectival
    place forms it contains (सेन्ट्रल अफ्रीकी रिपब्लिक)."""
    clashing = [s for s in accepted if _overlaps(s, span)]
    if not clashing:
        accepted.append(span)
        return
    if replace_model and all(
        (s.source == "model" or s.adjectival)
        and span.start <= s.start
        and s.end <= span.end
        and (s.end - s.start) < (span.end - span.start)
        for s in clashing
    ):
        for s in clashing:
            accepted.remove(s)
        accepted.append(span)


def find_spans(
    tokens: Sequence[str],
    model: ModelTagger | None = None,
    off: frozenset[str] = frozenset(),
    mode: str = DEFAULT_MODE,
    vectors: Vectors | None = None,
) -> list[TokenSpan]:
    """All mentions in one tokenised sentence (the full NER step), sorted by start.

    `model` replaces the shipped CRF (a callable giving BIO tags), for measuring other models with the
    same rules on top; `off` names rules of `RULES` to leave out; `mode` is `fast` or `accurate`
    (`vectors`: the sentence's encoder word vectors for `accurate`, computed if not given)."""
    if not tokens:
        return []
    keys = [fold_cached(t) for t in tokens]
    accepted: list[TokenSpan] = []
    for span in _model_spans(tokens, model, mode, vectors):
        pieces = _split_brackets(span, keys) if "brackets" not in off else [span]
        for piece in pieces:
            for part in _split_acronym(piece, keys) if "acronym_split" not in off else [piece]:
                trimmed = _trim(part, keys, off)
                if trimmed is not None:
                    accepted.append(trimmed)
    if "title_person" not in off:
        for span in _title_spans(keys):
            _add_span(accepted, span, replace_model=True)
    if "surname" not in off:
        for span in _surname_spans(keys):
            _add_span(accepted, span, replace_model=False)
    for span in _org_spans(keys, accepted, off):
        _add_span(accepted, span, replace_model=True)
    for span in _gazetteer_spans(keys, off):
        _add_span(accepted, span, replace_model=False)
    if "country" not in off:
        for span in _country_spans(keys, accepted):
            _add_span(accepted, span, replace_model=True)
    if "abbreviation" not in off:
        for span in _abbreviation_spans(keys, accepted):
            _add_span(accepted, span, replace_model=False)
    harmonise = _harmonise_lists if "harmonise" not in off else (lambda _keys, spans: spans)
    for _ in range(COORDINATION_ROUNDS if "coordination" not in off else 0):
        accepted = harmonise(keys, accepted)
        added = [s for s in _coordination_spans(keys, accepted) if not any(_overlaps(s, a) for a in accepted)]
        if not added:
            break
        for span in added:
            _add_span(accepted, span, replace_model=False)
    out = []
    for span in harmonise(keys, accepted):
        role = _role_before(tokens, keys, span.start) if span.type == "PERSON" else None
        out.append(replace(span, role=role) if role else span)
    return out


def tag_tokens(
    tokens: list[str],
    model: ModelTagger | None = None,
    off: frozenset[str] = frozenset(),
    mode: str = DEFAULT_MODE,
) -> list[str]:
    """BIO tags (B-PERSON, I-LOCATION, …, O) for one tokenised sentence, from the full NER step.

    Adjectival place forms (अमेरिकी) are mentions of a place but not names, so they stay O here, as in
    the IL-NER annotation; `tag_article` keeps them as LOCATION mentions with `name` set."""
    tags = ["O"] * len(tokens)
    for span in find_spans(tokens, model, off, mode):
        if span.adjectival:
            continue
        tags[span.start] = f"B-{span.type}"
        for i in range(span.start + 1, span.end):
            tags[i] = f"I-{span.type}"
    return tags


def _propagate(
    article: Article, sentences: list[tuple[list[tuple[int, int]], list[TokenSpan]]]
) -> list[list[TokenSpan]]:
    """Tag other occurrences of each PERSON's full name and surname (spelling variants included).

    A model span of another type whose words are a full name or surname of a person with a full name
    or a role elsewhere in the article becomes a PERSON (जेलेंस्की ने … is not an organisation)."""
    text = article.text
    names: dict[tuple[str, ...], EntityType] = {}
    strong: set[tuple[str, ...]] = set()
    for offsets, spans in sentences:
        for span in spans:
            if span.type != "PERSON" or span.source == "gazetteer":
                continue
            words = tuple(variant_key(text[s:e]) for s, e in offsets[span.start : span.end])
            names.setdefault(words, "PERSON")
            if len(words) > 1 or span.role:
                strong.add(words)
            last = words[-1]
            if len(words) > 1 and _is_name_like(
                fold_cached(text[offsets[span.end - 1][0] : offsets[span.end - 1][1]])
            ):
                names.setdefault((last,), "PERSON")
                strong.add((last,))
    longest = max((len(k) for k in names), default=0)
    out: list[list[TokenSpan]] = []
    for offsets, spans in sentences:
        keys = [variant_key(text[s:e]) for s, e in offsets]
        found = [
            replace(span, type="PERSON")
            if span.type != "PERSON"
            and span.source == "model"
            and tuple(keys[span.start : span.end]) in strong
            else span
            for span in spans
        ]
        i = 0
        while i < len(keys):
            for length in range(min(longest, len(keys) - i), 0, -1):
                kind = names.get(tuple(keys[i : i + length]))
                if kind is None:
                    continue
                candidate = TokenSpan(i, i + length, kind, "pattern")
                if not any(_overlaps(candidate, s) for s in found):
                    tokens = [text[s:e] for s, e in offsets]
                    role = _role_before(tokens, [fold_cached(t) for t in tokens], i)
                    found.append(replace(candidate, role=role))
                    i += length - 1
                break
            i += 1
        out.append(sorted(found, key=lambda s: s.start))
    return out


def tag_article(article: Article, mode: str = DEFAULT_MODE) -> Article:
    """Set `article.mentions` from the kept sentences (teaser and other removed lines give none);
    `mode` is `fast` (the default) or `accurate` (the encoder runs over all sentences in one batch)."""
    check_mode(mode)
    text = article.text
    token_lists = [[text[s:e] for s, e in sent.tokens] for sent in article.sentences]
    vectors: list[Vectors | None] = [None] * len(token_lists)
    if mode == "accurate" and token_lists:
        from khabar.encoder import get_encoder

        vectors = list(get_encoder().word_vectors(token_lists, load_tables().context_layer))
    sentences: list[tuple[list[tuple[int, int]], list[TokenSpan]]] = []
    for sent, tokens, vecs in zip(article.sentences, token_lists, vectors, strict=True):
        sentences.append((list(sent.tokens), find_spans(tokens, mode=mode, vectors=vecs)))
    mentions: list[Mention] = []
    for (offsets, _), spans in zip(sentences, _propagate(article, sentences), strict=True):
        for span in spans:
            start = offsets[span.start][0]
            end = offsets[span.end - 1][1]
            mentions.append(
                Mention(
                    start=start,
                    end=end,
                    text=text[start:end],
                    type=span.type,
                    source=span.source,
                    name=span.name if span.name and span.name != text[start:end] else None,
                    role=span.role,
                )
            )
    article.mentions = sorted(mentions, key=lambda m: (m.start, m.end))
    return article
