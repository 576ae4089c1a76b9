"""Token features for the statistical NER model, and the lexicons they (and the NER rules) use.

Features of a word alone (identity, affixes, shape, lexicon flags) are computed
once per distinct word and cached; each token then adds its neighbours' features with an offset prefix.
All lexicons are data files in `lang/hi/`; the generated ones (`ner_*_gen.*`) come from
`khabar train ner`.
"""

from __future__ import annotations

import contextlib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache

from khabar.errors import ModelError
from khabar.lang.hi import read_list, read_table

NUKTA = "\u093c"
VIRAMA = "\u094d"
# Light folding for lexicon look-ups: nukta dropped, chandrabindu as anusvara.
_FOLD = str.maketrans({NUKTA: None, "\u0901": "\u0902"})
# Heavy folding for spelling variants of one transliterated name (ॉ/ो, ै/े, ई/इ, halant/schwa, …).
_VARIANT = str.maketrans(
    {
        NUKTA: None,
        VIRAMA: None,
        "\u0901": None,
        "\u0902": None,
        "\u0949": "\u094b",  # ॉ → ो
        "\u0911": "\u0913",  # ऑ → ओ
        "\u0948": "\u0947",  # ै → े
        "\u0910": "\u090f",  # ऐ → ए
        "\u0940": "\u093f",  # ी → ि
        "\u0908": "\u0907",  # ई → इ
        "\u0942": "\u0941",  # ू → ु
        "\u090a": "\u0909",  # ऊ → उ
        "\u0945": "\u0947",  # ॅ → े
    }
)
# Neighbours whose word and flags are features of a token (±3 and neighbour suffixes did not help on dev).
CONTEXT_OFFSETS = (-2, -1, 1, 2)
# Signs common in transliterated foreign names: ॉ, ऑ, nukta, ॅ, visarga.
FOREIGN_MARKS = ("\u0949", "\u0911", NUKTA, "\u0945", "\u0903")
# Distinct words whose features stay cached (a news vocabulary this size covers nearly all tokens;
# bounded so a long-running server does not grow without limit: about 1 KB per word).
WORD_CACHE_SIZE = 50_000
# Longest gazetteer phrase matched, in tokens (longer names are rare and slow the matcher).
GAZETTEER_MAX_TOKENS = 6
# A word that ends at least this many gazetteer names of one type is a head of that type (आयोग,
# प्राधिकरण, विश्वविद्यालय for organisations; learned from the gazetteers and the training names).
TAIL_MIN_NAMES = 3
# Feature groups `khabar eval ner --cv --features-off` can switch off, to measure each on held-out folds:
FEATURE_GROUPS = (
    "curated_gaz",  # the hand-written curated_places/curated_orgs tables as gazetteer span features
    "tails",  # words that end many gazetteer names of one type (learned heads)
    "zipf",  # the wordfreq Hindi frequency band of the word and its neighbours
    "geo",  # GeoNames/LGD Hindi town and district names as place gazetteer features
    "bodies",  # templates of Indian state and local bodies filled with place names
)
FEATURES_OFF: set[str] = set()


def fold_key(word: str) -> str:
    """The lexicon look-up form of a word or phrase (NFC, nukta dropped, chandrabindu → anusvara)."""
    return unicodedata.normalize("NFC", word).translate(_FOLD)


def variant_key(word: str) -> str:
    """A key equal for common spelling variants of a transliterated name (कुशनर/कुश्नर, विटकॉफ/विटकोफ)."""
    return unicodedata.normalize("NFC", word).translate(_VARIANT)


def _phrases(name: str, column: int = 0) -> frozenset[str]:
    return frozenset(fold_key(row[column]) for row in read_table(name) if len(row) > column and row[column])


def _words(name: str, optional: bool = False) -> frozenset[str]:
    """The folded words of a `lang/hi` word list; a missing optional (generated) list gives none."""
    try:
        return frozenset(fold_key(w) for w in read_list(name))
    except ModelError:
        if optional:
            return frozenset()
        raise


@cache
def load_titles() -> dict[str, str]:
    """Title phrases written before names (folded form → kind `role` or `honorific`)."""
    return {fold_key(row[0]): (row[1] if len(row) > 1 else "role") for row in read_table("titles.tsv")}


@cache
def load_org_heads() -> dict[str, str]:
    """Organisation head words (folded form → position `end`, `start` or `both`)."""
    return {fold_key(row[0]): (row[1] if len(row) > 1 else "end") for row in read_table("org_heads.tsv")}


@cache
def load_scheme_nouns() -> frozenset[str]:
    """Nouns (folded) after which a place name is part of a scheme or statute name (स्वच्छ भारत अभियान)."""
    return _words("scheme_nouns.txt")


@cache
def load_place_adjectives() -> dict[str, str]:
    """Adjectival place forms (folded) → the place name they refer to."""
    return {fold_key(row[0]): row[1] for row in read_table("place_adjectives.tsv") if len(row) > 1}


@cache
def load_places() -> frozenset[str]:
    """Place names (folded): the hand-written list plus the generated one when present."""
    places = set(_phrases("ner_places.tsv"))
    with contextlib.suppress(ModelError):
        places |= _phrases("ner_places_gen.tsv")
    return frozenset(places)


def _curated_names(table: str) -> frozenset[str]:
    """Names (folded) of a hand-written `curated_*.tsv` table that are not also ordinary words (marked
    `common`, or frequent in the training text and almost never a name there)."""
    try:
        rows = read_table(table)
    except ModelError:
        return frozenset()
    common = {fold_key(r[0]) for r in rows if r and r[0] and len(r) > 4 and r[4] == "common"}
    names = {fold_key(r[0]) for r in rows if r and r[0]} - common  # a spelling variant keeps the flag
    return frozenset(names - load_common_words())  # मिलान "comparison", as the training text has it


@cache
def load_curated_places() -> frozenset[str]:
    """Place names of `curated_places.tsv`, matched by the rules on top of the model (not a feature)."""
    return _curated_names("curated_places.tsv")


@cache
def load_curated_orgs() -> frozenset[str]:
    """Organisation names of `curated_orgs.tsv`, matched by the rules on top of the model (not a feature)."""
    return _curated_names("curated_orgs.tsv")


@cache
def load_orgs() -> frozenset[str]:
    """Organisation names (folded) from the hand-written gazetteer."""
    return _phrases("ner_orgs.tsv")


@cache
def load_function_words() -> frozenset[str]:
    """Words that never belong to a name."""
    return _words("ner_function_words.txt")


@cache
def load_postpositions() -> frozenset[str]:
    """Case-marking postpositions that follow names."""
    return _words("ner_postpositions.txt")


@cache
def load_surnames() -> frozenset[str]:
    """Common surnames (folded) that close a person's name."""
    return _words("surnames.txt")


@cache
def load_person_parts() -> frozenset[str]:
    """Given names and surnames (folded) from the name tables, built by `khabar train ner`."""
    return _words("ner_person_parts_gen.txt", optional=True)


@cache
def load_common_words() -> frozenset[str]:
    """Frequent training words that are almost never part of a name, built by `khabar train ner`."""
    return _words("ner_common_words_gen.txt", optional=True)


@cache
def load_proper_nouns() -> frozenset[str]:
    """Words tagged PROPN in UD Hindi PUD, built by `khabar train ner`."""
    return _words("ner_propn_gen.txt", optional=True)


@cache
def _first_words(phrases: frozenset[str]) -> frozenset[str]:
    return frozenset(p.split(" ")[0] for p in phrases)


def _shape(word: str) -> str:
    """A coarse character-class shape: D digits, L latin, H Devanagari, P punctuation, M mixed."""
    kinds = set()
    for ch in word:
        if ch.isdigit():
            kinds.add("D")
        elif "\u0900" <= ch <= "\u097f":
            kinds.add("H")
        elif ch.isalpha():
            kinds.add("L")
        else:
            kinds.add("P")
    return "".join(sorted(kinds)) if len(kinds) <= 2 else "M"


@cache
def _letter_names() -> frozenset[str]:
    return _words("initials.txt")


def is_acronym(key: str) -> bool:
    """Whether a folded word is two or more Latin letter names written in Devanagari (सीबीआई, आईएमएफ)."""
    names = _letter_names()
    n = len(key)
    if n < 2 or not ("\u0900" <= key[0] <= "\u097f"):
        return False
    # parts[i]: fewest letter names that spell key[:i] (0 = impossible, except at 0)
    parts = [0] + [-1] * n
    for i in range(n):
        if parts[i] < 0:
            continue
        for j in range(i + 1, min(n, i + 6) + 1):
            if key[i:j] in names and (parts[j] < 0 or parts[j] > parts[i] + 1):
                parts[j] = parts[i] + 1
    return parts[n] >= 2


@lru_cache(maxsize=WORD_CACHE_SIZE)
def fold_cached(word: str) -> str:
    """`fold_key` with a per-process cache (tagging sees the same words again and again)."""
    return fold_key(word)


@lru_cache(maxsize=WORD_CACHE_SIZE)
def word_features(word: str) -> tuple[str, ...]:
    """Features of a word on its own (identity, affixes, shape, lexicon flags)."""
    key = fold_key(word)
    feats = [f"w={key}", f"sh={_shape(word)}", f"len={min(len(key), 8)}"]
    feats.extend(f"has={ch}" for ch in FOREIGN_MARKS if ch in word)
    # character trigrams inside the word (with < > for its edges): a cheap stand-in for the character
    # models of neural taggers; +0.6 dev F1 averaged over 3 seeds (4-grams as well: −0.2)
    padded = f"<{key}>"
    feats.extend(sorted({f"g3={padded[i : i + 3]}" for i in range(len(padded) - 2)}))
    for n in (1, 2, 3, 4):
        if len(key) > n:
            feats.append(f"s{n}={key[-n:]}")
            feats.append(f"p{n}={key[:n]}")
    # the common-word flag is derived from the training labels: on the token itself it is a leak the
    # model over-trusts (dev F1 -1.7); on its neighbours it helps
    feats.extend(tag for tag in word_flags(key) if tag != "common")
    return tuple(feats)


@lru_cache(maxsize=WORD_CACHE_SIZE)
def word_flags(key: str) -> tuple[str, ...]:
    """Lexicon flags of a folded word, shared by the token and its neighbours."""
    flags: list[str] = []
    if is_acronym(key):
        flags.append("acro")
    if key in load_titles():
        flags.append("title")
    if key in _first_words(frozenset(load_titles())):
        flags.append("title1")
    if key in load_org_heads():
        flags.append("orghead")
    if key in load_places():
        flags.append("place")
    elif key in _first_words(load_places()):
        flags.append("place1")
    if key in load_place_adjectives():
        flags.append("placeadj")
    if key in load_orgs() or key in _first_words(load_orgs()):
        flags.append("org")
    if key in load_person_parts():
        flags.append("person")
    if key in load_proper_nouns():
        flags.append("propn")
    if key in load_postpositions():
        flags.append(f"pp={key}")
    if key in load_function_words():
        flags.append("fn")
    if key in load_common_words():
        flags.append("common")
    if "zipf" not in FEATURES_OFF:
        z = load_zipf().get(key)
        flags.append(f"zf{int(z)}" if z is not None else "zf-")
    return tuple(flags)


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """Phrases (folded, tokens joined by one space) with their labels, for span-match features."""

    phrases: dict[str, frozenset[str]]
    max_len: int
    first_words: frozenset[str] = frozenset()
    tails: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, entries: Iterable[tuple[str, str]]) -> Gazetteer:
        """A gazetteer from `(phrase, label)` pairs."""
        table: dict[str, set[str]] = {}
        for phrase, label in entries:
            key = " ".join(fold_key(phrase).split())
            if key:
                table.setdefault(key, set()).add(label)
        longest = max((k.count(" ") + 1 for k in table), default=1)
        tails: dict[str, dict[str, int]] = {}
        for key, labels in table.items():
            words = key.split(" ")
            if len(words) > 1:
                for label in labels:
                    counts = tails.setdefault(words[-1], {})
                    counts[label] = counts.get(label, 0) + 1
        heads = {
            w: frozenset(lab for lab, n in c.items() if n >= TAIL_MIN_NAMES)
            for w, c in tails.items()
            if "tails" not in FEATURES_OFF and max(c.values()) >= TAIL_MIN_NAMES
        }
        return cls(
            {k: frozenset(v) for k, v in table.items()},
            min(longest, GAZETTEER_MAX_TOKENS),
            frozenset(k.split(" ")[0] for k in table),
            heads,
        )

    def match(self, keys: Sequence[str]) -> list[list[str]]:
        """Per token, `g<label>B`/`g<label>I` flags of the longest phrase per label covering it."""
        out: list[list[str]] = [[f"t{label}" for label in sorted(self.tails.get(k, ()))] for k in keys]
        n = len(keys)
        for i in range(n):
            if keys[i] not in self.first_words:
                continue
            seen: set[str] = set()
            for length in range(min(self.max_len, n - i), 0, -1):
                labels = self.phrases.get(" ".join(keys[i : i + length]))
                if not labels:
                    continue
                for label in sorted(labels - seen):
                    out[i].append(f"g{label}B")
                    for j in range(i + 1, i + length):
                        out[j].append(f"g{label}I")
                seen |= labels
        return out


@cache
def load_geo_places() -> frozenset[str]:
    """Hindi town, village and district names from GeoNames/LGD, built by `khabar train ner`."""
    return _words("ner_geo_places_gen.tsv", optional=True)


@cache
def load_zipf() -> dict[str, float]:
    """Folded word → its wordfreq Hindi Zipf frequency, built by `khabar train ner`."""
    try:
        rows = read_table("ner_wordfreq_gen.tsv")
    except ModelError:
        return {}
    return {row[0]: float(row[1]) for row in rows if len(row) > 1}


@cache
def load_bodies() -> frozenset[str]:
    """Indian state and local bodies: `ner_bodies.tsv` templates filled with the curated states,
    districts, cities and towns."""
    try:
        places = read_table("curated_places.tsv")
    except ModelError:
        return frozenset()
    kinds = {"state": ("state", "ut"), "district": ("district", "city", "town", "capital")}
    fill = {
        level: [fold_key(r[0]) for r in places if len(r) > 2 and r[2] in ks] for level, ks in kinds.items()
    }
    out: set[str] = set()
    for row in read_table("ner_bodies.tsv"):
        level = row[1] if len(row) > 1 else "state"
        for place in fill.get(level, ()):
            out.add(fold_key(row[0].replace("{" + level + "}", place)))
    return frozenset(out)


def gazetteer_entries(entities: bool = True) -> list[tuple[str, str]]:
    """The shipped phrase lists as `(phrase, label)` pairs (training entities included if asked)."""
    entries = [(p, "LOC") for p in load_places()]
    entries += [(p, "ORG") for p in load_orgs()]
    if "curated_gaz" not in FEATURES_OFF:
        entries += [(p, "LOC") for p in load_curated_places()]
        entries += [(p, "ORG") for p in load_curated_orgs()]
    if "geo" not in FEATURES_OFF:
        entries += [(p, "LOC") for p in load_geo_places()]
    if "bodies" not in FEATURES_OFF:
        entries += [(p, "ORG") for p in load_bodies()]
    entries += [(p, "ADJ") for p in load_place_adjectives()]
    entries += [(p, "TTL") for p in load_titles()]
    for name, label in (("ner_wikidata_gen.txt", "WIKI"), ("ner_entities_gen.tsv", "")):
        if label == "" and not entities:
            continue
        try:
            rows = read_table(name)
        except ModelError:
            continue
        entries += [(row[0], label or row[1]) for row in rows if len(row) > (0 if label else 1)]
    return entries


@cache
def load_gazetteer() -> Gazetteer:
    """The shipped gazetteer used for span-match features at tagging time."""
    return Gazetteer.build(gazetteer_entries())


@lru_cache(maxsize=WORD_CACHE_SIZE * 4)
def _context_features(key: str, offset: int) -> tuple[str, ...]:
    """The features a word lends to the token `offset` places away from it."""
    return (f"{offset}w={key}", *(f"{offset}{f}" for f in word_flags(key)))


def extract_features(
    tokens: Sequence[str], gazetteer: Gazetteer | None = None, extra: Sequence[list[str]] | None = None
) -> list[list[str]]:
    """CRF feature strings for each token of one sentence (`gazetteer` overrides the shipped one;
    `extra` adds features per token, such as the vector clusters of `khabar.analysis.ner_vectors`)."""
    keys = [fold_cached(t) for t in tokens]
    gaz = (gazetteer or load_gazetteer()).match(keys)
    n = len(tokens)
    out: list[list[str]] = []
    for i in range(n):
        feats = ["bias", *word_features(tokens[i]), *gaz[i]]
        if i == 0:
            feats.append("BOS")
        else:
            feats.append(f"bi-={keys[i - 1]}|{keys[i]}")
            feats.extend(f"-1{g}" for g in gaz[i - 1])
        if i == n - 1:
            feats.append("EOS")
        else:
            feats.append(f"bi+={keys[i]}|{keys[i + 1]}")
            feats.extend(f"1{g}" for g in gaz[i + 1])
        for off in CONTEXT_OFFSETS:
            j = i + off
            if 0 <= j < n:
                feats.extend(_context_features(keys[j], off))
        if extra is not None:
            feats.extend(extra[i])
        out.append(feats)
    return out
