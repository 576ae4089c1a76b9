"""Organisation rules of the NER step, on top of the model (`khabar.analysis.ner.find_spans`).

Each is switched off by its name in `khabar.analysis.ner.RULES`, so that both cross-validations
(IL-NER train, `khabar eval ner --cv 5 --ablate`, and the news gold set by paragraph folds,
`khabar eval ner --gold-jsonl … --cv 5 --ablate`) can measure what it gains on data it was not
written from. docs/ner.md gives the figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from itertools import pairwise

from khabar.analysis.ner_features import (
    is_acronym,
    load_curated_orgs,
    load_curated_places,
    load_function_words,
    load_gazetteer,
    load_geo_places,
    load_org_heads,
    load_orgs,
    load_place_adjectives,
    load_places,
    load_scheme_nouns,
    load_titles,
)
from khabar.article import EntityType

# Words before an organisation head that may belong to its name (भारतीय जनता पार्टी): places, place
# adjectives, words of a model name; before a learned head also words seen inside organisation names.
ORG_MAX_TOKENS_BEFORE_HEAD = 4
# Without a place or model name among them, this many modifiers before a learned head (लोक स्वास्थ्य
# अभियंत्रण विभाग, not ग्राम पंचायत), the last of them seen with the head in a gazetteer name.
UNANCHORED_MIN_MODIFIERS = 2
INNER_CONJUNCTIONS = frozenset({"और", "एवं", "व", "तथा"})
OPEN_BRACKETS = frozenset({"(", "[", "{"})
CLOSE_BRACKETS = frozenset({")", "]", "}"})
GAZETTEER_MAX_TOKENS = 6


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


def is_punct(token: str) -> bool:
    """Whether a token has no letter or digit (Devanagari danda counts as punctuation)."""
    return not any(ch.isalnum() or ("\u0900" <= ch <= "\u097f" and ch not in "।॥॰") for ch in token)


def split_brackets(span: TokenSpan, keys: Sequence[str]) -> list[TokenSpan]:
    """A model span with a bracket inside, as the name before it and the name in it (विश्व स्वास्थ्य
    संगठन ( डब्लूएचओ ) is two mentions of one organisation); a piece ends at a closing bracket."""
    inside = [i for i in range(span.start, span.end) if keys[i] in OPEN_BRACKETS]
    if not inside:
        return [span]
    cuts = [span.start, *inside, span.end]
    out = []
    for a, b in pairwise(cuts):
        start = a + (a != span.start)
        end = start
        while end < b and keys[end] not in CLOSE_BRACKETS:
            end += 1
        if end > start:
            out.append(replace(span, start=start, end=end))
    return out


@cache
def learned_heads() -> frozenset[str]:
    """Words that end at least three organisation names of the gazetteers and of the training data
    (विभाग, आयोग, पुलिस, प्राधिकरण): heads learned from data, not listed; not punctuation, acronyms,
    organisation names of their own, places or scheme nouns."""
    tails = load_gazetteer().tails
    whole_names = load_orgs() | load_curated_orgs()
    return (
        frozenset(
            w
            for w, labels in tails.items()
            if "ORG" in labels
            and not is_punct(w)
            and not is_acronym(w)
            and w not in whole_names  # भाजपा, एसटीएफ: names, not heads
            and w not in _place_words()  # आईआईटी कानपुर: a place after the name, not a head
        )
        - load_scheme_nouns()
    )


@cache
def org_words() -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
    """Words seen inside organisation names of the gazetteers and the training data (not function
    words, titles, digits, heads or one-word names of their own), and the word pairs seen there: what
    may stand before a learned head (लोक स्वास्थ्य अभियंत्रण विभाग), and which modifier–head pairs make
    names (स्वास्थ्य विभाग)."""
    words: set[str] = set()
    pairs: set[tuple[str, str]] = set()
    for phrase, labels in load_gazetteer().phrases.items():
        if "ORG" in labels:
            parts = phrase.split(" ")
            words.update(parts)
            pairs.update(pairwise(parts))
    drop = load_function_words() | frozenset(load_titles()) | load_orgs() | load_curated_orgs()
    drop |= learned_heads() | frozenset(load_org_heads())
    kept = frozenset(w for w in words - drop if w and not is_punct(w) and not any(c.isdigit() for c in w))
    return kept, frozenset(pairs)


@cache
def _place_words() -> frozenset[str]:
    return load_places() | load_curated_places() | load_geo_places()


def head_spans(keys: Sequence[str], taken: Sequence[TokenSpan], off: frozenset[str]) -> list[TokenSpan]:
    """ORGANIZATION spans ending in a head word: the listed heads (org_heads.tsv) with places, place
    adjectives or model words before them (`org_before`), and heads learned from the gazetteers and
    training names (`org_learned`) with words seen inside organisation names before them, when a place
    or model name stands among them, or two or more of them end in a pair seen in a name; a
    place right after a learned head belongs to a local body's name (ज़िला अस्पताल सीतापुर,
    `org_place_after`)."""
    listed = (
        {k for k, pos in load_org_heads().items() if pos in ("end", "both")}
        if "org_before" not in off
        else set()
    )
    learned = learned_heads() if "org_learned" not in off else frozenset()
    adjectives = load_place_adjectives()
    places = _place_words()
    inside, pairs = org_words()
    schemes = load_scheme_nouns()
    in_name = {
        i
        for s in taken
        if s.type == "LOCATION" or (s.type == "ORGANIZATION" and s.source == "model")
        for i in range(s.start, s.end)
    }
    out: list[TokenSpan] = []
    n = len(keys)
    for i, key in enumerate(keys):
        if i == 0 or key in schemes or (key not in listed and key not in learned):
            continue
        open_head = key in learned
        start, anchored = i, False
        while start > 0 and i - start < ORG_MAX_TOKENS_BEFORE_HEAD:
            prev = keys[start - 1]
            if prev in adjectives or prev in places or (start - 1) in in_name:
                start -= 1
                anchored = True
            elif open_head and prev in inside:
                start -= 1
            elif (
                open_head
                and prev in INNER_CONJUNCTIONS
                and start < i
                and start >= 2
                and keys[start - 2] in inside
            ):
                start -= 2  # महिला और बाल विकास मंत्रालय
            else:
                break
        if start == i or not (
            anchored or (i - start >= UNANCHORED_MIN_MODIFIERS and (keys[i - 1], key) in pairs)
        ):
            continue  # ग्राम पंचायत, ज़िला प्रशासन: a generic word and a head are no name
        end = i + 1
        if (
            open_head
            and "org_place_after" not in off
            and end < n
            and keys[end] in places
            and (end + 1 >= n or is_punct(keys[end + 1]) or keys[end + 1] in load_function_words())
        ):
            end += 1
        out.append(TokenSpan(start, end, "ORGANIZATION", "pattern"))
    return out


@cache
def _org_gazetteer(off: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
    orgs = (load_orgs() if "gaz_orgs" not in off else frozenset()) | (
        load_curated_orgs() if "gaz_curated_orgs" not in off else frozenset()
    )
    return orgs, frozenset(p.split(" ")[0] for p in orgs)


def gazetteer_spans(keys: Sequence[str], off: frozenset[str]) -> list[TokenSpan]:
    """Longest matches of the hand-written organisation gazetteers (`gaz_orgs`: ner_orgs.tsv,
    `gaz_curated_orgs`: curated_orgs.tsv)."""
    orgs, firsts = _org_gazetteer(off & frozenset({"gaz_orgs", "gaz_curated_orgs"}))
    out: list[TokenSpan] = []
    i, n = 0, len(keys)
    while i < n:
        length = 0
        if keys[i] in firsts:
            for size in range(min(GAZETTEER_MAX_TOKENS, n - i), 0, -1):
                if " ".join(keys[i : i + size]) in orgs:
                    length = size
                    break
        if length:
            out.append(TokenSpan(i, i + length, "ORGANIZATION", "gazetteer"))
            i += length
        else:
            i += 1
    return out


def abbreviation_spans(keys: Sequence[str], spans: Sequence[TokenSpan]) -> list[TokenSpan]:
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
